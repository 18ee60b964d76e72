import Foundation
import TearlineCore
import TearlineStore

extension MemberService {
    /// Grants a member need-to-know on one report (rule 3), outside the member's topics.
    ///
    /// On a report: an `admin` or `releaser` of the originator grants its own members. On a release:
    /// an `admin` of the recipient grants its own members, for that release's report.
    public func grant(_ input: CreateGrantRequest, by caller: Caller) async throws -> GrantResponse {
        guard (input.report == nil) != (input.release == nil) else { throw ServiceError.badRequest("Give exactly one of report or release.") }
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
                return try refuse(s, caller, at: now, .grantCreate, object: reportId, reasons: .roleRequired,
                                  answer: .forbidden("This member may not grant need-to-know here.", reasons: .roleRequired))
            }
            guard actor.status == .active else {
                return try refuse(s, caller, at: now, .grantCreate, object: reportId, reasons: .memberSuspended,
                                  answer: .forbidden("A suspended member grants nothing.", reasons: .memberSuspended))
            }
            try s.insertGrant(member: grantee.id, report: reportId, grantedBy: actor.id, createdAt: now)
            try s.appendAudit(.by(caller, at: now, action: .grantCreate, object: reportId, decision: .allow, detail: "member=\(grantee.id)"))
            return .success(GrantResponse(member: grantee.id, report: reportId))
        }
    }

}
