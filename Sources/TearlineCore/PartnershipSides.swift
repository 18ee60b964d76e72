/// One side's own position in a partnership: its trust in the other side, and whether it has
/// suspended the partnership. Only that side changes it.
public struct PartnershipStance: Sendable, Hashable {
    /// This side's trust in the other: the ceiling of what this side releases to the other, and of
    /// what the other reads of this side's releases.
    public var trust: TrustLevel
    /// True while this side's suspension stands.
    public var suspended: Bool

    public init(trust: TrustLevel, suspended: Bool = false) {
        self.trust = trust
        self.suspended = suspended
    }
}

/// The two sides of a partnership, each with its own stance.
///
/// why: trust is directional. USA's trust in GBR sets what USA releases to GBR and what GBR
/// reads of USA's releases; GBR's trust in USA sets the reverse. A suspension by either side
/// stops both directions, and stands until the side that imposed it lifts it.
public struct PartnershipSides: Sendable, Hashable {
    public let first: String
    public let second: String
    public var firstStance: PartnershipStance
    public var secondStance: PartnershipStance

    public init(first: String, second: String, firstStance: PartnershipStance, secondStance: PartnershipStance) {
        self.first = first
        self.second = second
        self.firstStance = firstStance
        self.secondStance = secondStance
    }

    public func involves(_ organization: String) -> Bool { organization == first || organization == second }

    /// The side's own stance, or nil when `organization` is not a side.
    public func stance(of organization: String) -> PartnershipStance? {
        if organization == first { return firstStance }
        if organization == second { return secondStance }
        return nil
    }

    /// Active while neither side has suspended it.
    public var status: PartnershipStatus { firstStance.suspended || secondStance.suspended ? .suspended : .active }

    /// The sides whose suspension stands, in order.
    public var suspendedBy: [String] {
        (firstStance.suspended ? [first] : []) + (secondStance.suspended ? [second] : [])
    }

    /// The terms of what `originator` releases to the other side (and what the other side reads
    /// of it): the partnership's status and the originator's trust in the other side. A party
    /// that is not a side gets ``PartnershipTerms/none``.
    public func terms(releasesFrom originator: String) -> PartnershipTerms {
        guard let stance = stance(of: originator) else { return .none }
        return PartnershipTerms(status: status, trust: stance.trust)
    }

    /// The same partnership with `organization`'s stance replaced; unchanged when it is not a side.
    public func setting(_ stance: PartnershipStance, for organization: String) -> PartnershipSides {
        var copy = self
        if organization == first { copy.firstStance = stance } else if organization == second { copy.secondStance = stance }
        return copy
    }
}
