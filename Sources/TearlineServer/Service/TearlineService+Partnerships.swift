import Foundation
import TearlineCore
import TearlineStore

extension TearlineService {
    /// Creates a partnership between two organisations. Node admin only.
    public func createPartnership(_ input: CreatePartnershipRequest, by caller: Caller) async throws -> PartnershipResponse {
        guard case .nodeAdmin = caller else { throw Problem.forbidden("Only the node administrator creates partnerships.", reasons: .roleRequired) }
        guard input.organizations.count == 2, input.organizations[0] != input.organizations[1] else {
            throw Problem.badRequest("organizations must name two different organisations.")
        }
        for id in input.organizations { try Validate.organizationId(id, field: "organizations") }
        guard let kind = PartnershipKind(rawValue: input.kind) else { throw Problem.badRequest("kind must be peer or hierarchical.") }
        guard let trust = TrustLevel(name: input.trustLevel) else {
            throw Problem.badRequest("trustLevel \"\(input.trustLevel)\" must be one of \(TrustLevel.allCases.map(\.name).joined(separator: ", ")).")
        }
        let status = try input.status.map { text throws(Problem) in
            guard let s = PartnershipStatus(rawValue: text) else { throw Problem.badRequest("status must be active or suspended.") }
            return s
        } ?? .active
        switch (kind, input.dominant) {
        case (.hierarchical, nil): throw Problem.badRequest("a hierarchical partnership names its dominant side.")
        case (.hierarchical, let d?) where !input.organizations.contains(d):
            throw Problem.badRequest("dominant \"\(d)\" must be one of the two organisations.")
        case (.peer, _?): throw Problem.badRequest("a peer partnership has no dominant side.")
        default: break
        }
        let now = now()
        let record = PartnershipRecord(
            id: Identifier.make("pts"), first: input.organizations[0], second: input.organizations[1], kind: kind,
            dominant: input.dominant, trust: trust, status: status, createdAt: now, updatedAt: now)
        return try await transact { s in
            for id in [record.first, record.second] where try s.organization(id: id) == nil {
                return .failure(.badRequest("organizations: \"\(id)\" is not an organisation on this node."))
            }
            if try s.partnership(between: record.first, and: record.second) != nil {
                return .failure(.conflict("\(record.first) and \(record.second) already have a partnership.", type: "already-exists"))
            }
            try s.insertPartnership(record)
            try s.appendAudit(.by(caller, at: now, action: "partnership.create", object: record.id, decision: .allow,
                                  detail: "\(record.first)-\(record.second) \(kind.rawValue) trust=\(trust.name)"))
            return .success(PartnershipResponse(record))
        }
    }

    public func partnerships(for caller: Caller) async throws -> [PartnershipResponse] {
        try await store.read { s in try s.partnerships(involving: caller.organization).map(PartnershipResponse.init) }
    }

    /// Changes a partnership's status or trust level. The change takes effect at once on every
    /// release over it, and nothing is deleted.
    ///
    /// why: in a hierarchical partnership only the dominant side may withdraw or restore support
    /// and set trust; in a peer partnership either side may. Members need the `admin` role.
    public func updatePartnership(id: String, _ input: UpdatePartnershipRequest, by caller: Caller) async throws -> PartnershipResponse {
        if input.status == nil && input.trustLevel == nil { throw Problem.badRequest("Nothing to change: give status or trustLevel.") }
        let status = try input.status.map { text throws(Problem) in
            guard let s = PartnershipStatus(rawValue: text) else { throw Problem.badRequest("status must be active or suspended.") }
            return s
        }
        let trust = try input.trustLevel.map { text throws(Problem) in
            guard let t = TrustLevel(name: text) else {
                throw Problem.badRequest("trustLevel \"\(text)\" must be one of \(TrustLevel.allCases.map(\.name).joined(separator: ", ")).")
            }
            return t
        }
        if let reason = input.reason { try Validate.text(reason, field: "reason", max: Self.reasonBytes) }
        let now = now()
        return try await transact { s in
            guard var p = try s.partnership(id: id) else { return .failure(.notFound("partnership")) }
            let before = p
            if case .member(let m) = caller {
                guard p.involves(m.organization) else { return .failure(.notFound("partnership")) }
                let authorised = m.has(.admin) && m.status == .active
                    && PartnershipAuthority.maySetStatus(kind: p.kind, dominant: p.dominant, sides: (p.first, p.second), actor: m.organization)
                guard authorised else {
                    let reason: DenialReasons = .roleRequired
                    try s.appendAudit(.by(caller, at: now, action: "partnership.update", object: id, concerns: p.other(than: m.organization),
                                          decision: .deny(reason)))
                    let detail = p.kind == .hierarchical && m.has(.admin)
                        ? "Only the dominant side (\(p.dominant ?? "")) changes a hierarchical partnership."
                        : "Only an admin of a side changes the partnership."
                    return .failure(.forbidden(detail, reasons: reason))
                }
            }
            var changes: [String] = []
            if let status, status != p.status { changes.append("status \(p.status.rawValue)->\(status.rawValue)"); p.status = status }
            if let trust, trust != p.trust { changes.append("trust \(p.trust.name)->\(trust.name)"); p.trust = trust }
            p.updatedAt = now
            try s.updatePartnership(p)
            if !changes.isEmpty {
                // why: every change of trust is recorded with who changed it, when and why.
                try s.insertTrustChange(TrustChangeRecord(
                    id: Identifier.make("tcg"), partnership: id, changedBy: caller.actorId, organization: caller.organization,
                    fromTrust: before.trust, toTrust: p.trust, fromStatus: before.status, toStatus: p.status, reason: input.reason ?? "", at: now))
            }
            // why: the change is audited on both sides.
            let concerns = caller.organization.map { p.other(than: $0) } ?? p.second
            try s.appendAudit(.by(caller, at: now, action: "partnership.update", object: id, concerns: concerns, decision: .allow,
                                  detail: changes.joined(separator: "; ")))
            if caller.organization == nil {
                try s.appendAudit(AuditRecord(at: now, actor: caller.actorId, organization: p.first, concerns: p.second,
                                              action: "partnership.update", object: id, decision: "allow", detail: changes.joined(separator: "; ")))
            }
            return .success(PartnershipResponse(p))
        }
    }
}
