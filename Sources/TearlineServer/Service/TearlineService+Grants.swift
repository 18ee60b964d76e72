import Foundation
import TearlineCore
import TearlineStore

extension TearlineService {
    /// Grants a member need-to-know on one report (rule 3), outside the member's topics.
    ///
    /// On a report: an `admin` or `releaser` of the originator grants its own members. On a release:
    /// an `admin` of the recipient grants its own members, for that release's report.
    public func grant(_ input: CreateGrantRequest, by caller: Caller) async throws -> GrantResponse {
        guard (input.report == nil) != (input.release == nil) else { throw Problem.badRequest("Give exactly one of report or release.") }
        let now = now()
        return try await transact { s in
            guard let actor = caller.member else { return .failure(.forbidden("Grants are made by members.", reasons: .roleRequired)) }
            let reportId: String
            let allowed: Bool
            if let id = input.report {
                guard let report = try s.report(id: id), report.report.originator == actor.organization else { return .failure(.notFound("report")) }
                reportId = report.report.id
                allowed = actor.may(.grantReports)
            } else {
                guard let release = try s.release(id: input.release!), release.recipient == actor.organization || release.originator == actor.organization else {
                    return .failure(.notFound("release"))
                }
                reportId = release.reportId
                allowed = actor.may(.grantReleases)
            }
            guard let grantee = try s.member(id: input.member), grantee.organization == actor.organization else {
                return .failure(.notFound("member"))
            }
            guard allowed else {
                try s.appendAudit(.by(caller, at: now, action: .grantCreate, object: reportId, decision: .deny(.roleRequired)))
                return .failure(.forbidden("This member may not grant need-to-know here.", reasons: .roleRequired))
            }
            guard actor.status == .active else {
                try s.appendAudit(.by(caller, at: now, action: .grantCreate, object: reportId, decision: .deny(.memberSuspended)))
                return .failure(.forbidden("A suspended member grants nothing.", reasons: .memberSuspended))
            }
            try s.insertGrant(member: grantee.id, report: reportId, grantedBy: actor.id, createdAt: now)
            try s.appendAudit(.by(caller, at: now, action: .grantCreate, object: reportId, decision: .allow, detail: "member=\(grantee.id)"))
            return .success(GrantResponse(member: grantee.id, report: reportId))
        }
    }

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
                    try s.appendAudit(.by(caller, at: now, action: .auditRead, object: nil, decision: .deny(.roleRequired)))
                    return .failure(.forbidden("Only security members read the audit log.", reasons: .roleRequired))
                }
                guard m.status == .active else {
                    try s.appendAudit(.by(caller, at: now, action: .auditRead, object: nil, decision: .deny(.memberSuspended)))
                    return .failure(.forbidden("A suspended member reads no audit log.", reasons: .memberSuspended))
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
