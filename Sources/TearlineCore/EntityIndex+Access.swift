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
    /// The asker's standing towards the holdings of one query: partnerships resolved once per
    /// organisation number, so the per-posting work is array look-ups and the decision rule.
    struct Standing {
        let asker: Asker
        let organization: UInt32?
        let askerTag: UInt32
        let terms: [PartnershipTerms?]

        init(_ asker: Asker, in index: EntityIndex) {
            self.asker = asker
            organization = index.organizations.number(of: asker.reader.organization)
            askerTag = TagTable.shared.id(asker.reader.organization)
            terms = index.organizations.values.map { asker.partnerships[$0] }
        }
    }

    /// The asker's access to one holding, decided once and applied to each mentioning portion.
    struct SlotAccess {
        let index: EntityIndex
        let slot: UInt32
        let standing: Standing
        let ownOrganization: Bool
        let hasGrant: Bool
        let topics: TagSet
        let releases: [IndexedRelease]
        let discoverable: Bool

        init(_ index: EntityIndex, slot: UInt32, standing: Standing) {
            self.index = index
            self.slot = slot
            self.standing = standing
            let originator = index.originators[Int(slot)]
            ownOrganization = standing.organization == originator
            let reportId = index.reportIds[Int(slot)]
            hasGrant = !standing.asker.grants.isEmpty && standing.asker.grants.contains(reportId)
            topics = index.topicSets.values[Int(index.topicSet[Int(slot)])]
            if ownOrganization {
                releases = []
            } else {
                let organization = standing.asker.reader.organization
                releases = (index.releases[slot] ?? []).filter { $0.recipient == organization }
            }
            discoverable = DiscoveryRule.isDiscoverable(
                index.discoverabilities.values[Int(index.discover[Int(slot)])],
                holder: index.organizations.values[Int(originator)],
                asker: standing.asker.reader.organization,
                partnership: standing.terms[Int(originator)])
        }

        /// Through which document, if any, the asker may read portion `p`.
        func readable(_ p: Int) -> HoldingAccess? {
            guard let portion = index.portion(slot, p) else { return nil }
            let reportId = index.reportIds[Int(slot)]
            if ownOrganization {
                let decision = DecisionRule.read(standing.asker.reader, portionIndex: p, label: portion.label, reportTopics: topics,
                                                 hasGrant: hasGrant, channel: .originator)
                return decision.isAllowed ? .originator(reportId: reportId) : nil
            }
            guard !releases.isEmpty, let terms = standing.terms[Int(index.originators[Int(slot)])] else { return nil }
            for release in releases {
                let facts = ReleaseFacts(portions: release.portions, revoked: release.revoked, partnership: terms)
                let decision = DecisionRule.read(standing.asker.reader, portionIndex: p, label: portion.label, reportTopics: topics,
                                                 hasGrant: hasGrant, channel: .release(facts))
                if decision.isAllowed { return .release(id: release.id, reportId: reportId) }
            }
            return nil
        }

        /// May a mention in portion `p` count towards a pointer to the holder for this asker?
        func pointable(_ p: Int) -> Bool {
            guard discoverable, let portion = index.portion(slot, p) else { return false }
            // why: nothing in a pointer may reveal a sources-and-methods portion, to anyone.
            if portion.sourcesAndMethods { return false }
            return ownOrganization || DiscoveryRule.mayPointAcross(portion.label, sourcesAndMethods: false, askerTag: standing.askerTag)
        }

        var holder: String { index.organizations.values[Int(index.originators[Int(slot)])] }
    }
}
