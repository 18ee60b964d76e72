import Foundation
import TearlineCore
import TearlineStore

/// Refusals: every denial is audited in the transaction that decides it, before the answer leaves.
extension ServiceArea {
    /// Audits `caller`'s denied `action` on `object` (with `reasons`, and `detail` when given) and
    /// gives `answer` as the transaction's refusal.
    ///
    /// With `countingAgainst`, the refusal also counts against the member's window of refused
    /// reads (probing for what one cannot read is a signal of an insider at work); when it crosses
    /// the limit, that refusal is audited too and the throttle's answer replaces `answer`.
    func refuse<T>(
        _ s: any StoreSession, _ caller: Caller, at now: Int64, _ action: AuditAction, object: String?, concerns: String? = nil,
        reasons: DenialReasons, detail: String? = nil, countingAgainst member: MemberRecord? = nil, answer: ServiceError
    ) throws -> Result<T, ServiceError> {
        .failure(try refusal(s, caller, at: now, action, object: object, concerns: concerns, reasons: reasons, detail: detail,
                             countingAgainst: member, answer: answer))
    }

    /// As ``refuse(_:_:at:_:object:concerns:reasons:detail:countingAgainst:answer:)``, giving the
    /// error itself, for a body that returns or throws it rather than a `Result`.
    func refusal(
        _ s: any StoreSession, _ caller: Caller, at now: Int64, _ action: AuditAction, object: String?, concerns: String? = nil,
        reasons: DenialReasons, detail: String? = nil, countingAgainst member: MemberRecord? = nil, answer: ServiceError
    ) throws -> ServiceError {
        try s.appendAudit(.by(caller, at: now, action: action, object: object, concerns: concerns, decision: .deny(reasons), detail: detail))
        if let member, let crossed = try countDenial(s, member, caller: caller, now: now, action: action, object: object) { return crossed }
        return answer
    }
}
