/// One portion of a release already made, as the trust what-if reads it.
public struct ExposedPortion: Sendable, Hashable {
    public var index: Int
    public var classification: Classification

    public init(index: Int, classification: Classification) {
        self.index = index
        self.classification = classification
    }
}

/// A release already made over a partnership, with the portions it holds.
public struct ReleaseExposure: Sendable, Hashable {
    public var releaseId: String
    public var portions: [ExposedPortion]

    public init(releaseId: String, portions: [ExposedPortion]) {
        self.releaseId = releaseId
        self.portions = portions
    }
}

/// What one release would lose at a new trust level.
public struct ReleaseLoss: Sendable, Hashable {
    public var releaseId: String
    /// The portion indexes the partner could no longer read, in the order the release lists them.
    public var lostPortions: [Int]
    /// The portion indexes the partner could still read, in the order the release lists them.
    public var keptPortions: [Int]

    public init(releaseId: String, lostPortions: [Int], keptPortions: [Int]) {
        self.releaseId = releaseId
        self.lostPortions = lostPortions
        self.keptPortions = keptPortions
    }
}

/// "What if we set trust to this level?": the portions of releases already made that the
/// partner would lose.
///
/// why: lowering trust takes effect at once on releases already made — ``DecisionRule/read(_:portionIndex:marking:reportTopics:hasGrant:channel:)``
/// denies a released portion above the partnership's trust ceiling with `trust-ceiling`. This
/// shows the originator that effect before it changes the level (story 4: ISR lowers its trust in USA).
public enum TrustWhatIf {
    /// True when a portion of this classification is above the ceiling of `level`; a level
    /// with no ceiling (`none`) loses every portion. The same test as the read rule's.
    public static func isLost(_ classification: Classification, at level: TrustLevel) -> Bool {
        guard let ceiling = level.ceiling else { return true }
        return classification > ceiling
    }

    /// The releases that would lose at least one portion at `level`, in the order given.
    public static func losses(_ releases: [ReleaseExposure], at level: TrustLevel) -> [ReleaseLoss] {
        releases.compactMap { release in
            var lost: [Int] = []
            var kept: [Int] = []
            for portion in release.portions {
                if isLost(portion.classification, at: level) { lost.append(portion.index) } else { kept.append(portion.index) }
            }
            return lost.isEmpty ? nil : ReleaseLoss(releaseId: release.releaseId, lostPortions: lost, keptPortions: kept)
        }
    }

    /// How many portions, over all `releases`, would be lost at `level`.
    public static func totalLostPortions(_ releases: [ReleaseExposure], at level: TrustLevel) -> Int {
        releases.reduce(0) { total, release in
            total + release.portions.count(where: { isLost($0.classification, at: level) })
        }
    }
}
