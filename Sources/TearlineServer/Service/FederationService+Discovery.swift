import Foundation
import TearlineCore
import TearlineStore

/// The holder's side of private discovery: for each partner organisation, an OPRF key and the
/// set of the entities here that are discoverable to it (as tags and sealed pointers); blinded
/// evaluations against a budget; access requests that name a set entry.
extension FederationService {
    /// At most this many entries go in one page of a set (about 5 MB).
    static let discoveryPageEntries = 80_000
    /// At most this many blinded elements in one evaluation request.
    public static let discoveryMaxElements = 16

    /// The organisations hosted here that have a partnership with `partner`, with the terms each sets.
    func discoveryHolders(_ s: any StoreSession, partner: String) throws -> [String: PartnershipTerms] {
        var holders: [String: PartnershipTerms] = [:]
        for p in try s.partnerships(involving: partner) {
            let other = p.other(than: partner)
            guard let o = try s.organization(id: other), !o.isRemote else { continue }
            holders[other] = p.terms(releasesFrom: other)
        }
        return holders
    }

    private struct DiscoveryPlan: Sendable {
        var key: DiscoveryKeyRecord?
        var rotate: DiscoveryRotation.Reason?
        /// Entities whose entry is new or changed: their blind id, name and pointers.
        var changed: [(UInt64, NormalizedEntity, [EntityPointer])]
    }

    /// What a refresh of a partner's set did.
    public struct DiscoveryRefresh: Sendable, Hashable {
        public var epoch: Int64
        /// Why the key was replaced (`first`, `schedule`, `withdrawn`), if it was.
        public var rotated: DiscoveryRotation.Reason?
        public var written: Int
        public var entries: Int
    }

    /// Brings `partner`'s set up to date with the holdings here. New and grown entries are added
    /// under the current key; an entry that goes or shrinks (discoverability withdrawn, a holding
    /// destroyed, a partnership suspended) replaces the key and the whole set, so that nothing the
    /// partner kept of the old set can be matched with new evaluations. Nothing is written when
    /// nothing changed. OPRF evaluations run outside any transaction, on every core.
    @discardableResult
    public func refreshDiscoverySet(partner: String) async throws -> DiscoveryRefresh {
        let now = now()
        let plan = try await store.read { s -> DiscoveryPlan in
            guard let o = try s.organization(id: partner), o.isRemote, try s.peer(organization: partner) != nil else { throw ServiceError.notFound("partner") }
            let key = try s.discoveryKey(partner: partner)
            let holders = try self.discoveryHolders(s, partner: partner)
            let desired = s.withEntityIndex { $0.partnerSet(for: partner, holders: holders) }
            var published: [UInt64: [EntityPointer]] = [:]
            if key != nil { for e in try s.discoveryEntries(partner: partner) { published[e.entity] = DiscoveryHolders.decode(e.holders) ?? [] } }
            let rotate = DiscoveryRotation.reason(keyCreatedAt: key?.createdAt, now: now, published: published, desired: desired)
            var changed: [(UInt64, NormalizedEntity, [EntityPointer])] = []
            for entity in DiscoveryRotation.changed(published: published, desired: desired, rotating: rotate != nil) {
                guard let name = try s.entity(id: entity), let pointers = desired[entity] else { continue }
                changed.append((entity, name, pointers))
            }
            return DiscoveryPlan(key: key, rotate: rotate, changed: changed)
        }
        if plan.rotate == nil, plan.changed.isEmpty, let key = plan.key {
            return DiscoveryRefresh(epoch: key.epoch, rotated: nil, written: 0, entries: 0)
        }
        let oprf: DiscoveryKey
        if plan.rotate != nil { oprf = DiscoveryKey() } else { oprf = try self.discoveryKey(plan.key!) }
        let outputs = await oprf.outputs(plan.changed.map(\.1))
        let sealed = plan.rotate == nil ? Data() : try masterKey.seal(oprf.rawRepresentation, context: "discovery-key:\(partner)")
        return try await store.write { s in
            let current = try s.discoveryKey(partner: partner)
            // why: another refresh (another request, another instance) got there first; its set stands.
            guard current?.epoch == plan.key?.epoch, current?.seq == plan.key?.seq else {
                return DiscoveryRefresh(epoch: current?.epoch ?? 0, rotated: nil, written: 0, entries: 0)
            }
            var record: DiscoveryKeyRecord
            if let current, plan.rotate == nil {
                record = current
            } else {
                record = DiscoveryKeyRecord(partner: partner, epoch: (current?.epoch ?? 0) + 1, sealedKey: sealed, publicKey: oprf.publicKey, createdAt: now,
                                            seq: 0, budget: current?.budget ?? .standard, spent: current?.spent ?? DiscoveryBudgetState())
                try s.deleteDiscoveryEntries(partner: partner)
            }
            for (i, change) in plan.changed.enumerated() {
                record.seq += 1
                try s.saveDiscoveryEntry(DiscoveryEntryRecord(
                    partner: partner, entity: change.0, holders: DiscoveryHolders.encode(change.2), tag: DiscoverySealing.tag(outputs[i]),
                    payload: DiscoverySealing.seal(change.2, output: outputs[i]), seq: record.seq))
            }
            try s.saveDiscoveryKey(record)
            let action: AuditAction = plan.rotate == nil ? .discoveryPublish : .discoveryRotate
            // why in each holder's trail: its security members see what of theirs the partner may now match.
            let holders = try self.discoveryHolders(s, partner: partner).keys.sorted()
            for holder in holders.isEmpty ? [nil] : holders.map(Optional.some) {
                try s.appendAudit(AuditRecord(at: now, actor: "node", organization: holder, concerns: partner, action: action, object: partner, decision: "allow",
                                              reasons: [], detail: "epoch=\(record.epoch) written=\(plan.changed.count)" + (plan.rotate.map { " reason=\($0.rawValue)" } ?? "")))
            }
            return DiscoveryRefresh(epoch: record.epoch, rotated: plan.rotate, written: plan.changed.count, entries: Int(record.seq))
        }
    }

    func discoveryKey(_ record: DiscoveryKeyRecord) throws -> DiscoveryKey {
        try DiscoveryKey(rawRepresentation: try masterKey.open(record.sealedKey, context: "discovery-key:\(record.partner)"))
    }

    /// One page of `organization`'s set for the partner node that called (after refreshing it):
    /// the entries after `after` in the epoch the partner holds, or the whole set from the start
    /// with the reset flag when it holds another epoch. Audited.
    public func discoverySetPage(organization: String, epoch: Int64?, after: Int64, pin: SPKIPin?) async throws -> [UInt8] {
        try Validate.organizationId(organization, field: "organization")
        let known = try await store.read { s in try self.authenticatedPeer(s, organization: organization, pin: pin) != nil }
        guard known else { throw ServiceError.notFound("partner") }
        try await refreshDiscoverySet(partner: organization)
        let now = now()
        return try await lookup { s in
            guard try self.authenticatedPeer(s, organization: organization, pin: pin) != nil, let key = try s.discoveryKey(partner: organization) else {
                return .failure(.notFound("partner"))
            }
            let reset = epoch != key.epoch || after < 0 || after > key.seq
            let from = reset ? 0 : after
            var entries = try s.discoveryEntries(partner: organization, after: from, limit: Self.discoveryPageEntries + 1)
            let more = entries.count > Self.discoveryPageEntries
            if more { entries.removeLast() }
            let page = DiscoverySetPage(epoch: key.epoch, reset: reset, more: more, after: from, through: entries.last?.seq ?? (reset ? 0 : from),
                                        publicKey: key.publicKey, entries: entries.map { DiscoverySetPage.Entry(tag: $0.tag, payload: $0.payload) })
            try self.auditDiscovery(s, partner: organization, holders: try self.discoveryHolders(s, partner: organization).keys.sorted(), at: now,
                                    action: .discoverySet, decision: .allow,
                                    detail: "epoch=\(key.epoch) after=\(from) entries=\(entries.count)\(reset ? " reset" : "")\(more ? " more" : "")")
            return .success(page.encoded())
        }
    }

    /// Evaluates a partner node's blinded elements under its key, once its budget allows all of
    /// them: each evaluation is counted, audited (before the answer) and alerted at the threshold.
    public func discoveryEvaluate(_ input: DiscoveryEvaluateRequest, pin: SPKIPin?) async throws -> DiscoveryEvaluateReply {
        try Validate.organizationId(input.organization, field: "organization")
        guard (1...Self.discoveryMaxElements).contains(input.elements.count) else {
            throw ServiceError.badRequest("elements must hold 1 to \(Self.discoveryMaxElements) blinded elements.")
        }
        let elements = try input.elements.enumerated().map { i, text throws(ServiceError) -> Data in
            guard let data = Data(base64Encoded: text), data.count == DiscoveryOPRF.elementBytes else {
                throw .badRequest("elements[\(i)] must be a blinded element: \(DiscoveryOPRF.elementBytes) bytes, base64.")
            }
            return data
        }
        let now = now()
        let partner = input.organization
        let (record, remaining) = try await transact { s -> Result<(DiscoveryKeyRecord, Int), ServiceError> in
            guard try self.authenticatedPeer(s, organization: partner, pin: pin) != nil, var key = try s.discoveryKey(partner: partner) else {
                return .failure(.notFound("partner"))
            }
            guard input.epoch == key.epoch else {
                return .failure(.conflict("Epoch \(input.epoch) is not the current one; pull the discovery set again.", type: "discovery-epoch-stale"))
            }
            let holders = try self.discoveryHolders(s, partner: partner).keys.sorted()
            let outcome = DiscoveryBudgetRule.charge(elements.count, state: key.spent, budget: key.budget, now: now)
            key.spent = outcome.state
            try s.saveDiscoveryKey(key)
            if let alert = outcome.alert {
                let what = alert == .threshold ? "reached \(key.spent.used) of its \(key.budget.perDay) evaluations for the day"
                    : "exhausted its \(key.budget.perDay) evaluations for the day and was refused"
                for holder in holders {
                    try s.insertAlert(AlertRecord(id: self.ids.make("alr"), organization: holder, subject: Self.remoteMemberId(partner), kind: "discovery-budget",
                                                  detail: "\(partner)'s node \(what) (private discovery).", createdAt: now))
                }
            }
            guard outcome.allowed else {
                try self.auditDiscovery(s, partner: partner, holders: holders, at: now, action: .discoveryEvaluate, decision: .deny(.memberThrottled),
                                        detail: "elements=\(elements.count) used=\(key.spent.used) budget=\(key.budget.perDay) exhausted")
                var refusal = ServiceError(.throttled, type: "discovery-budget-exhausted", title: "Too many requests",
                                           detail: "The evaluation budget for \(partner) is spent for this window (\(key.budget.perDay) a day).",
                                           reasons: DenialReasons.memberThrottled.codes,
                                           retryAfter: Int(max(1, (key.spent.windowStart + DiscoveryBudgetRule.window - now) / 1000)))
                refusal.extra = ["remaining": String(outcome.remaining)]
                return .failure(refusal)
            }
            try self.auditDiscovery(s, partner: partner, holders: holders, at: now, action: .discoveryEvaluate, decision: .allow,
                                    detail: "elements=\(elements.count) used=\(key.spent.used) budget=\(key.budget.perDay) epoch=\(key.epoch)")
            return .success((key, outcome.remaining))
        }
        let key = try discoveryKey(record)
        var evaluations: [String] = []
        for element in elements {
            do { evaluations.append(try key.evaluate(blindedElement: element).base64EncodedString()) } catch {
                throw ServiceError.badRequest("a blinded element is not a P-384 point.")
            }
        }
        return DiscoveryEvaluateReply(epoch: record.epoch, evaluations: evaluations, remaining: remaining)
    }

    /// Audits what a partner's node did with discovery, once for each organisation hosted here that
    /// partners it (so that its security members see it in their trail), or once if none does.
    func auditDiscovery(_ s: any StoreSession, partner: String, holders: [String], at now: Int64, action: AuditAction, decision: Decision,
                        detail: String) throws {
        for concerned in holders.isEmpty ? [nil] : holders.map(Optional.some) {
            try s.appendAudit(Self.peerAudit(partner, at: now, action: action, object: partner, concerns: concerned, decision: decision, detail: detail))
        }
    }

    /// Sets a partner's daily evaluation budget and its alert threshold. Node admin only.
    public func setDiscoveryBudget(partner: String, budget: DiscoveryBudget, by caller: Caller) async throws -> DiscoveryBudget {
        guard case .nodeAdmin = caller else { throw ServiceError.forbidden("Only the node administrator sets discovery budgets.", reasons: .roleRequired) }
        guard budget.perDay >= 0, budget.perDay <= 10_000_000, budget.alertAt >= 1, budget.alertAt <= budget.perDay || budget.perDay == 0 else {
            throw ServiceError.badRequest("the budget must be 0 to 10000000 a day, and the alert threshold from 1 to the budget.")
        }
        try await refreshDiscoverySet(partner: partner)
        let now = now()
        return try await transact { s in
            guard var key = try s.discoveryKey(partner: partner) else { return .failure(.notFound("partner")) }
            key.budget = budget
            try s.saveDiscoveryKey(key)
            try s.appendAudit(.by(caller, at: now, action: .discoveryBudget, object: partner, decision: .allow,
                                  detail: "perDay=\(budget.perDay) alertAt=\(budget.alertAt)"))
            return .success(budget)
        }
    }

    /// The holder's side of an access request from a partner's node: the named entry must be in
    /// the partner's current set and name the holder; the request then waits for the holder's
    /// releasers as one made on this node would. Nil when the entry is not (or no longer) there.
    func receiveAccessRequest(_ s: any StoreSession, _ r: FederationAccessRequest, from partner: String, now: Int64) throws -> Bool {
        if try s.accessRequest(id: r.id) != nil { return true }
        guard let tag = Data(base64Encoded: r.tag), let key = try s.discoveryKey(partner: partner), key.epoch == r.epoch,
              let entry = try s.discoveryEntry(partner: partner, tag: tag), DiscoveryHolders.decode(entry.holders)?.contains(where: { $0.holder == r.holder }) == true,
              let terms = try self.discoveryHolders(s, partner: partner)[r.holder] else { return false }
        let covered = s.withEntityIndex { $0.partnerHoldings(entry.entity, holder: r.holder, partner: partner, terms: terms) }
        guard !covered.isEmpty else { return false }
        let record = AccessRequestRecord(id: r.id, requester: Self.remoteMemberId(partner), requesterOrganization: partner, holder: r.holder,
                                         entity: entry.entity, reports: covered, justification: "\(partner)/\(r.requestedBy): \(r.justification)",
                                         createdAt: min(r.at, now))
        try s.insertAccessRequest(record)
        try s.appendAudit(Self.peerAudit(partner, at: now, action: .accessRequestCreate, object: r.id, concerns: r.holder, decision: .allow,
                                         detail: "via=node holder=\(r.holder) \(EntityService.entityObject(entry.entity)) reports=\(covered.count)"))
        let entity = try s.entity(id: entry.entity)
        for releaser in try s.members(organization: r.holder) where releaser.may(.decide) && releaser.status == .active {
            let detail = NotificationDetail(entity: entity.map { EntityRef(kind: $0.kind.rawValue, value: $0.key) }, accessRequest: r.id, status: "pending")
            try s.insertNotification(NotificationRecord(id: self.ids.make("ntf"), member: releaser.id, kind: "access-request.received",
                                                        detail: try EntityService.encode(detail), createdAt: now))
        }
        return true
    }
}
