import TearlineCore
import TearlineStore

extension AuditRecord {
    /// An audit record for `caller` acting on `object`.
    static func by(
        _ caller: Caller, at: Int64, action: AuditAction, object: String?, concerns: String? = nil,
        decision: Decision, detail: String? = nil
    ) -> AuditRecord {
        AuditRecord(
            at: at, actor: caller.actorId, organization: caller.organization, concerns: concerns, action: action,
            object: object, decision: decision.isAllowed ? "allow" : "deny", reasons: decision.reasons.codes, detail: detail)
    }
}
