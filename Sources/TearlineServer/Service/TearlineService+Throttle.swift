import Foundation
import TearlineCore
import TearlineStore

extension TearlineService {
    /// Refuses (429, audited) a member already throttled, before anything is looked up.
    func refuseIfThrottled(_ s: any StoreSession, _ member: MemberRecord, caller: Caller, now: Int64, action: String, object: String?) throws -> Problem? {
        guard member.throttled else { return nil }
        try s.appendAudit(.by(caller, at: now, action: action, object: object, decision: .deny(.memberThrottled)))
        return .throttled(window: throttle.limits.window)
    }

    /// Refuses (429, audited) the access that crosses a limit, and carries the trigger that makes
    /// ``lookup(_:)`` mark the member throttled.
    func refuseCrossing(_ kind: ThrottleKind, _ s: any StoreSession, _ member: MemberRecord, caller: Caller, now: Int64,
                        action: String, object: String?, concerns: String? = nil) throws -> Problem {
        try s.appendAudit(.by(caller, at: now, action: action, object: object, concerns: concerns, decision: .deny(.memberThrottled),
                              detail: "limit=\(kind.rawValue)"))
        return .throttled(window: throttle.limits.window, trigger: ThrottleTrigger(member: member.id, organization: member.organization, kind: kind))
    }

    /// Counts a refused read as a signal; returns the 429 when it crosses the limit.
    func countDenial(_ s: any StoreSession, _ member: MemberRecord, caller: Caller, now: Int64, action: String, object: String?) throws -> Problem? {
        guard let kind = throttle.recordDenial(member.id, at: now) else { return nil }
        return try refuseCrossing(kind, s, member, caller: caller, now: now, action: action, object: object)
    }

    /// Marks the member throttled, raises an alert for its organisation's security members, and audits both.
    func markThrottled(_ trigger: ThrottleTrigger) async throws {
        let now = now()
        let limits = throttle.limits
        let alertId = Identifier.make("alt")
        _ = try await store.write { s in
            guard var member = try s.member(id: trigger.member), !member.throttled else { return () }
            member.throttled = true
            try s.updateMember(member)
            let detail = "limit=\(trigger.kind.rawValue) max=\(limits.limit(trigger.kind)) window=\(limits.window / 1000)s"
            try s.insertAlert(AlertRecord(id: alertId, organization: trigger.organization, subject: member.id, kind: "member-throttled",
                                          detail: detail, createdAt: now))
            try s.appendAudit(AuditRecord(at: now, actor: member.id, organization: member.organization, action: "member.throttle",
                                          object: member.id, decision: "deny", reasons: DenialReasons.memberThrottled.codes,
                                          detail: detail + " alert=\(alertId)"))
        }
    }

    /// Lifts a member's throttle: a `security` member of the same organisation (or the node admin).
    /// Resolves the member's open alerts and starts the member's window afresh.
    public func liftThrottle(member id: String, by caller: Caller) async throws -> MemberResponse {
        let now = now()
        let response: MemberResponse = try await transact { s in
            guard var member = try s.member(id: id) else { return .failure(.notFound("member")) }
            if case .member(let actor) = caller {
                guard actor.organization == member.organization else { return .failure(.notFound("member")) }
                guard actor.has(.security) else {
                    try s.appendAudit(.by(caller, at: now, action: "member.unthrottle", object: id, decision: .deny(.roleRequired)))
                    return .failure(.forbidden("Only a security member lifts a throttle.", reasons: .roleRequired))
                }
                guard actor.status == .active, !actor.throttled else {
                    let reasons: DenialReasons = actor.status == .active ? .memberThrottled : .memberSuspended
                    try s.appendAudit(.by(caller, at: now, action: "member.unthrottle", object: id, decision: .deny(reasons)))
                    return .failure(.forbidden("This member may not lift throttles now.", reasons: reasons))
                }
                // why: nobody lifts their own throttle; that is what the throttle is for.
                guard actor.id != member.id else {
                    try s.appendAudit(.by(caller, at: now, action: "member.unthrottle", object: id, decision: .deny(.roleRequired)))
                    return .failure(.forbidden("A member does not lift their own throttle.", reasons: .roleRequired))
                }
            }
            guard member.throttled else { return .failure(.conflict("The member is not throttled.", type: "not-throttled")) }
            member.throttled = false
            try s.updateMember(member)
            let resolved = try s.resolveAlerts(subject: id, by: caller.actorId, at: now)
            try s.appendAudit(.by(caller, at: now, action: "member.unthrottle", object: id, decision: .allow, detail: "alertsResolved=\(resolved)"))
            return .success(MemberResponse(member))
        }
        throttle.reset(id)
        return response
    }

    /// The alerts of the caller's organisation, newest first: `security` members only.
    public func alerts(by caller: Caller, openOnly: Bool, limit: Int) async throws -> [AlertResponse] {
        let now = now()
        return try await lookup { s in
            guard let member = caller.member else { return .failure(.forbidden("Alerts go to members' security officers.", reasons: .roleRequired)) }
            guard member.has(.security) else {
                try s.appendAudit(.by(caller, at: now, action: "alert.read", object: nil, decision: .deny(.roleRequired)))
                return .failure(.forbidden("Only security members read alerts.", reasons: .roleRequired))
            }
            guard member.status == .active else {
                try s.appendAudit(.by(caller, at: now, action: "alert.read", object: nil, decision: .deny(.memberSuspended)))
                return .failure(.forbidden("A suspended member reads no alerts.", reasons: .memberSuspended))
            }
            let alerts = try s.alerts(organization: member.organization, openOnly: openOnly, limit: limit)
            try s.appendAudit(.by(caller, at: now, action: "alert.read", object: nil, decision: .allow, detail: "results=\(alerts.count)"))
            return .success(alerts.map(AlertResponse.init))
        }
    }
}
