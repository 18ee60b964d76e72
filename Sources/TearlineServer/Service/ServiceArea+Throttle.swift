import Foundation
import TearlineCore
import TearlineStore

extension ServiceArea {
    /// Refuses (as throttled, audited) a member already throttled, before anything is looked up.
    func refuseIfThrottled(_ s: any StoreSession, _ member: MemberRecord, caller: Caller, now: Int64, action: AuditAction, object: String?) throws -> ServiceError? {
        guard member.throttled else { return nil }
        return try refusal(s, caller, at: now, action, object: object, reasons: .memberThrottled, answer: .throttled(window: throttle.limits.window))
    }

    /// Refuses (as throttled, audited) the access that crosses a limit, and carries the trigger that
    /// makes ``lookup(_:)`` mark the member throttled.
    func refuseCrossing(_ kind: ThrottleKind, _ s: any StoreSession, _ member: MemberRecord, caller: Caller, now: Int64,
                        action: AuditAction, object: String?, concerns: String? = nil) throws -> ServiceError {
        try refusal(s, caller, at: now, action, object: object, concerns: concerns, reasons: .memberThrottled, detail: "limit=\(kind.rawValue)",
                    answer: .throttled(window: throttle.limits.window,
                                       trigger: ThrottleTrigger(member: member.id, organization: member.organization, kind: kind)))
    }

    /// Counts a refused read as a signal; returns the throttle's refusal when it crosses the limit.
    func countDenial(_ s: any StoreSession, _ member: MemberRecord, caller: Caller, now: Int64, action: AuditAction, object: String?) throws -> ServiceError? {
        guard let kind = try throttle.recordDenial(member.id, at: now) else { return nil }
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

}
