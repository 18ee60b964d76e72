import Foundation
import TearlineCore
import TearlineStore

extension ReleaseService {
    /// A recipient's attempt to pass a release to another organisation.
    ///
    /// why: the third-party rule. The forward is denied (`third-party-rule`), a consent request
    /// goes to the originator, and the attempt is audited in both organisations' trails.
    public func forward(releaseId: String, _ input: ForwardRequest, by caller: Caller) async throws -> Never {
        try Validate.organizationId(input.recipient, field: "recipient")
        let now = now()
        let consentId = self.ids.make("csr")
        // why transact: a forward always ends in a refusal, and one that crosses the limit of refused
        // reads throttles the member, as any refusal does.
        try await transact { s -> Result<Void, ServiceError> in
            switch try self.releaseView(s, id: releaseId, caller: caller, now: now, action: .releaseForward) {
            case .failure(let error): return .failure(error)
            case .success(let (release, _, _, member)):
                let decision = DecisionRule.forward(holder: member.organization, originator: release.originator)
                if decision.isAllowed {
                    return .failure(.conflict("The originator releases its own material directly: POST /v1/reports/\(release.reportId)/releases.",
                                              type: "use-release"))
                }
                guard input.recipient != member.organization else {
                    return .failure(.badRequest("recipient is the caller's own organisation."))
                }
                // why: the originator judges the third party, whether or not the holder may know it exists, so a
                // forward to an unknown id and to an organisation the holder may not know of are answered alike.
                let remote = try s.organization(id: release.originator)?.isRemote ?? false
                let request = ConsentRequestRecord(
                    id: consentId, releaseId: release.id, reportId: release.reportId, originator: release.originator,
                    holder: member.organization, target: input.recipient, requestedBy: member.id, createdAt: now)
                try s.insertConsentRequest(request)
                var answer = ServiceError.forbidden(
                    "A release may not be passed on without the originator's consent. A consent request has gone to \(release.originator)"
                        + (remote ? ", by its node on the next exchange." : "."),
                    reasons: decision.reasons)
                answer.type = "third-party-rule"
                answer.extra = ["consentRequestId": consentId]
                let refusal = try self.refusal(s, caller, at: now, .releaseForward, object: release.id, concerns: release.originator,
                                               reasons: decision.reasons, detail: "target=\(input.recipient) consentRequest=\(consentId)", answer: answer)
                // why: an attempt to pass material on without consent is a breach of the partnership.
                if let partnership = try s.partnership(between: release.originator, and: member.organization) {
                    try trust.recordBreach(s, partnership, against: member.organization, kind: .refusedForward,
                                          detail: "release=\(release.id) target=\(input.recipient)", now: now)
                }
                return .failure(refusal)
            }
        }
        preconditionFailure("every path of a forward refuses")
    }

    /// Consent requests the caller may see: the originator's releasers, security and admin see
    /// those addressed to it; the holder's members see those they made (its admin and security see all of its).
    public func consentRequests(by caller: Caller) async throws -> [ConsentRequestResponse] {
        guard let member = caller.member else { throw ServiceError.forbidden("Consent requests belong to members.", reasons: .roleRequired) }
        return try await store.read { s in
            try s.consentRequests(involving: member.organization).filter { c in
                if c.originator == member.organization { return member.may(.oversee) }
                return c.requestedBy == member.id || member.may(.oversee)
            }.map(ConsentRequestResponse.init)
        }
    }

    /// The originator's decision on a consent request. Granting makes a new release from the
    /// originator to the third party, with the originator's markings and signature; the forwarding
    /// party never becomes its originator. Denying sends nothing anywhere.
    public func decideConsent(id: String, _ input: ConsentDecisionRequest, by caller: Caller) async throws -> ConsentRequestResponse {
        guard ["grant", "deny"].contains(input.decision) else { throw ServiceError.badRequest("decision must be grant or deny.") }
        let now = now()
        let releaseId = self.ids.make("rel")
        return try await transact { s in
            guard let member = caller.member, var request = try s.consentRequest(id: id), request.originator == member.organization else {
                return try refuse(s, caller, at: now, .consentDecide, object: id, reasons: .noAccessPath, answer: .notFound("consent request"))
            }
            guard member.may(.decide) else {
                return try refuse(s, caller, at: now, .consentDecide, object: id, concerns: request.holder, reasons: .roleRequired,
                                  answer: .forbidden("Only a releaser of the originator decides consent.", reasons: .roleRequired))
            }
            guard member.status == .active else {
                return try refuse(s, caller, at: now, .consentDecide, object: id, concerns: request.holder, reasons: .memberSuspended,
                                  answer: .forbidden("A suspended member decides nothing.", reasons: .memberSuspended))
            }
            guard request.status == .pending else {
                return .failure(.conflict("The request was already \(request.status.rawValue).", type: "already-decided"))
            }
            if input.decision == "deny" {
                request.status = .denied
            } else {
                guard let original = try s.release(id: request.releaseId), let stored = try s.report(id: request.reportId) else {
                    return .failure(.notFound("release"))
                }
                let partnership = try s.partnership(between: request.originator, and: request.target)
                // why: consent is the originator's explicit approval, ORCON included, but only for what the
                // original release carried and only as far as the rule allows to the third party.
                let outcome = try self.makeRelease(
                    s, id: releaseId, report: stored.report, releaserView: nil, candidates: original.portions, to: request.target,
                    partnership: partnership?.terms(releasesFrom: request.originator), orconApproved: true, by: caller, now: now, consentRequestId: request.id)
                if case .failure(var refused) = outcome {
                    refused.detail = "Consent cannot be honoured: no portion may go to \(request.target) under the rule. The request stays pending."
                    refused.kind = .conflict
                    refused.type = "consent-not-possible"
                    return .failure(refused)
                }
                request.status = .granted
                request.resultingReleaseId = releaseId
            }
            request.decidedBy = member.id
            request.decidedAt = now
            try s.updateConsentRequest(request)
            try s.appendAudit(.by(caller, at: now, action: .consentDecide, object: id, concerns: request.holder, decision: .allow,
                                  detail: "decision=\(request.status.rawValue) target=\(request.target)"))
            return .success(ConsentRequestResponse(request))
        }
    }
}
