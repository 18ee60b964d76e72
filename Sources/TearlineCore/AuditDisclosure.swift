/// What an organisation's audit trail shows of an event that another organisation's member (or
/// node) caused and that names it only as the organisation concerned.
///
/// why: each organisation's trail shows only what concerns it. The event itself (when, which
/// action, on what, allowed or denied, and why) concerns both sides; the acting side's own
/// particulars do not. A recipient must not read, in the trail of a release made to it, how much
/// the originator withheld from it; an originator must not read a recipient's member profile
/// in the detail of a read. Detail is shown by an allowlist: an action not listed shows none.
public enum AuditDisclosure {
    /// How much of an action's detail the concerned organisation sees.
    public enum Share: Sendable, Hashable {
        /// The whole detail: it describes something both sides did or decided together.
        case all
        /// Only these `key=value` items.
        case keys(Set<String>)
    }

    /// The detail each action shares with the organisation it concerns.
    public static let shared: [String: Share] = [
        // Trust, suspension and breaches are decided by one side about the other: both read them.
        "partnership.update": .all, "partnership.breach": .all, "federation.partnership": .all,
        // The third-party rule and consent: the originator learns who the third party was.
        "release.forward": .all, "consent.request": .all, "consent.decide": .all, "federation.consent": .all,
        // A release made to the recipient: to whom and how many portions it carries, not what was withheld.
        "release.create": .keys(["recipient", "portions", "via"]),
        "release.revoke": .keys(["recipient", "via"]), "federation.revoke": .all,
        "release.feedback": .keys(["verdict", "via"]),
        "access-request.create": .keys(["holder", "reports"]), "access-request.grant": .keys(["outcome"]),
        "rfi.create": .all, "rfi.answer": .all, "term.update": .all,
        "federation.exchange": .all, "federation.refused": .all, "federation.receive": .all, "federation.pull": .all,
        "federation.request-refused": .all,
    ]

    /// The detail of `action` as the organisation it concerns may read it; nil when none.
    /// `actingOrganization` is the organisation whose member acted, or nil when the node itself or
    /// its administrator acted: then the event is the node's dealing with the organisation
    /// concerned, and its whole detail (an exemption used, say) is that organisation's to read.
    public static func detailForConcerned(action: String, detail: String?, actingOrganization: String?) -> String? {
        guard let detail else { return nil }
        guard actingOrganization != nil else { return detail }
        guard let share = shared[action] else { return nil }
        switch share {
        case .all:
            return detail
        case .keys(let keys):
            let kept = detail.split(separator: " ").filter { item in
                guard let equals = item.firstIndex(of: "=") else { return false }
                return keys.contains(String(item[..<equals]))
            }
            return kept.isEmpty ? nil : kept.joined(separator: " ")
        }
    }
}
