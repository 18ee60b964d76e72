import Foundation
import TearlineCore
import TearlineStore

extension TrustService {
    /// Creates a partnership between two organisations. Node admin only.
    public func createPartnership(_ input: CreatePartnershipRequest, by caller: Caller) async throws -> PartnershipResponse {
        guard case .nodeAdmin = caller else { throw ServiceError.forbidden("Only the node administrator creates partnerships.", reasons: .roleRequired) }
        guard input.organizations.count == 2, input.organizations[0] != input.organizations[1] else {
            throw ServiceError.badRequest("organizations must name two different organisations.")
        }
        for id in input.organizations { try Validate.organizationId(id, field: "organizations") }
        guard let kind = PartnershipKind(rawValue: input.kind) else { throw ServiceError.badRequest("kind must be peer or hierarchical.") }
        guard let trust = TrustLevel(name: input.trustLevel) else {
            throw ServiceError.badRequest("trustLevel \"\(input.trustLevel)\" must be one of \(TrustLevel.allCases.map(\.name).joined(separator: ", ")).")
        }
        let status = try input.status.map { text throws(ServiceError) in
            guard let s = PartnershipStatus(rawValue: text) else { throw ServiceError.badRequest("status must be active or suspended.") }
            return s
        } ?? .active
        // why: both sides start at the same trust in each other; each then sets its own. A
        // partnership created suspended is suspended by both sides, and each lifts its own.
        switch (kind, input.dominant) {
        case (.hierarchical, nil): throw ServiceError.badRequest("a hierarchical partnership names its dominant side.")
        case (.hierarchical, let d?) where !input.organizations.contains(d):
            throw ServiceError.badRequest("dominant \"\(d)\" must be one of the two organisations.")
        case (.peer, _?): throw ServiceError.badRequest("a peer partnership has no dominant side.")
        default: break
        }
        let now = now()
        let record = PartnershipRecord(
            id: self.ids.make("pts"), first: input.organizations[0], second: input.organizations[1], kind: kind,
            dominant: input.dominant, trust: trust, status: status, createdAt: now, updatedAt: now)
        return try await transact { s in
            for id in [record.first, record.second] where try s.organization(id: id) == nil {
                return .failure(.badRequest("organizations: \"\(id)\" is not an organisation on this node."))
            }
            if try s.partnership(between: record.first, and: record.second) != nil {
                return .failure(.conflict("\(record.first) and \(record.second) already have a partnership.", type: "already-exists"))
            }
            try s.insertPartnership(record)
            try s.appendAudit(.by(caller, at: now, action: .partnershipCreate, object: record.id, decision: .allow,
                                  detail: "\(record.first)-\(record.second) \(kind.rawValue) trust=\(trust.name)"))
            return .success(PartnershipResponse(record, viewer: nil))
        }
    }

    public func partnerships(for caller: Caller) async throws -> [PartnershipResponse] {
        try await store.read { s in try s.partnerships(involving: caller.organization).map { PartnershipResponse($0, viewer: caller.organization) } }
    }

    /// Changes one side's stance in a partnership: its trust in the other side, or its own
    /// suspension. The change takes effect at once on every release over it, and nothing is deleted.
    ///
    /// why: trust is directional and a sanction stands until the side that imposed it lifts it
    /// (``PartnershipAuthority``). Members need the `admin` role and act for their own side; the
    /// node administrator acts for a side hosted on this node, named by `side` when both are.
    public func updatePartnership(id: String, _ input: UpdatePartnershipRequest, by caller: Caller) async throws -> PartnershipResponse {
        if input.status == nil && input.trustLevel == nil { throw ServiceError.badRequest("Nothing to change: give status or trustLevel.") }
        var changes: [PartnershipChange] = []
        if let text = input.trustLevel {
            guard let t = TrustLevel(name: text) else {
                throw ServiceError.badRequest("trustLevel \"\(text)\" must be one of \(TrustLevel.allCases.map(\.name).joined(separator: ", ")).")
            }
            changes.append(.trust(t))
        }
        if let text = input.status {
            guard let status = PartnershipStatus(rawValue: text) else { throw ServiceError.badRequest("status must be active or suspended.") }
            changes.append(status == .suspended ? .suspend : .lift)
        }
        if let reason = input.reason { try Validate.text(reason, field: "reason", max: Self.reasonBytes) }
        if let side = input.side {
            try Validate.organizationId(side, field: "side")
            if let own = caller.organization, side != own {
                throw ServiceError.badRequest("side is for the node administrator; a member changes only its own organisation's side (\(own)).")
            }
        }
        let now = now()
        let requested = changes
        return try await transact { s in
            guard let before = try s.partnership(id: id) else { return .failure(.notFound("partnership")) }
            let side: String
            switch caller {
            case .member(let m):
                guard before.involves(m.organization) else { return .failure(.notFound("partnership")) }
                guard m.may(.administer) && m.status == .active else {
                    let reason: DenialReasons = .roleRequired
                    return try refuse(s, caller, at: now, .partnershipUpdate, object: id, concerns: before.other(than: m.organization), reasons: reason,
                                      answer: .forbidden("Only an admin of a side changes that side's stance.", reasons: reason))
                }
                side = m.organization
            case .nodeAdmin:
                let hosted = try [before.first, before.second].filter { try s.organization(id: $0).map { !$0.isRemote } ?? false }
                if let named = input.side {
                    guard before.involves(named) else { return .failure(.badRequest("side \"\(named)\" is not a side of this partnership.")) }
                    guard hosted.contains(named) else {
                        return .failure(.badRequest("side \"\(named)\" is hosted on another node; its own node changes its stance."))
                    }
                    side = named
                } else {
                    guard hosted.count == 1, let only = hosted.first else {
                        return .failure(.badRequest(hosted.isEmpty
                            ? "Neither side is hosted here; each side's own node changes its stance."
                            : "Both sides are hosted here: name the side you act for in side."))
                    }
                    side = only
                }
            }
            let other = before.other(than: side)
            var p = before
            for change in requested {
                switch PartnershipAuthority.apply(change, by: side, to: p.sides) {
                case .success(let sides): p.sides = sides
                case .failure(.imposedByPartner(let imposer)):
                    try s.appendAudit(AuditRecord(at: now, actor: caller.actorId, organization: side, concerns: other, action: .partnershipUpdate,
                                                  object: id, decision: "deny", reasons: DenialReasons.imposedByPartner.codes, detail: "lift"))
                    return .failure(.forbidden("\(imposer) suspended this partnership; only \(imposer) lifts its suspension.", reasons: .imposedByPartner))
                case .failure(.notASide):
                    return .failure(.notFound("partnership"))
                }
            }
            let was = before.sides.stance(of: side) ?? PartnershipStance(trust: .none)
            let after = p.sides.stance(of: side) ?? was
            var described: [String] = []
            if was.suspended != after.suspended { described.append("\(side) \(after.suspended ? "suspended" : "lifted its suspension")") }
            if was.trust != after.trust { described.append("\(side) trust in \(other) \(was.trust.name)->\(after.trust.name)") }
            p.updatedAt = now
            try s.updatePartnership(p)
            if !described.isEmpty {
                // why: every change of trust is recorded with who changed it, for which side, when and why.
                try s.insertTrustChange(TrustChangeRecord(
                    id: self.ids.make("tcg"), partnership: id, changedBy: caller.actorId, organization: side,
                    fromTrust: was.trust, toTrust: after.trust, fromStatus: was.suspended ? .suspended : .active,
                    toStatus: after.suspended ? .suspended : .active, reason: input.reason ?? "", at: now))
            }
            // why: the change is audited on both sides.
            try s.appendAudit(AuditRecord(at: now, actor: caller.actorId, organization: side, concerns: other, action: .partnershipUpdate,
                                          object: id, decision: "allow", detail: described.joined(separator: "; ")))
            return .success(PartnershipResponse(p, viewer: caller.organization))
        }
    }
}
