/// The shape of a partnership between two organisations.
public enum PartnershipKind: String, Sendable, Codable, CaseIterable {
    case peer
    /// One side (the dominant) funds and monitors the other and can withdraw support.
    case hierarchical
}

public enum PartnershipStatus: String, Sendable, Codable, CaseIterable {
    case active, suspended
}

/// The facts about one direction of a partnership that the decision rule reads: whether the
/// partnership is active, and the originator's trust in the recipient.
public struct PartnershipTerms: Sendable, Hashable {
    public var status: PartnershipStatus
    public var trust: TrustLevel

    public init(status: PartnershipStatus, trust: TrustLevel) {
        self.status = status
        self.trust = trust
    }

    public var isActive: Bool { status == .active }

    /// What a party holds when there is no partnership: nothing goes, nothing is read.
    public static let none = PartnershipTerms(status: .suspended, trust: .none)
}

/// Who may watch how a partner handles one's material.
public enum OversightRule {
    /// True when `originator` sees each of the holder's members in its access receipts, rather
    /// than counts per action.
    ///
    /// why: story 2 — the dominant side of a hierarchical partnership funds and monitors the
    /// weaker one; a peer sees only per-organisation counts.
    public static func seesMembers(kind: PartnershipKind, dominant: String?, originator: String) -> Bool {
        kind == .hierarchical && dominant == originator
    }

    /// True when a member of the originator may read the receipts for `holder`: its security
    /// members, or a liaison seconded to that holder by its dominant partner.
    public static func mayReadReceipts(
        isSecurity: Bool, isLiaison: Bool, secondedTo: String?, holder: String, originatorSeesMembers: Bool
    ) -> Bool {
        isSecurity || (isLiaison && secondedTo == holder && originatorSeesMembers)
    }
}
