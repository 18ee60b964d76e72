import Foundation
import TearlineCore
import TearlineStore

/// The asker's side of private discovery: partner nodes' sets, kept as they were pulled; a
/// search that matches the PRF output of one entity against them; access requests through the
/// pointers it finds.
extension EntityService {
    /// What a private search needs before it goes to the network: the entity, and the sets of the
    /// partner nodes the caller's organisation holds.
    public struct PartnerSearchPlan: Sendable {
        public var entity: NormalizedEntity
        public var organization: String
        public var sets: [RemoteDiscoverySetRecord]
        /// Where each set's node answers, and its pins.
        public var peers: [String: PeerRecord]
    }

    /// How one partner node answered: the PRF output, or why there is none.
    public enum PartnerOutcome: Sendable {
        case output(Data)
        case budgetExhausted, staleSet, unreachable
        case refused(String)
    }

    public func planPartnerSearch(kind: String, value: String, by caller: Caller) async throws -> PartnerSearchPlan {
        guard let member = caller.member else { throw ServiceError.forbidden("Entity search is for members.", reasons: .roleRequired) }
        let entity = try Self.normalized(kind: kind, value: value, field: "entity")
        let now = now()
        return try await lookup { s in
            if let refusal = try self.refuseIfThrottled(s, member, caller: caller, now: now, action: .entityPartnerSearch, object: nil) { return .failure(refusal) }
            let sets = try s.remoteDiscoverySets(organization: member.organization)
            var peers: [String: PeerRecord] = [:]
            for set in sets { peers[set.peer] = try s.peer(organization: set.peer) }
            return .success(PartnerSearchPlan(entity: entity, organization: member.organization, sets: sets.filter { peers[$0.peer] != nil }, peers: peers))
        }
    }

    /// Matches the partner nodes' outputs against their sets: a pointer per holder for each entry
    /// that matched, with a handle for an access request. Audited (the entity by its blind id only);
    /// an evaluation that did not verify is audited and alerted to the organisation's security members.
    public func finishPartnerSearch(_ plan: PartnerSearchPlan, outcomes: [String: PartnerOutcome], by caller: Caller) async throws -> PartnerSearchResponse {
        guard let member = caller.member else { throw ServiceError.forbidden("Entity search is for members.", reasons: .roleRequired) }
        let now = now()
        return try await transact { s in
            let id = s.entityId(of: plan.entity)
            var pointers: [PartnerPointerView] = []
            var nodes: [PartnerNodeStatus] = []
            for set in plan.sets {
                switch outcomes[set.peer] ?? .unreachable {
                case .output(let output):
                    nodes.append(PartnerNodeStatus(node: set.peer, status: "searched"))
                    let tag = DiscoverySealing.tag(output)
                    guard let payload = try s.remoteDiscoveryPayload(peer: set.peer, organization: plan.organization, tag: tag),
                          let found = DiscoverySealing.open(payload, output: output) else { continue }
                    for p in found {
                        let handle = PointerHandle(holder: p.holder, entity: id, asker: member.organization, issuedAt: now, peer: set.peer, epoch: set.epoch,
                                                   tag: tag.base64EncodedString())
                        pointers.append(PartnerPointerView(node: set.peer, holder: p.holder, count: p.count, handle: try handle.sealed(with: self.pointerKey)))
                    }
                case .budgetExhausted: nodes.append(PartnerNodeStatus(node: set.peer, status: "budget-exhausted"))
                case .staleSet: nodes.append(PartnerNodeStatus(node: set.peer, status: "stale-set"))
                case .unreachable: nodes.append(PartnerNodeStatus(node: set.peer, status: "unreachable"))
                case .refused(let reason):
                    nodes.append(PartnerNodeStatus(node: set.peer, status: "refused-evaluation"))
                    // why: a partner node whose evaluation does not verify is lying or was replaced; security must know.
                    try s.appendAudit(FederationService.nodeAudit(from: set.peer, at: plan.organization, time: now, action: .discoveryRefused, object: set.peer,
                                                                  decision: .deny(.badSignature), detail: "reason=\(reason)"))
                    try s.insertAlert(AlertRecord(id: self.ids.make("alr"), organization: plan.organization, subject: FederationService.remoteMemberId(set.peer),
                                                  kind: "discovery-refused", detail: "\(set.peer)'s node answered a private search with an evaluation that does not verify: \(reason)",
                                                  createdAt: now))
                }
            }
            try s.appendAudit(.by(caller, at: now, action: .entityPartnerSearch, object: Self.entityObject(id), decision: .allow,
                                  detail: "nodes=\(nodes.map { "\($0.node):\($0.status)" }.joined(separator: ",")) pointers=\(pointers.map { "\($0.node)/\($0.holder):\($0.count)" }.joined(separator: ","))"))
            return .success(PartnerSearchResponse(entity: EntityRef(kind: plan.entity.kind.rawValue, value: plan.entity.key), pointers: pointers, nodes: nodes))
        }
    }

    /// An access request through a pointer from a partner node: recorded here, sent to the
    /// holder's node on the next exchange, decided there.
    func requestRemoteAccess(_ s: any StoreSession, _ handle: PointerHandle, peer: String, id: String, justification: String,
                             member: MemberRecord, caller: Caller, now: Int64) throws -> Result<AccessRequestView, ServiceError> {
        guard let epoch = handle.epoch, let tagText = handle.tag, let tag = Data(base64Encoded: tagText),
              let set = try s.remoteDiscoverySet(peer: peer, organization: member.organization), set.epoch == epoch,
              try s.remoteDiscoveryPayload(peer: peer, organization: member.organization, tag: tag) != nil else {
            // why: the set changed since the search (a new epoch, the entry withdrawn); the pointer names nothing now.
            return try refuse(s, caller, at: now, .accessRequestCreate, object: Self.entityObject(handle.entity), concerns: peer,
                              reasons: .noAccessPath, detail: "handle=stale via=node", answer: .notFound("pointer"))
        }
        let holder = try s.organization(id: handle.holder) != nil ? handle.holder : peer
        if let pending = try s.accessRequests(holder: nil, requesterOrganization: member.organization, limit: 1000).first(where: {
            $0.requester == member.id && $0.holder == holder && $0.entity == handle.entity && $0.status == .pending
        }) {
            return .failure(.conflict("An access request for this pointer is already pending: \(pending.id).", type: "access-request-pending"))
        }
        let record = AccessRequestRecord(id: id, requester: member.id, requesterOrganization: member.organization, holder: holder,
                                         entity: handle.entity, reports: [], justification: justification, createdAt: now)
        try s.insertAccessRequest(record)
        try s.insertRemoteAccessLink(RemoteAccessLinkRecord(id: id, peer: peer, holder: handle.holder, epoch: epoch, tag: tag))
        try s.appendAudit(.by(caller, at: now, action: .accessRequestCreate, object: id, concerns: holder, decision: .allow,
                              detail: "via=node peer=\(peer) holder=\(handle.holder) \(Self.entityObject(handle.entity))"))
        return .success(try view(s, record, forHolder: false))
    }
}

/// The asker node's side of the set exchange: pages pulled from a partner node are stored in order.
extension FederationService {
    /// Where the stored copy of `peer`'s set for `organization` stands: its epoch and last sequence number.
    public func remoteDiscoveryPosition(peer: String, organization: String) async throws -> (epoch: Int64, through: Int64)? {
        try await store.read { s in try s.remoteDiscoverySet(peer: peer, organization: organization).map { ($0.epoch, $0.through) } }
    }

    /// Stores a page of `peer`'s set for `organization`. A reset page replaces what was held; any
    /// other must continue exactly where the copy stands, under the same key, or nothing is written.
    public func storeDiscoveryPage(peer: String, organization: String, page: DiscoverySetPage) async throws {
        guard DiscoveryOPRF.isPublicKey(page.publicKey) else { throw FederationError.partnerAnswered(200, "the discovery set's public key is not a P-384 key") }
        let now = now()
        try await store.write { s in
            guard let o = try s.organization(id: peer), o.isRemote else { throw ServiceError.notFound("partner node") }
            let held = try s.remoteDiscoverySet(peer: peer, organization: organization)
            if page.reset {
                try s.deleteRemoteDiscoverySet(peer: peer, organization: organization)
            } else {
                guard let held, held.epoch == page.epoch, held.through == page.after, held.publicKey == page.publicKey else {
                    throw FederationError.partnerAnswered(200, "the discovery set page does not continue the copy held here")
                }
            }
            try s.saveRemoteDiscoveryEntries(peer: peer, organization: organization, page.entries)
            try s.saveRemoteDiscoverySet(RemoteDiscoverySetRecord(peer: peer, organization: organization, epoch: page.epoch, publicKey: page.publicKey,
                                                                  through: page.through, updatedAt: now))
            if page.reset || !page.entries.isEmpty {
                try s.appendAudit(Self.nodeAudit(from: peer, at: organization, time: now, action: .discoverySet, object: peer, decision: .allow,
                                                 detail: "epoch=\(page.epoch) entries=\(page.entries.count)\(page.reset ? " reset" : "")"))
            }
        }
    }

    /// Forgets `peer`'s set for `organization` (the partner offers none any more).
    public func dropDiscoverySet(peer: String, organization: String) async throws {
        try await store.write { s in try s.deleteRemoteDiscoverySet(peer: peer, organization: organization) }
    }
}
