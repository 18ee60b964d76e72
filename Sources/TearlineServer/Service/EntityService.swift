import Crypto
import Foundation
import TearlineCore
import TearlineStore

/// Limits of the entity endpoints.
public enum EntityLimits {
    /// Hits carry portion text, so a page of them is small.
    public static let defaultHits = 20
    public static let maxHits = 50
    public static let maxRelated = 100
    public static let maxDepth = 4
}

extension EntityService {
    var pointerKey: SymmetricKey { SymmetricKey(data: pointerKeyBytes) }

    /// Parses and normalises an entity from the API, or refuses with a message that says why.
    static func normalized(kind: String, value: String, field: String) throws(ServiceError) -> NormalizedEntity {
        guard let entityKind = EntityKind(rawValue: kind) else {
            throw .badRequest("\(field).kind \"\(kind)\" is not an entity kind: use one of \(EntityKind.known.map(\.rawValue).joined(separator: ", ")), or a free type of 1–32 lower-case letters, digits and hyphens.")
        }
        try Validate.text(value, field: "\(field).value", max: 1000)
        guard let entity = EntityNormalization.normalize(value, as: entityKind) else {
            throw .badRequest("\(field).value is not a valid \(entityKind.rawValue)\(Self.hint(entityKind)).")
        }
        return entity
    }

    private static func hint(_ kind: EntityKind) -> String {
        switch kind {
        case .phone: " (write it with its country code: +44 20 7946 0958 or 0044…)"
        case .ipv4: " (dotted decimal, no leading zeros)"
        case .ipv6: " (no zone identifier)"
        case .fileHash: " (MD5, SHA-1, SHA-256 or SHA-512 in hex)"
        case .url: " (http, https or ftp with a valid host)"
        default: ""
        }
    }

    /// What the entity index needs to know about a member: the reader, grants and the
    /// organisation's partnerships.
    func asker(_ s: any StoreSession, _ member: MemberRecord) throws -> Asker {
        var partnerships: [String: PartnershipTerms] = [:]
        for p in try s.partnerships(involving: member.organization) {
            // why: what the member's organisation reads of a partner's material is governed by the
            // partner's trust in it (and the partnership's status), never by its own trust in the partner.
            let partner = p.other(than: member.organization)
            partnerships[partner] = p.terms(releasesFrom: partner)
        }
        return Asker(reader: member.reader, grants: try s.grants(member: member.id), partnerships: partnerships)
    }

    func pointerViews(_ pointers: [EntityPointer], entity: UInt64, asker organization: String, now: Int64) throws -> [PointerView] {
        try pointers.map { p in
            PointerView(holder: p.holder, count: p.count, handle: try handle(holder: p.holder, entity: entity, asker: organization, now: now))
        }
    }

    func handle(holder: String, entity: UInt64, asker organization: String, now: Int64) throws -> String {
        try PointerHandle(holder: holder, entity: entity, asker: organization, issuedAt: now).sealed(with: pointerKey)
    }

    /// An entity search: the caller's own hits (with the readable portions that mention the
    /// entity, fingerprinted, each audited as a read and counted against the throttle) and
    /// pointers to discoverable holdings the caller may not read.
    public func searchEntity(_ input: EntitySearchRequest, by caller: Caller) async throws -> EntitySearchResponse {
        guard let member = caller.member else { throw ServiceError.forbidden("Entity search is for members.", reasons: .roleRequired) }
        let entity = try Self.normalized(kind: input.kind, value: input.value, field: "entity")
        let limit = input.limit ?? EntityLimits.defaultHits
        guard (1...EntityLimits.maxHits).contains(limit) else { throw ServiceError.badRequest("limit must be an integer from 1 to \(EntityLimits.maxHits).") }
        let before = try input.cursor.map { cursor throws(ServiceError) -> UInt32 in
            guard let data = Base64URL.decode(cursor), let text = String(data: data, encoding: .utf8), text.hasPrefix("slot:"),
                  let slot = UInt32(text.dropFirst(5)) else { throw .badRequest("cursor is not valid.") }
            return slot
        }
        let now = now()
        return try await lookup { s in
            if let refusal = try self.refuseIfThrottled(s, member, caller: caller, now: now, action: .entitySearch, object: nil) { return .failure(refusal) }
            let id = s.entityId(of: entity)
            let asker = try self.asker(s, member)
            let found = s.withEntityIndex { $0.search(id, for: asker, before: before, limit: limit) }
            var hits: [SearchHit] = []
            for hit in found.hits {
                guard let served = try self.servedHit(s, hit, member: member) else { continue }
                if let kind = try self.throttle.admitRead(member.id, document: served.id, at: now) {
                    return .failure(try self.refuseCrossing(kind, s, member, caller: caller, now: now, action: .entitySearch, object: nil))
                }
                let read = served.kind == "report" ? AuditAction.reportRead : AuditAction.releaseRead
                try s.appendAudit(.by(caller, at: now, action: read, object: served.id,
                                      concerns: served.originator == member.organization ? nil : served.originator, decision: .allow,
                                      detail: "via=entity-search portions=\(served.portions.map { String($0.index) }.joined(separator: ","))"))
                hits.append(served)
            }
            if let kind = try self.throttle.admitResults(member.id, count: hits.count, at: now) {
                return .failure(try self.refuseCrossing(kind, s, member, caller: caller, now: now, action: .entitySearch, object: nil))
            }
            try s.appendAudit(.by(caller, at: now, action: .entitySearch, object: Self.entityObject(id), decision: .allow,
                                  detail: "hits=\(found.hitCount) served=\(hits.count) pointers=\(found.pointers.map { "\($0.holder):\($0.count)" }.joined(separator: ","))"))
            let next = found.nextBefore.map { Base64URL.encode(Data("slot:\($0)".utf8)) }
            return .success(EntitySearchResponse(
                entity: EntityRef(kind: entity.kind.rawValue, value: entity.key), hits: hits, hitCount: found.hitCount,
                pointers: try self.pointerViews(found.pointers, entity: id, asker: member.organization, now: now), next: next))
        }
    }

    /// How an entity appears in the audit log: its blind identifier, never its name.
    static func entityObject(_ id: UInt64) -> String { "entity:" + String(id, radix: 16) }

    /// Builds a hit from the stored document with the full read rule (the index may be a
    /// moment behind the database): nil when nothing the entity index named is readable now.
    private func servedHit(_ s: any StoreSession, _ hit: EntityHit, member: MemberRecord) throws -> SearchHit? {
        let document: DocumentView
        switch hit.access {
        case .originator(let reportId):
            guard let stored = try s.report(id: reportId), stored.report.originator == member.organization else { return nil }
            let view = View.of(stored.report, for: member.reader, hasGrant: try s.hasGrant(member: member.id, report: reportId), channel: .originator)
            document = DocumentView(report: stored.report, view: view, release: nil)
        case .release(let releaseId, _):
            guard case .recipient(let release, let stored, let channel) = try releases.releaseAccess(s, id: releaseId, member: member),
                  let copy = try s.releaseContent(id: releaseId)?.applied(to: stored.report) else { return nil }
            let view = View.of(copy, for: member.reader, hasGrant: try s.hasGrant(member: member.id, report: release.reportId), channel: channel)
            document = DocumentView(report: copy, view: view, release: release)
        }
        let marked = reports.fingerprinted(document, member: member.id)
        let wanted = Set(hit.portions)
        let portions = marked.portions.filter { wanted.contains($0.index) }.map { HitPortion(index: $0.index, marking: $0.marking, text: $0.text) }
        guard !portions.isEmpty else { return nil }
        return SearchHit(kind: marked.kind, id: marked.id, originator: marked.originator, title: marked.title, portions: portions)
    }

    /// The entities that co-occur with one entity in what the caller may read, with counts.
    public func relatedEntities(_ input: RelatedEntitiesRequest, by caller: Caller) async throws -> RelatedEntitiesResponse {
        guard let member = caller.member else { throw ServiceError.forbidden("Link analysis is for members.", reasons: .roleRequired) }
        let entity = try Self.normalized(kind: input.kind, value: input.value, field: "entity")
        let limit = input.limit ?? 50
        guard (1...EntityLimits.maxRelated).contains(limit) else { throw ServiceError.badRequest("limit must be an integer from 1 to \(EntityLimits.maxRelated).") }
        let now = now()
        return try await lookup { s in
            if let refusal = try self.refuseIfThrottled(s, member, caller: caller, now: now, action: .entityRelated, object: nil) { return .failure(refusal) }
            let id = s.entityId(of: entity)
            let asker = try self.asker(s, member)
            let found = s.withEntityIndex { $0.coOccurring(with: id, for: asker, limit: limit) }
            var related: [RelatedEntity] = []
            for item in found {
                guard let name = try s.entity(id: item.entity) else { continue }
                related.append(RelatedEntity(entity: EntityRef(kind: name.kind.rawValue, value: name.key), count: item.count))
            }
            if let kind = try self.throttle.admitResults(member.id, count: related.count, at: now) {
                return .failure(try self.refuseCrossing(kind, s, member, caller: caller, now: now, action: .entityRelated, object: nil))
            }
            try s.appendAudit(.by(caller, at: now, action: .entityRelated, object: Self.entityObject(id), decision: .allow,
                                  detail: "results=\(related.count)"))
            return .success(RelatedEntitiesResponse(entity: EntityRef(kind: entity.kind.rawValue, value: entity.key), related: related))
        }
    }

    /// The shortest chains between two entities over what the caller may read; links through
    /// discoverable holdings the caller may not read are pointers.
    public func entityChains(_ input: EntityChainsRequest, by caller: Caller) async throws -> EntityChainsResponse {
        guard let member = caller.member else { throw ServiceError.forbidden("Link analysis is for members.", reasons: .roleRequired) }
        let from = try Self.normalized(kind: input.from.kind, value: input.from.value, field: "from")
        let to = try Self.normalized(kind: input.to.kind, value: input.to.value, field: "to")
        let depth = input.maxDepth ?? EntityLimits.maxDepth
        guard (1...EntityLimits.maxDepth).contains(depth) else { throw ServiceError.badRequest("maxDepth must be an integer from 1 to \(EntityLimits.maxDepth).") }
        guard from != to else { throw ServiceError.badRequest("from and to name the same entity.") }
        let now = now()
        return try await lookup { s in
            if let refusal = try self.refuseIfThrottled(s, member, caller: caller, now: now, action: .entityChains, object: nil) { return .failure(refusal) }
            let (a, b) = (s.entityId(of: from), s.entityId(of: to))
            let asker = try self.asker(s, member)
            let found = s.withEntityIndex { $0.chains(from: a, to: b, for: asker, maxDepth: depth) }
            var names: [UInt64: EntityRef] = [a: EntityRef(kind: from.kind.rawValue, value: from.key), b: EntityRef(kind: to.kind.rawValue, value: to.key)]
            func name(_ id: UInt64) throws -> EntityRef? {
                if let known = names[id] { return known }
                guard let entity = try s.entity(id: id) else { return nil }
                names[id] = EntityRef(kind: entity.kind.rawValue, value: entity.key)
                return names[id]
            }
            var chains: [[ChainLinkView]] = []
            for chain in found.chains {
                var links: [ChainLinkView] = []
                for link in chain {
                    guard let f = try name(link.from), let t = try name(link.to) else { break }
                    switch link.via {
                    case .document(let access):
                        let kind: String
                        let holder: String
                        if case .release(let id, _) = access {
                            kind = "release"
                            holder = try s.release(id: id)?.originator ?? member.organization
                        } else {
                            kind = "report"
                            holder = member.organization
                        }
                        links.append(ChainLinkView(from: f, to: t, via: "document", documentKind: kind, documentId: access.documentId, holder: holder))
                    case .pointer(let holder):
                        let handle = try self.handle(holder: holder, entity: link.from, asker: member.organization, now: now)
                        links.append(ChainLinkView(from: f, to: t, via: "pointer", pointer: PointerView(holder: holder, count: 1, handle: handle), holder: holder))
                    }
                }
                if links.count == chain.count { chains.append(links) }
            }
            try s.appendAudit(.by(caller, at: now, action: .entityChains, object: Self.entityObject(a), decision: .allow,
                                  detail: "to=\(Self.entityObject(b)) chains=\(chains.count) length=\(found.length)"))
            return .success(EntityChainsResponse(
                from: names[a]!, to: names[b]!, length: chains.isEmpty ? 0 : found.length, chains: chains, truncated: found.truncated))
        }
    }

    /// Corroboration for a view: other originators, known to this member, holding reports on
    /// the entities of the report that the member may read.
    func corroboration(_ s: any StoreSession, reportId: String, member: MemberRecord) throws -> CorroborationView {
        let asker = try asker(s, member)
        let originators = s.withEntityIndex { $0.corroboration(ofReport: reportId, for: asker) }
        return CorroborationView(independentOriginators: originators.count, originators: originators)
    }

    /// Sets who may discover a report through pointers. The originator's releasers, or the
    /// report's author.
    public func setDiscoverability(reportId: String, _ input: DiscoverabilityRequest, by caller: Caller) async throws -> DiscoverabilityResponse {
        let discoverability = try Self.discoverability(input.discoverability, input.discoverableTo)
        let now = now()
        return try await transact { s in
            switch try reports.reportAccess(s, id: reportId, caller: caller, now: now, action: .reportDiscoverability) {
            case .failure(let error): return .failure(error)
            case .success(let (stored, _, member)):
                guard member.may(.setDiscoverability) || stored.report.createdBy == member.id else {
                    return try refuse(s, caller, at: now, .reportDiscoverability, object: reportId, reasons: .roleRequired,
                                      answer: .forbidden("Only a releaser of \(member.organization) or the report's author sets its discoverability.", reasons: .roleRequired))
                }
                if case .partners(let ids) = discoverability {
                    // why: an organisation the caller may not know of is answered exactly as one that does not exist.
                    // (neither the id nor its place is echoed, so that the answer is the same byte for byte)
                    for id in ids where try !members.mayKnow(s, organization: id, from: member.organization) {
                        return .failure(.badRequest("discoverableTo names an organisation that is not a partner of \(member.organization) on this node."))
                    }
                }
                try s.setDiscoverability(discoverability, report: reportId)
                try s.appendAudit(.by(caller, at: now, action: .reportDiscoverability, object: reportId, decision: .allow,
                                      detail: "discoverability=\(discoverability.rawValue)"))
                return .success(DiscoverabilityResponse(discoverability, reportId: reportId))
            }
        }
    }

    /// Parses the API form of a discoverability.
    static func discoverability(_ scope: String?, _ partners: [String]?) throws(ServiceError) -> Discoverability {
        switch scope ?? "own-organisation" {
        case "none", "own-organisation", "all-partners":
            guard partners == nil else { throw .badRequest("discoverableTo goes only with discoverability \"partners\".") }
            return Discoverability(rawValue: scope ?? "own-organisation")!
        case "partners":
            guard let partners, !partners.isEmpty else { throw .badRequest("discoverability \"partners\" needs discoverableTo: a list of organisation ids.") }
            guard partners.count <= 256 else { throw .badRequest("discoverableTo names at most 256 organisations.") }
            for (i, id) in partners.enumerated() { try Validate.organizationId(id, field: "discoverableTo[\(i)]") }
            return .partners(SortedStrings.make(partners))
        default:
            throw .badRequest("discoverability must be none, own-organisation, partners or all-partners.")
        }
    }
}

extension DiscoverabilityResponse {
    init(_ d: Discoverability, reportId: String) {
        self.reportId = reportId
        switch d {
        case .partners(let ids): discoverability = "partners"; discoverableTo = ids
        default: discoverability = d.rawValue; discoverableTo = nil
        }
    }
}
