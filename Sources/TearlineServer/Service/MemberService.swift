import Crypto
import Foundation
import TearlineCore
import TearlineStore

extension MemberService {
    /// Creates an organisation with a fresh Ed25519 signing key. Node admin only.
    public func createOrganization(_ input: CreateOrganizationRequest, by caller: Caller) async throws -> OrganizationResponse {
        guard case .nodeAdmin = caller else { throw ServiceError.forbidden("Only the node administrator creates organisations.", reasons: .roleRequired) }
        let kind = try Validate.organization(id: input.id, idField: "id", name: input.name, kind: input.kind)
        let key = Curve25519.Signing.PrivateKey()
        let sealed = try masterKey.seal(key.rawRepresentation, context: "org-signing-key:\(input.id)")
        let record = OrganizationRecord(id: input.id, name: input.name, kind: kind, publicKey: key.publicKey.rawRepresentation,
                                        sealedPrivateKey: sealed, createdAt: now())
        let now = now()
        return try await transact { s in
            if try s.organization(id: record.id) != nil {
                return .failure(.conflict("Organisation \(record.id) already exists.", type: "already-exists"))
            }
            try s.insertOrganization(record)
            try s.appendAudit(.by(caller, at: now, action: .organizationCreate, object: record.id, decision: .allow))
            return .success(OrganizationResponse(record))
        }
    }

    /// Organisations the caller may know of: all for the node admin; its own and its partners for a member.
    public func organizations(for caller: Caller) async throws -> [OrganizationResponse] {
        try await store.read { s in
            let all = try s.organizations()
            guard let own = caller.organization else { return all.map(OrganizationResponse.init) }
            let partners = Set(try s.partnerships(involving: own).map { $0.other(than: own) })
            return all.filter { $0.id == own || partners.contains($0.id) }.map(OrganizationResponse.init)
        }
    }

    public func organization(id: String, for caller: Caller) async throws -> OrganizationResponse {
        guard let found = try await organizations(for: caller).first(where: { $0.id == id }) else { throw ServiceError.notFound("organisation") }
        return found
    }

    /// Creates a member and returns its API token, once. Node admin, or an `admin` of the organisation.
    public func createMember(in organization: String, _ input: CreateMemberRequest, by caller: Caller) async throws -> CreatedMemberResponse {
        try Validate.text(input.name, field: "name", max: 200)
        let clearance = try Validate.clearance(input.clearance)
        var roles: [Role] = []
        for text in input.roles {
            guard let role = Role(rawValue: text) else {
                throw ServiceError.badRequest("role \"\(text)\" must be one of analyst, releaser, security, liaison, admin.")
            }
            roles.append(role)
        }
        if roles.isEmpty { throw ServiceError.badRequest("roles must name at least one role.") }
        let compartments = input.compartments ?? []
        let topics = input.topics ?? []
        try Validate.compartments(compartments, field: "compartments")
        try Validate.topics(topics, field: "topics")
        if let seconded = input.secondedTo { try Validate.organizationId(seconded, field: "secondedTo") }
        if input.secondedTo != nil && !roles.contains(.liaison) {
            throw ServiceError.badRequest("secondedTo is only for members with the liaison role.")
        }
        let token = APIToken.generate(random: random)
        let now = now()
        let record = MemberRecord(
            id: self.ids.make("mem"), organization: organization, name: input.name, roles: roles, clearance: clearance,
            compartments: compartments, topics: topics, tokenHash: APIToken.hash(token), secondedTo: input.secondedTo, createdAt: now,
            createdBy: caller.actorId)
        let granter: Granter = caller.member.map { m in
            .member(GrantHolding(organization: m.organization, roles: m.roles, clearance: m.clearance, compartments: m.compartments))
        } ?? .nodeAdmin
        let grant = GrantHolding(organization: organization, roles: roles, clearance: clearance, compartments: compartments)
        return try await transact { s in
            // why: an organisation the caller may not know of is answered exactly as one that does not exist.
            if let m = caller.member, try !self.mayKnow(s, organization: organization, from: m.organization) {
                return try refuse(s, caller, at: now, .memberCreate, object: organization, reasons: .noAccessPath, answer: .notFound("organisation"))
            }
            guard let org = try s.organization(id: organization) else { return .failure(.notFound("organisation")) }
            // why: a partner hosted on another node has its members there; here it has none who could act for it.
            guard !org.isRemote else {
                return .failure(.conflict("\(organization) is hosted on a partner node; its members are created there.", type: "remote-organization"))
            }
            // why: nobody grants more than they hold (clearance, compartments); only an admin staffs its organisation.
            let decision = GrantRule.decide(granter, grants: grant)
            guard decision.isAllowed, (caller.member?.status ?? .active) == .active else {
                let reasons = decision.isAllowed ? DenialReasons.memberSuspended : decision.reasons
                let detail = reasons.contains(.roleRequired)
                    ? "Only the node administrator or an admin of \(organization) creates its members."
                    : "A member is given at most the granting member's own clearance and compartments."
                return try refuse(s, caller, at: now, .memberCreate, object: organization, reasons: reasons,
                                  detail: "clearance=\(clearance.bannerName) compartments=\(compartments.joined(separator: ","))",
                                  answer: .forbidden(detail, reasons: reasons))
            }
            if let seconded = record.secondedTo {
                if let m = caller.member {
                    // why: a member names only organisations it may know of; others answer like unknown ones.
                    guard try self.mayKnow(s, organization: seconded, from: m.organization) else {
                        return .failure(.badRequest("secondedTo is not a partner of \(m.organization) on this node."))
                    }
                } else if try s.organization(id: seconded) == nil {
                    return .failure(.badRequest("secondedTo \"\(seconded)\" is not an organisation on this node."))
                }
            }
            try s.insertMember(record)
            // why: the node administrator's exemption from the grant ceiling is on the record.
            let detail = "createdBy=\(caller.actorId)" + (GrantRule.isExempt(granter) ? " exempt=node-admin" : "")
            try s.appendAudit(.by(caller, at: now, action: .memberCreate, object: record.id, concerns: organization, decision: .allow, detail: detail))
            return .success(CreatedMemberResponse(member: MemberResponse(record), token: token))
        }
    }

    /// Whether a member of `own` may know that organisation `id` exists: its own, or one it has a
    /// partnership with (whatever its status). Others are answered as if they did not exist.
    func mayKnow(_ s: any StoreSession, organization id: String, from own: String) throws -> Bool {
        if id == own { return true }
        return try s.partnership(between: own, and: id) != nil
    }

    public func members(of organization: String, for caller: Caller) async throws -> [MemberResponse] {
        try await store.read { s in
            switch caller {
            case .nodeAdmin: break
            case .member(let m):
                guard m.organization == organization else { throw ServiceError.notFound("organisation") }
                guard m.may(.listMembers) else {
                    throw ServiceError.forbidden("Only admin and security members list members.", reasons: .roleRequired)
                }
            }
            guard try s.organization(id: organization) != nil else { throw ServiceError.notFound("organisation") }
            return try s.members(organization: organization).map(MemberResponse.init)
        }
    }

    /// Suspends or reactivates a member. Node admin, or an `admin` of the member's organisation.
    public func updateMember(id: String, _ input: UpdateMemberRequest, by caller: Caller) async throws -> MemberResponse {
        guard let statusText = input.status else { throw ServiceError.badRequest("Nothing to change: give status.") }
        guard let status = MemberStatus(rawValue: statusText) else { throw ServiceError.badRequest("status must be active or suspended.") }
        let now = now()
        return try await transact { s in
            guard var member = try s.member(id: id) else { return .failure(.notFound("member")) }
            if case .member(let actor) = caller {
                guard actor.organization == member.organization else { return .failure(.notFound("member")) }
                guard actor.may(.administer) else {
                    return try refuse(s, caller, at: now, .memberUpdate, object: id, reasons: .roleRequired,
                                      answer: .forbidden("Only an admin changes a member's status.", reasons: .roleRequired))
                }
                // why: a suspended admin must not lift their own suspension or act on others.
                guard actor.status == .active else {
                    return try refuse(s, caller, at: now, .memberUpdate, object: id, reasons: .memberSuspended,
                                      answer: .forbidden("A suspended member changes nothing.", reasons: .memberSuspended))
                }
            }
            member.status = status
            try s.updateMember(member)
            try s.appendAudit(.by(caller, at: now, action: .memberUpdate, object: id, decision: .allow, detail: "status=\(status.rawValue)"))
            return .success(MemberResponse(member))
        }
    }
}
