import Foundation
import TearlineCore
import TearlineStore

/// The originating node's record of what partner nodes tried and were refused: a malformed or
/// overreaching exchange, an exchange for an organisation the key is not pinned for, a pull the
/// node protocol does not allow. Refusals write nothing else, so this is the only trace.
extension FederationService {
    /// The action of a refused federation request in the audit trail.
    static let federationRequestRefused = AuditAction.federationRequestRefused
    /// This many refusals of one node within ``federationRefusalWindow`` raise one alert for each
    /// organisation hosted here that is a partner of the organisation the node speaks for.
    static let federationRefusalAlertThreshold = 5
    /// Milliseconds.
    static let federationRefusalWindow: Int64 = 10 * 60 * 1000

    /// Audits a refused federation request on this (the originating) node: the presenting node's
    /// pin, the organisation the request spoke for (`spokeFor`, when it got that far) and the
    /// organisation the pin is registered for. The entry concerns every organisation hosted here
    /// that has a partnership with the pinned organisation, so their security members see it
    /// in their trail; past the threshold they are alerted, once per window.
    /// `kind` is `exchange` or `pull`; `status` is what the edge answered the node with; `reason` is
    /// the refusal's own message (never report text).
    func auditRefusedFederationRequest(pin: SPKIPin?, spokeFor: String?, kind: String, status: Int, reason: String) async throws {
        let now = now()
        let pinText = pin?.description ?? "none"
        try await store.write { s in
            let pinnedFor = try s.peers().filter { FederationRule.admits(presentedPin: pin?.description, pinnedFor: $0.pins) }.map(\.organization).sorted()
            // why: the node is known by its pin; it speaks for the organisation the pin is registered for,
            // whatever organisation the request claimed.
            let attributed = spokeFor.flatMap { pinnedFor.contains($0) ? $0 : nil } ?? pinnedFor.first
            var concerned: [String] = []
            if let attributed {
                for partnership in try s.partnerships(involving: attributed) {
                    let other = partnership.other(than: attributed)
                    if let o = try s.organization(id: other), !o.isRemote { concerned.append(other) }
                }
            }
            let actor = "node:" + pinText
            let detail = "pin=\(pinText) spokeFor=\(spokeFor ?? "-") pinnedFor=\(pinnedFor.isEmpty ? "-" : pinnedFor.joined(separator: ",")) "
                + "status=\(status) reason=\(String(reason.prefix(300)))"
            guard !concerned.isEmpty else {
                try s.appendAudit(AuditRecord(at: now, actor: actor, organization: attributed, action: Self.federationRequestRefused, object: kind,
                                              decision: "deny", reasons: DenialReasons.noAccessPath.codes, detail: detail))
                return
            }
            for organization in concerned.sorted() {
                var query = AuditQuery(actor: actor, action: Self.federationRequestRefused.rawValue, since: now - Self.federationRefusalWindow,
                                       limit: Self.federationRefusalAlertThreshold)
                query.concerns = organization
                let earlier = try s.auditEvents(query).count
                try s.appendAudit(AuditRecord(at: now, actor: actor, organization: attributed, concerns: organization, action: Self.federationRequestRefused,
                                              object: kind, decision: "deny", reasons: DenialReasons.noAccessPath.codes, detail: detail))
                // why once: the alert marks the crossing; the trail holds every refusal.
                if earlier == Self.federationRefusalAlertThreshold - 1, let attributed {
                    try s.insertAlert(AlertRecord(
                        id: self.ids.make("alr"), organization: organization, subject: Self.remoteMemberId(attributed), kind: "federation-probing",
                        detail: "\(attributed)'s node (\(pinText)) had \(Self.federationRefusalAlertThreshold) federation requests refused within "
                            + "\(Self.federationRefusalWindow / 60_000) minutes", createdAt: now))
                }
            }
        }
    }
}
