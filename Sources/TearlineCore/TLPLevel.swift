/// A Traffic Light Protocol 2.0 level, ordered from least to most restrictive.
public enum TLPLevel: Int, Comparable, CaseIterable, Sendable, Hashable {
    case clear = 0
    case green = 1
    case amber = 2
    case amberStrict = 3
    case red = 4

    public static func < (lhs: TLPLevel, rhs: TLPLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The label after `TLP:`, for example `AMBER+STRICT`.
    public var label: String {
        switch self {
        case .clear: "CLEAR"
        case .green: "GREEN"
        case .amber: "AMBER"
        case .amberStrict: "AMBER+STRICT"
        case .red: "RED"
        }
    }

    public init?(label: String) {
        guard let match = TLPLevel.allCases.first(where: { $0.label == label }) else { return nil }
        self = match
    }
}
