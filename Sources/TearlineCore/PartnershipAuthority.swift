/// A change one side asks to make to its own stance in a partnership.
public enum PartnershipChange: Sendable, Hashable {
    /// Sets the actor's trust in the other side.
    case trust(TrustLevel)
    /// The actor suspends the partnership.
    case suspend
    /// The actor lifts its own suspension.
    case lift
}

/// Why a change to a partnership was refused.
public enum PartnershipRefusal: Error, Sendable, Hashable {
    /// The actor is not a side of the partnership.
    case notASide
    /// The actor asked to lift a suspension that only the other side imposed.
    case imposedByPartner(String)
}

/// Who may change what in a partnership.
public enum PartnershipAuthority {
    /// Applies `change` by `actor` to `sides`.
    ///
    /// why: each side holds its own trust in the other, and only that side changes it; each side
    /// may suspend the partnership, and a suspension stands until the side that imposed it lifts
    /// it. So the side that committed a breach can neither raise the trust the wronged side
    /// lowered nor reactivate a partnership the other side suspended, and a recipient cannot
    /// raise the ceiling of what its partner releases to it. In a hierarchical partnership the
    /// dominant side keeps its rights: it may withdraw support (suspend) whenever it chooses, and
    /// the weaker side cannot undo that.
    public static func apply(_ change: PartnershipChange, by actor: String, to sides: PartnershipSides) -> Result<PartnershipSides, PartnershipRefusal> {
        guard var stance = sides.stance(of: actor) else { return .failure(.notASide) }
        switch change {
        case .trust(let level):
            stance.trust = level
        case .suspend:
            stance.suspended = true
        case .lift:
            if !stance.suspended {
                let other = actor == sides.first ? sides.second : sides.first
                // Lifting nothing is fine on an active partnership; asking to lift the other side's
                // suspension is refused, so that the caller is not told "done" when nothing changed.
                if sides.stance(of: other)?.suspended == true { return .failure(.imposedByPartner(other)) }
            }
            stance.suspended = false
        }
        return .success(sides.setting(stance, for: actor))
    }
}
