import Foundation
import TearlineCore
import TearlineStore

extension TearlineService {
    /// Refuses (429, audited) a member already throttled, before anything is looked up.
    func refuseIfThrottled(_ s: any StoreSession, _ member: MemberRecord, caller: Caller, now: Int64, action: AuditAction, object: String?) throws -> Problem? {
        guard member.throttled else { return nil }
        try s.appendAudit(.by(caller, at: now, action: action, object: object, decision: .deny(.memberThrottled)))
        return .throttled(window: throttle.limits.window)
    }

    /// Refuses (429, audited) the access that crosses a limit, and carries the trigger that makes
    /// ``lookup(_:)`` mark the member throttled.
    func refuseCrossing(_ kind: ThrottleKind, _ s: any StoreSession, _ member: MemberRecord, caller: Caller, now: Int64,
                        action: AuditAction, object: String?, concerns: String? = nil) throws -> Problem {
        try s.appendAudit(.by(caller, at: now, action: action, object: object, concerns: concerns, decision: .deny(.memberThrottled),
                              detail: "limit=\(kind.rawValue)"))
        return .throttled(window: throttle.limits.window, trigger: ThrottleTrigger(member: member.id, organization: member.organization, kind: kind))
    }

    /// Counts a refused read as a signal; returns the 429 when it crosses the limit.
    func countDenial(_ s: any StoreSession, _ member: MemberRecord, caller: Caller, now: Int64, action: AuditAction, object: String?) throws -> Problem? {
        guard let kind = throttle.recordDenial(member.id, at: now) else { return nil }
        return try refuseCrossing(kind, s, member, caller: caller, now: now, action: action, object: object)
    }

    /// Marks the member throttled, raises an alert for its organisation's security members, and audits both.
    func markThrottled(_ trigger: ThrottleTrigger) async throws {
        let now = now()
        let limits = throttle.limits
        let alertId = self.ids.make("alt")
        _ = try await store.write { s in
            guard var member = try s.member(id: trigger.member), !member.throttled else { return () }
            member.throttled = true
            try s.updateMember(member)
            let detail = "limit=\(trigger.kind.rawValue) max=\(limits.limit(trigger.kind)) window=\(limits.window / 1000)s"
            try s.insertAlert(AlertRecord(id: alertId, organization: trigger.organization, subject: member.id, kind: "member-throttled",
                                          detail: detail, createdAt: now))
            try s.appendAudit(AuditRecord(at: now, actor: member.id, organization: member.organization, action: .memberThrottle,
                                          object: member.id, decision: "deny", reasons: DenialReasons.memberThrottled.codes,
                                          detail: detail + " alert=\(alertId)"))
        }
    }

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
                try s.appendAudit(.by(caller, at: now, action: .memberUnthrottle, object: id, decision: decision))
                let detail = decision.reasons.contains(.conflictOfInterest)
                    ? "A throttle is not lifted by the throttled member, nor by a member it created or gave a role; the node administrator can lift it."
                    : "Only an active security member of \(member.organization) lifts a throttle."
                return .failure(.forbidden(detail, reasons: decision.reasons))
            }
            guard member.throttled else { return .failure(.conflict("The member is not throttled.", type: "not-throttled")) }
            member.throttled = false
            try s.updateMember(member)
            let resolved = try s.resolveAlerts(subject: id, by: caller.actorId, at: now)
            let exempt = caller.member == nil ? " exempt=node-admin" : ""
            try s.appendAudit(.by(caller, at: now, action: .memberUnthrottle, object: id, decision: .allow, detail: "alertsResolved=\(resolved)" + exempt))
            return .success(MemberResponse(member))
        }
        throttle.reset(id)
        return response
    }

    /// Every member `member`'s appointment descends from: its creator, its creator's creator, and
    /// so on (roles are given only at creation, so the creators are also who gave it roles).
    func appointers(_ s: any StoreSession, of member: MemberRecord) throws -> Set<String> {
        var found: Set<String> = []
        var next = member.createdBy
        // why bounded: a chain of appointments is short; a corrupt cycle must not loop forever.
        while let id = next, id != "node-admin", found.count < 256, found.insert(id).inserted {
            next = try s.member(id: id)?.createdBy
        }
        return found
    }

    /// The alerts of the caller's organisation, newest first: `security` members only.
    public func alerts(by caller: Caller, openOnly: Bool, limit: Int) async throws -> [AlertResponse] {
        let now = now()
        return try await lookup { s in
            guard let member = caller.member else { return .failure(.forbidden("Alerts go to members' security officers.", reasons: .roleRequired)) }
            guard member.may(.investigate) else {
                try s.appendAudit(.by(caller, at: now, action: .alertRead, object: nil, decision: .deny(.roleRequired)))
                return .failure(.forbidden("Only security members read alerts.", reasons: .roleRequired))
            }
            guard member.status == .active else {
                try s.appendAudit(.by(caller, at: now, action: .alertRead, object: nil, decision: .deny(.memberSuspended)))
                return .failure(.forbidden("A suspended member reads no alerts.", reasons: .memberSuspended))
            }
            let alerts = try s.alerts(organization: member.organization, openOnly: openOnly, limit: limit)
            try s.appendAudit(.by(caller, at: now, action: .alertRead, object: nil, decision: .allow, detail: "results=\(alerts.count)"))
            return .success(alerts.map(AlertResponse.init))
        }
    }
}
