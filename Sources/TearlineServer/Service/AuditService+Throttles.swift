import Foundation
import TearlineCore
import TearlineStore

extension AuditService {
    /// Lifts a member's throttle under ``ThrottleLiftRule``: a `security` member of the same
    /// organisation whom the throttled member did not appoint, or the node admin (always, audited).
    /// Resolves the member's open alerts and starts the member's window afresh.
    public func liftThrottle(member id: String, by caller: Caller) async throws -> MemberResponse {
        let now = now()
        let response: MemberResponse = try await transact { s in
            guard var member = try s.member(id: id) else { return .failure(.notFound("member")) }
            let lifter: Lifter = switch caller {
            case .nodeAdmin: .nodeAdmin
            case .member(let actor):
                .member(LifterFacts(id: actor.id, organization: actor.organization, roles: actor.roles, isSuspended: actor.status == .suspended,
                                    isThrottled: actor.throttled, appointedBy: try self.appointers(s, of: actor)))
            }
            let decision = ThrottleLiftRule.decide(lifter, lifts: member.id, of: member.organization)
            // why: another organisation's members do not exist for the caller.
            if decision.reasons.contains(.noAccessPath) { return .failure(.notFound("member")) }
            guard decision.isAllowed else {
                let detail = decision.reasons.contains(.conflictOfInterest)
                    ? "A throttle is not lifted by the throttled member, nor by a member it created or gave a role; the node administrator can lift it."
                    : "Only an active security member of \(member.organization) lifts a throttle."
                return try refuse(s, caller, at: now, .memberUnthrottle, object: id, reasons: decision.reasons,
                                  answer: .forbidden(detail, reasons: decision.reasons))
            }
            guard member.throttled else { return .failure(.conflict("The member is not throttled.", type: "not-throttled")) }
            member.throttled = false
            try s.updateMember(member)
            // why in the body: shared windows are reset in the database, which a body may wait for.
            try self.throttle.reset(id)
            let resolved = try s.resolveAlerts(subject: id, by: caller.actorId, at: now)
            let exempt = caller.member == nil ? " exempt=node-admin" : ""
            try s.appendAudit(.by(caller, at: now, action: .memberUnthrottle, object: id, decision: .allow, detail: "alertsResolved=\(resolved)" + exempt))
            return .success(MemberResponse(member))
        }
        return response
    }

    /// The alerts of the caller's organisation, newest first: `security` members only.
    public func alerts(by caller: Caller, openOnly: Bool, limit: Int) async throws -> [AlertResponse] {
        let now = now()
        return try await lookup { s in
            guard let member = caller.member else { return .failure(.forbidden("Alerts go to members' security officers.", reasons: .roleRequired)) }
            guard member.may(.investigate) else {
                return try refuse(s, caller, at: now, .alertRead, object: nil, reasons: .roleRequired,
                                  answer: .forbidden("Only security members read alerts.", reasons: .roleRequired))
            }
            guard member.status == .active else {
                return try refuse(s, caller, at: now, .alertRead, object: nil, reasons: .memberSuspended,
                                  answer: .forbidden("A suspended member reads no alerts.", reasons: .memberSuspended))
            }
            let alerts = try s.alerts(organization: member.organization, openOnly: openOnly, limit: limit)
            try s.appendAudit(.by(caller, at: now, action: .alertRead, object: nil, decision: .allow, detail: "results=\(alerts.count)"))
            return .success(alerts.map(AlertResponse.init))
        }
    }
}
