/// How far one organisation trusts a partner. Each level sets the highest classification
/// that may be released over the partnership (its ceiling).
public enum TrustLevel: Int, Comparable, CaseIterable, Sendable, Hashable {
    /// Nothing may be released.
    case none = 0
    case minimal = 1
    case limited = 2
    case low = 3
    case high = 4
    case full = 5

    public static func < (lhs: TrustLevel, rhs: TrustLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    public var name: String {
        switch self {
        case .none: "none"
        case .minimal: "minimal"
        case .limited: "limited"
        case .low: "low"
        case .high: "high"
        case .full: "full"
        }
    }

    public init?(name: String) {
        guard let match = TrustLevel.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    /// The highest classification that may cross a partnership at this level, or `nil` for none.
    ///
    /// why: story 2 of the design — low trust lets only material up to CONFIDENTIAL go.
    public var ceiling: Classification? {
        switch self {
        case .none: nil
        case .minimal: .unclassified
        case .limited: .restricted
        case .low: .confidential
        case .high: .secret
        case .full: .topSecret
        }
    }
}
