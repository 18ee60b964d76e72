/// Who asks the entity index: a reader with the facts the decision rule needs about them.
public struct Asker: Sendable {
    public var reader: Reader
    /// Reports the reader holds an explicit need-to-know grant for.
    public var grants: Set<String>
    /// The reader's organisation's partnerships, keyed by the other organisation.
    public var partnerships: [String: PartnershipTerms]

    public init(reader: Reader, grants: Set<String> = [], partnerships: [String: PartnershipTerms] = [:]) {
        self.reader = reader
        self.grants = grants
        self.partnerships = partnerships
    }
}

/// How a reader comes to read an indexed report: as a member of its originator, or through a release.
public enum HoldingAccess: Sendable, Hashable {
    case originator(reportId: String)
    case release(id: String, reportId: String)

    public var reportId: String {
        switch self {
        case .originator(let id), .release(_, let id): id
        }
    }

    /// The document the reader opens: the report itself, or the release.
    public var documentId: String {
        switch self {
        case .originator(let id): id
        case .release(let id, _): id
        }
    }
}

extension EntityIndex {
    /// The asker's standing towards the holdings of one query, with per-query caches, so that
    /// the per-posting work is array look-ups and the decision rule (no strings, no hashing).
    final class Standing {
        let asker: Asker
        let organization: UInt32?
        let askerTag: UInt32
        /// Partnership terms by organisation number.
        let terms: [PartnershipTerms?]
        /// Slots the asker holds a need-to-know grant for.
        let grantSlots: Set<UInt32>
        /// Lazily filled: is a discoverability (by number) open to the asker, per originator number? 0 unknown, 1 yes, 2 no.
        var discoverable: [UInt8]

        init(_ asker: Asker, in index: EntityIndex) {
            self.asker = asker
            organization = index.organizations.number(of: asker.reader.organization)
            askerTag = TagTable.shared.id(asker.reader.organization)
            terms = index.organizations.values.map { asker.partnerships[$0] }
            grantSlots = Set(asker.grants.compactMap { index.slots[$0] })
            discoverable = Array(repeating: 0, count: index.discoverabilities.values.count * max(1, index.organizations.values.count))
        }
    }

    /// The asker's access to one holding, decided once and applied to each mentioning portion.
    struct SlotAccess {
        let slot: UInt32
        let originator: UInt32
        let ownOrganization: Bool
        let hasGrant: Bool
        let topics: TagSet
        let discoverable: Bool
        /// Whether the holding has releases at all (they are looked up only then).
        let released: Bool
    }

    /// How the asker reads a portion: as the originator, or through the release at this position.
    enum ReadVia: Equatable {
        case originator
        case release(Int)
    }

    func access(_ slot: UInt32, _ standing: Standing) -> SlotAccess {
        let i = Int(slot)
        let originator = originators[i]
        let d = Int(discover[i])
        let key = d * organizations.values.count + Int(originator)
        var open = standing.discoverable[key]
        if open == 0 {
            let yes = DiscoveryRule.isDiscoverable(discoverabilities.values[d], holder: organizations.values[Int(originator)],
                                                   asker: standing.asker.reader.organization, partnership: standing.terms[Int(originator)])
            open = yes ? 1 : 2
            standing.discoverable[key] = open
        }
        return SlotAccess(slot: slot, originator: originator, ownOrganization: standing.organization == originator,
                          hasGrant: !standing.grantSlots.isEmpty && standing.grantSlots.contains(slot),
                          topics: topicSets.values[Int(topicSet[i])], discoverable: open == 1, released: hasReleases[i])
    }

    /// Through what, if anything, the asker may read portion `p` of the holding (the decision rule).
    func readable(_ a: SlotAccess, _ p: Int, _ standing: Standing) -> ReadVia? {
        guard let portion = portion(a.slot, p) else { return nil }
        let reader = standing.asker.reader
        if a.ownOrganization {
            let decision = DecisionRule.read(reader, portionIndex: p, label: portion.label, reportTopics: a.topics,
                                             hasGrant: a.hasGrant, channel: .originator)
            return decision.isAllowed ? .originator : nil
        }
        guard a.released, let terms = standing.terms[Int(a.originator)], let list = releases[a.slot] else { return nil }
        for (n, release) in list.enumerated() where release.recipient == reader.organization {
            let facts = ReleaseFacts(portions: release.portions, revoked: release.revoked, partnership: terms)
            let decision = DecisionRule.read(reader, portionIndex: p, label: portion.label, reportTopics: a.topics,
                                             hasGrant: a.hasGrant, channel: .release(facts))
            if decision.isAllowed { return .release(n) }
        }
        return nil
    }

    /// May a mention in portion `p` count towards a pointer to the holder for this asker?
    func pointable(_ a: SlotAccess, _ p: Int, _ standing: Standing) -> Bool {
        guard a.discoverable, let portion = portion(a.slot, p) else { return false }
        // why: nothing in a pointer may reveal a sources-and-methods portion, to anyone.
        if portion.sourcesAndMethods { return false }
        return a.ownOrganization || DiscoveryRule.mayPointAcross(portion.label, sourcesAndMethods: false, askerTag: standing.askerTag)
    }

    /// The document a reading goes through, named for the API.
    func holdingAccess(_ a: SlotAccess, _ via: ReadVia) -> HoldingAccess {
        let reportId = reportIds[Int(a.slot)]
        switch via {
        case .originator: return .originator(reportId: reportId)
        case .release(let n): return .release(id: releases[a.slot]![n].id, reportId: reportId)
        }
    }

    func holder(_ a: SlotAccess) -> String { organizations.values[Int(a.originator)] }

    /// Whether the asker may read any of these portions of the holding.
    func readsAny(_ a: SlotAccess, _ portions: [Int], _ standing: Standing) -> Bool {
        portions.contains { readable(a, $0, standing) != nil }
    }
}
