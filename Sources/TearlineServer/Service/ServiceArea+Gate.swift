import Foundation
import TearlineCore
import TearlineStore

/// The gate every member-authenticated request passes after authentication: a throttled member
/// is refused as throttled and a suspended one as denied, on every route, administrative ones included, with nothing
/// served and nothing written but the audit record of the refusal. Only `GET /v1/me` answers
/// them, saying why.
extension ServiceArea {
    /// As ``admit(_:method:path:)``, inside the transaction that resolved the token (the audit
    /// record commits with it); returns the refusal to answer with, or `nil` to go on. The record
    /// names the route's own action and object, so that each refused read names its document.
    func refuseRestricted(_ s: any StoreSession, _ caller: Caller, action: AuditAction, object: String, now: Int64) throws -> ServiceError? {
        guard let member = caller.member, let (reasons, answer) = restriction(of: member) else { return nil }
        return try refusal(s, caller, at: now, action, object: object, reasons: reasons, detail: "gate", answer: answer)
    }

    /// Why a member may do nothing now, or `nil`. A suspension outranks a throttle.
    func restriction(of member: MemberRecord) -> (DenialReasons, ServiceError)? {
        // why: rule 4 of the decision rule, applied to every route: the member is neither throttled nor suspended.
        if member.status == .suspended {
            return (.memberSuspended, .forbidden("This member is suspended and may do nothing; an admin of the organisation or the node administrator reactivates it.",
                                                 reasons: .memberSuspended))
        }
        if member.throttled { return (.memberThrottled, .throttled(window: throttle.limits.window)) }
        return nil
    }

    /// What `GET /v1/me` says about a restricted member, or `nil`.
    func restrictionExplanation(of member: MemberRecord) -> String? {
        if member.status == .suspended {
            return "suspended: every request but GET /v1/me is refused with 403 until an admin of \(member.organization) or the node administrator reactivates this member."
        }
        if member.throttled {
            return "throttled for bulk access: every request but GET /v1/me is refused with 429 until a security member of "
                + "\(member.organization) whom this member did not appoint, or the node administrator, lifts the throttle."
        }
        return nil
    }
}

extension MemberService {
    /// Refuses a throttled or suspended member (audited, in its own write), as read at authentication.
    public func admit(_ caller: Caller, method: String, path: String) async throws {
        guard let member = caller.member, let (reasons, answer) = restriction(of: member) else { return }
        let now = now()
        throw try await store.write { s in
            try self.refusal(s, caller, at: now, .requestRefused, object: String(path.prefix(512)), reasons: reasons, detail: "method=\(method)",
                             answer: answer)
        }
    }

    /// The answer of `GET /v1/me`.
    public func identity(_ caller: Caller) -> IdentityResponse {
        let restriction = caller.member.flatMap(restrictionExplanation(of:))
        return IdentityResponse(nodeAdmin: caller.member == nil, member: caller.member.map(MemberResponse.init),
                                restricted: restriction != nil, restriction: restriction)
    }
}
