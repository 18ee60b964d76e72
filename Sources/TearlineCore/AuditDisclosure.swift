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
    public static let shared: [AuditAction: Share] = [
        // Trust, suspension and breaches are decided by one side about the other: both read them.
        .partnershipUpdate: .all, .partnershipBreach: .all, .federationPartnership: .all,
        // The third-party rule and consent: the originator learns who the third party was.
        .releaseForward: .all, .consentRequest: .all, .consentDecide: .all, .federationConsent: .all,
        // A release made to the recipient: to whom and how many portions it carries, not what was withheld.
        .releaseCreate: .keys(["recipient", "portions", "via"]),
        .releaseRevoke: .keys(["recipient", "via"]), .federationRevoke: .all,
        .releaseFeedback: .keys(["verdict", "via"]),
        .accessRequestCreate: .keys(["holder", "reports"]), .accessRequestGrant: .keys(["outcome"]),
        .rfiCreate: .all, .rfiAnswer: .all, .termUpdate: .all,
        .federationExchange: .all, .federationRefused: .all, .federationReceive: .all, .federationPull: .all,
        .federationRequestRefused: .all,
    ]

    /// The detail of `action` as the organisation it concerns may read it; nil when none.
    /// `actingOrganization` is the organisation whose member acted, or nil when the node itself or
    /// its administrator acted: then the event is the node's dealing with the organisation
    /// concerned, and its whole detail (an exemption used, say) is that organisation's to read.
    public static func detailForConcerned(action: String, detail: String?, actingOrganization: String?) -> String? {
        guard let detail else { return nil }
        guard actingOrganization != nil else { return detail }
        guard let known = AuditAction(rawValue: action), let share = shared[known] else { return nil }
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
