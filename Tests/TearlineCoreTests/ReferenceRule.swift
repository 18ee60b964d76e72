import TearlineCore

/// The decision rule of DESIGN.md restated independently of `DecisionRule`, with plain `Set`s,
/// explicit ranks and string codes, so the property tests compare two implementations.
enum ReferenceRule {
    /// Rank of each classification: UNCLASSIFIED < RESTRICTED < CONFIDENTIAL < SECRET < TOP SECRET.
    static func rank(_ level: Classification) -> Int {
        switch level {
        case .unclassified: 0
        case .restricted: 1
        case .confidential: 2
        case .secret: 3
        case .topSecret: 4
        }
    }

    /// The highest rank a trust level lets cross a partnership; -1 lets nothing cross.
    static func ceilingRank(_ trust: TrustLevel) -> Int {
        switch trust {
        case .none: -1
        case .minimal: 0
        case .limited: 1
        case .low: 2
        case .high: 3
        case .full: 4
        }
    }

    /// Reasons member `reader` may not read portion `index` (marked `marking`) of `report`; empty when allowed.
    ///
    /// 1. O = X, or a release of r to O includes p, is not revoked, and the partnership is active
    ///    (and, as `DecisionRule` documents, the partnership's current trust still covers p).
    /// 2. clearance ≥ classification, compartments(p) ⊆ compartments(m).
    /// 3. topics(r) meet topics(m), or m holds a grant for r.
    /// 4. m is not throttled or suspended.
    static func read(_ reader: Reader, index: Int, marking: Marking, report: Report, hasGrant: Bool, holding: Holding) -> Set<String> {
        var reasons = Set<String>()
        if reader.organization != report.originator {
            if !holding.hasRelease {
                reasons.insert("no-access-path")
            } else {
                if holding.revoked { reasons.insert("release-revoked") }
                if holding.partnership.status != .active { reasons.insert("partnership-suspended") }
                if !holding.releasePortions.indexes.contains(index) { reasons.insert("portion-not-released") }
                if rank(marking.classification) > ceilingRank(holding.partnership.trust) { reasons.insert("trust-ceiling") }
            }
        }
        if rank(reader.clearance) < rank(marking.classification) { reasons.insert("clearance") }
        if !Set(marking.compartments).isSubset(of: Set(reader.compartments)) { reasons.insert("compartments") }
        if !hasGrant && Set(report.topics).isDisjoint(with: Set(reader.topics)) { reasons.insert("need-to-know") }
        if reader.isThrottled { reasons.insert("member-throttled") }
        if reader.isSuspended { reasons.insert("member-suspended") }
        return reasons
    }

    /// Reasons a portion may not go from `originator` to `partner`; empty when it may.
    ///
    /// - the partnership exists and is active;
    /// - classification ≤ the trust ceiling;
    /// - not sources-and-methods, not NOFORN (and not TLP:RED, which is for named recipients only);
    /// - the partner is in REL TO where the portion is classified (or carries an explicit REL TO);
    /// - ORCON only with the originator's explicit approval;
    /// - and an originator does not release to itself.
    static func release(
        marking: Marking, sourcesAndMethods: Bool, originator: String, partner: String,
        partnership: PartnershipTerms?, orconApproved: Bool
    ) -> Set<String> {
        var reasons = Set<String>()
        if partner == originator { reasons.insert("self-release") }
        if let partnership {
            if partnership.status != .active { reasons.insert("partnership-suspended") }
            if rank(marking.classification) > ceilingRank(partnership.trust) { reasons.insert("trust-ceiling") }
        } else {
            reasons.insert("no-partnership")
        }
        if sourcesAndMethods { reasons.insert("sources-and-methods") }
        if marking.noforn { reasons.insert("noforn") }
        if marking.tlp == .red { reasons.insert("tlp-red") }
        let classified = rank(marking.classification) > 0
        if (classified || marking.relTo != nil) && !(marking.relTo ?? []).contains(partner) {
            reasons.insert("not-rel-to")
        }
        if marking.orcon && !orconApproved { reasons.insert("orcon-not-approved") }
        return reasons
    }

    /// The banner of DESIGN.md: highest classification; union of compartments and ORCON; REL TO the
    /// intersection over the portions that restrict release, empty meaning NOFORN; any NOFORN gives NOFORN.
    static func banner(_ markings: [Marking]) -> Marking? {
        guard !markings.isEmpty else { return nil }
        let level = markings.map(\.classification).max(by: { rank($0) < rank($1) })!
        let compartments = markings.reduce(into: Set<String>()) { $0.formUnion($1.compartments) }
        let orcon = markings.contains { $0.orcon }
        let restricting = markings.filter { rank($0.classification) > 0 || $0.relTo != nil }
        var relTo: Set<String>? = nil
        for marking in restricting {
            let set = Set(marking.relTo ?? [])
            relTo = relTo.map { $0.intersection(set) } ?? set
        }
        let noforn = markings.contains { $0.noforn } || relTo?.isEmpty == true
        let tlp = markings.compactMap(\.tlp).max()
        return Marking(classification: level, compartments: Array(compartments), noforn: noforn, orcon: orcon,
                       relTo: noforn ? nil : relTo.map(Array.init), tlp: tlp)
    }
}
