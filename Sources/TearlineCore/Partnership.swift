/// The shape of a partnership between two organisations.
public enum PartnershipKind: String, Sendable, Codable, CaseIterable {
    case peer
    /// One side (the dominant) funds and monitors the other and can withdraw support.
    case hierarchical
}

public enum PartnershipStatus: String, Sendable, Codable, CaseIterable {
    case active, suspended
}

/// The facts about a partnership that the decision rule reads.
public struct PartnershipTerms: Sendable, Hashable {
    public var status: PartnershipStatus
    public var trust: TrustLevel

    public init(status: PartnershipStatus, trust: TrustLevel) {
        self.status = status
        self.trust = trust
    }

    public var isActive: Bool { status == .active }
}

/// Who may change a partnership's status.
public enum PartnershipAuthority {
    /// why: in a hierarchical partnership only the dominant side can withdraw or restore
    /// support; in a peer partnership either side can suspend it.
    public static func maySetStatus(
        kind: PartnershipKind, dominant: String?, sides: (String, String), actor organization: String
    ) -> Bool {
        switch kind {
        case .peer: organization == sides.0 || organization == sides.1
        case .hierarchical: organization == dominant
        }
    }
}
