import Foundation
import TearlineCore
import TearlineStore

/// Access receipts: who accessed an originator's releases at one holder.
public struct AccessReceipts: Codable, Sendable {
    public var originator: String
    public var holder: String
    /// `member` when the originator is the dominant side of a hierarchical partnership with the
    /// holder; `organization` (counts per action only) otherwise.
    public var granularity: String
    public var counts: [String: Int]
    /// Per-member events, only at `member` granularity.
    public var events: [AuditEventResponse]
}

extension AuditService {
    /// Access receipts for the caller's organisation's releases held by `holder`.
    ///
    /// why: story 2 — a dominant partner monitors how the weaker one handles its material; its
    /// seconded `liaison` members read that log. A peer sees only counts per action.
    public func receipts(holder: String, by caller: Caller) async throws -> AccessReceipts {
        guard let member = caller.member else { throw ServiceError.forbidden("Receipts belong to originators.", reasons: .roleRequired) }
        let now = now()
        return try await lookup { s in
            guard let partnership = try s.partnership(between: member.organization, and: holder) else {
                return .failure(.notFound("partnership"))
            }
            let dominant = OversightRule.seesMembers(kind: partnership.kind, dominant: partnership.dominant, originator: member.organization)
            let mayRead = OversightRule.mayReadReceipts(
                isSecurity: member.has(.security), isLiaison: member.has(.liaison), secondedTo: member.secondedTo, holder: holder,
                originatorSeesMembers: dominant)
            guard mayRead else {
                return try refuse(s, caller, at: now, .receiptsRead, object: holder, reasons: .roleRequired,
                                  answer: .forbidden("Only security members, or liaisons seconded to \(holder), read these receipts.", reasons: .roleRequired))
            }
            guard member.status == .active else {
                return try refuse(s, caller, at: now, .receiptsRead, object: holder, reasons: .memberSuspended,
                                  answer: .forbidden("A suspended member reads no receipts.", reasons: .memberSuspended))
            }
            var query = AuditQuery(limit: 10_000)
            query.actorOrganization = holder
            query.concerns = member.organization
            query.actionPrefix = "release."
            query.newestFirst = true
            let events = try s.auditEvents(query)
            let counts = events.reduce(into: [String: Int]()) { $0["\($1.action):\($1.decision)", default: 0] += 1 }
            try s.appendAudit(.by(caller, at: now, action: .receiptsRead, object: holder, concerns: holder, decision: .allow,
                                  detail: "events=\(events.count)"))
            return .success(AccessReceipts(
                originator: member.organization, holder: holder, granularity: dominant ? "member" : "organization",
                counts: counts, events: dominant ? events.map(AuditEventResponse.init) : []))
        }
    }
}
