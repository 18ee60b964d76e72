import Foundation
import TearlineCore
import TearlineStore

extension AuditService {
    /// The audit log of the caller's organisation: events by its members and events concerning its
    /// material. `security` members only (and the node admin, who sees everything). Actors of other
    /// organisations are not named. Reading the log is itself audited.
    public func audit(_ query: AuditQuery, by caller: Caller) async throws -> AuditPage {
        let now = now()
        return try await lookup { s in
            var q = query
            switch caller {
            case .nodeAdmin: break
            case .member(let m):
                guard m.may(.investigate) else {
                    return try refuse(s, caller, at: now, .auditRead, object: nil, reasons: .roleRequired,
                                      answer: .forbidden("Only security members read the audit log.", reasons: .roleRequired))
                }
                guard m.status == .active else {
                    return try refuse(s, caller, at: now, .auditRead, object: nil, reasons: .memberSuspended,
                                      answer: .forbidden("A suspended member reads no audit log.", reasons: .memberSuspended))
                }
                q.organization = m.organization
            }
            var events = try s.auditEvents(q)
            if let own = caller.organization {
                events = events.map { e in
                    var e = e
                    // why: another organisation's event shows neither its member nor its own particulars.
                    if e.organization != own {
                        e.actor = nil
                        e.detail = AuditDisclosure.detailForConcerned(action: e.action, detail: e.detail, actingOrganization: e.organization)
                    }
                    return e
                }
            }
            try s.appendAudit(.by(caller, at: now, action: .auditRead, object: nil, decision: .allow, detail: "results=\(events.count)"))
            let next = events.count == q.limit ? events.last?.seq.map(String.init) : nil
            return .success(AuditPage(items: events.map(AuditEventResponse.init), next: next))
        }
    }
}
