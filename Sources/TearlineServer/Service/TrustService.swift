import Foundation
import TearlineCore
import TearlineStore

/// Trust dynamics: every change of trust is recorded with who, when and why; breaches are
/// recorded against the side that committed them, and the wronged side's policy recommends or
/// applies a downgrade; a what-if shows what a lower trust would take away.
extension TrustService {
    public static let reasonBytes = 500

    /// Records a breach against `against` in partnership `p`; the wronged side's policy decides
    /// whether the one-step downgrade of its own trust in `against` is only recommended or applied at once.
    @discardableResult
    func recordBreach(_ s: any StoreSession, _ p: PartnershipRecord, against: String, kind: BreachKind, detail: String, now: Int64) throws -> BreachRecord {
        let wronged = p.other(than: against)
        let current = p.trust(of: wronged)
        let lowered = TrustResponse.downgrade(from: current)
        // why: the wronged side lowers its own trust in the side that breached; only it may.
        let apply = try s.breachResponse(organization: wronged) == .automatic && lowered != current
        let breach = BreachRecord(id: self.ids.make("brc"), partnership: p.id, against: against, kind: kind, detail: detail,
                                  response: apply ? "applied" : "recommended", trust: lowered, at: now)
        try s.insertBreach(breach)
        try s.appendAudit(AuditRecord(at: now, actor: nil, organization: wronged, concerns: against, action: .partnershipBreach, object: p.id,
                                      decision: "allow", detail: "kind=\(kind.rawValue) response=\(breach.response) trust=\(lowered.name)"))
        if apply, case .success(let sides) = PartnershipAuthority.apply(.trust(lowered), by: wronged, to: p.sides) {
            var changed = p
            changed.sides = sides
            changed.updatedAt = now
            try s.updatePartnership(changed)
            let stance: PartnershipStatus = sides.stance(of: wronged)?.suspended == true ? .suspended : .active
            try s.insertTrustChange(TrustChangeRecord(
                id: self.ids.make("tcg"), partnership: p.id, changedBy: "policy", organization: wronged, fromTrust: current, toTrust: lowered,
                fromStatus: stance, toStatus: stance, reason: "automatic downgrade after breach \(breach.id) (\(kind.rawValue))", at: now))
            try s.appendAudit(AuditRecord(at: now, actor: nil, organization: wronged, concerns: against, action: .partnershipUpdate, object: p.id,
                                          decision: "allow", detail: "\(wronged) trust in \(against) \(current.name)->\(lowered.name) by breach policy"))
        }
        return breach
    }

    /// A breach recorded by hand (a traced leak, a consent violation): security or admin of the wronged side.
    public func reportBreach(partnership id: String, _ input: BreachInput, by caller: Caller) async throws -> BreachView {
        guard let kind = BreachKind(rawValue: input.kind) else {
            throw ServiceError.badRequest("kind must be one of \(BreachKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        try Validate.text(input.detail, field: "detail", max: Self.reasonBytes)
        let now = now()
        return try await transact { s in
            guard let member = caller.member, let p = try s.partnership(id: id), p.involves(member.organization) else {
                return .failure(.notFound("partnership"))
            }
            guard input.against == p.other(than: member.organization) else {
                return .failure(.badRequest("against must be the other side of the partnership, \(p.other(than: member.organization))."))
            }
            guard member.may(.recordBreaches) else {
                return try refuse(s, caller, at: now, .partnershipBreach, object: id, concerns: input.against, reasons: .roleRequired,
                                  answer: .forbidden("Breaches are recorded by security or admin members.", reasons: .roleRequired))
            }
            let breach = try self.recordBreach(s, p, against: input.against, kind: kind, detail: input.detail, now: now)
            return .success(Self.view(breach))
        }
    }

    /// The trust history and breaches of a partnership, for either side's admins, security and releasers.
    public func partnershipHistory(id: String, by caller: Caller) async throws -> PartnershipHistory {
        let now = now()
        return try await lookup { s in
            guard let p = try s.partnership(id: id), caller.member.map({ p.involves($0.organization) }) ?? true else {
                return .failure(.notFound("partnership"))
            }
            if let member = caller.member, !member.may(.readPartnerships) {
                return .failure(.forbidden("A partnership's history is for admins, security and releasers.", reasons: .roleRequired))
            }
            let changes = try s.trustChanges(partnership: id).map { c in
                TrustChangeView(changedBy: c.changedBy, organization: c.organization, fromTrust: c.fromTrust.name, toTrust: c.toTrust.name,
                                fromStatus: c.fromStatus.rawValue, toStatus: c.toStatus.rawValue, reason: c.reason, at: Timestamp.string(c.at))
            }
            try s.appendAudit(.by(caller, at: now, action: .partnershipHistory, object: id, decision: .allow))
            let viewer = caller.organization
            return .success(PartnershipHistory(
                partnership: id, trust: [p.first: p.trust(of: p.first).name, p.second: p.trust(of: p.second).name],
                trustLevel: viewer.map { p.trust(of: $0).name }, partnerTrustLevel: viewer.map { p.trust(of: p.other(than: $0)).name },
                status: p.status.rawValue, suspendedBy: p.sides.suspendedBy, trustChanges: changes,
                breaches: try s.breaches(partnership: id).map(Self.view)))
        }
    }

    /// Sets how the organisation responds to breaches against it. Its admins only.
    public func setBreachPolicy(organization: String, _ input: BreachPolicyInput, by caller: Caller) async throws -> BreachPolicyView {
        guard let response = BreachResponse(rawValue: input.response) else { throw ServiceError.badRequest("response must be recommend or automatic.") }
        let now = now()
        return try await transact { s in
            guard let member = caller.member, member.organization == organization else { return .failure(.notFound("organisation")) }
            guard member.may(.administer) else {
                return try refuse(s, caller, at: now, .organizationBreachPolicy, object: organization, reasons: .roleRequired,
                                  answer: .forbidden("Only an admin sets the breach policy.", reasons: .roleRequired))
            }
            try s.setBreachResponse(response, organization: organization)
            try s.appendAudit(.by(caller, at: now, action: .organizationBreachPolicy, object: organization, decision: .allow,
                                  detail: "response=\(response.rawValue)"))
            return .success(BreachPolicyView(organization: organization, response: response.rawValue))
        }
    }

    /// What the partner would lose of the caller's organisation's releases if the organisation's
    /// own trust in it fell to `level` (the only trust that governs those releases).
    public func whatIf(partnership id: String, trustLevel: String, by caller: Caller) async throws -> WhatIfResponse {
        guard let level = TrustLevel(name: trustLevel) else {
            throw ServiceError.badRequest("trust must be one of \(TrustLevel.allCases.map(\.name).joined(separator: ", ")).")
        }
        let now = now()
        return try await lookup { s in
            guard let member = caller.member, let p = try s.partnership(id: id), p.involves(member.organization) else {
                return .failure(.notFound("partnership"))
            }
            let partner = p.other(than: member.organization)
            var exposures: [ReleaseExposure] = []
            var cursor: String?
            repeat {
                let page = try s.releases(recipient: partner, after: cursor, limit: 500)
                for release in page.items where release.originator == member.organization && !release.isRevoked {
                    guard let stored = try s.report(id: release.reportId) else { continue }
                    // The body portions the release carries (the title is not a numbered portion of the API).
                    let portions = stored.report.portions.filter { release.portions.contains($0.index) }
                        .map { ExposedPortion(index: $0.index, classification: $0.marking.classification) }
                    exposures.append(ReleaseExposure(releaseId: release.id, portions: portions))
                }
                cursor = page.next
            } while cursor != nil
            let losses = TrustWhatIf.losses(exposures, at: level)
            try s.appendAudit(.by(caller, at: now, action: .partnershipWhatIf, object: id, decision: .allow,
                                  detail: "trust=\(level.name) releases=\(losses.count)"))
            return .success(WhatIfResponse(
                partner: partner, currentTrustLevel: p.trust(of: member.organization).name, trustLevel: level.name, releasesAffected: losses.count,
                portionsLost: TrustWhatIf.totalLostPortions(exposures, at: level),
                releases: losses.map { ReleaseLossView(releaseId: $0.releaseId, lostPortions: $0.lostPortions, keptPortions: $0.keptPortions) }))
        }
    }

    static func view(_ b: BreachRecord) -> BreachView {
        BreachView(id: b.id, against: b.against, kind: b.kind.rawValue, detail: b.detail, response: b.response, trustLevel: b.trust.name,
                   at: Timestamp.string(b.at))
    }
}
