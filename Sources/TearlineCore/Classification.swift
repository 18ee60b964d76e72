/// A national security classification level, ordered from lowest to highest.
///
/// The raw value is the level's rank, so `<` compares sensitivity.
public enum Classification: Int, Comparable, CaseIterable, Sendable, Hashable {
    case unclassified = 0
    case restricted = 1
    case confidential = 2
    case secret = 3
    case topSecret = 4

    public static func < (lhs: Classification, rhs: Classification) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The banner word, for example `TOP SECRET`.
    public var bannerName: String {
        switch self {
        case .unclassified: "UNCLASSIFIED"
        case .restricted: "RESTRICTED"
        case .confidential: "CONFIDENTIAL"
        case .secret: "SECRET"
        case .topSecret: "TOP SECRET"
        }
    }

    /// The portion abbreviation, for example `TS`.
    public var portionName: String {
        switch self {
        case .unclassified: "U"
        case .restricted: "R"
        case .confidential: "C"
        case .secret: "S"
        case .topSecret: "TS"
        }
    }

    /// Parses a banner word (`SECRET`) or, when `portion` is true, an abbreviation (`S`).
    public init?(name: String, portion: Bool) {
        guard let match = Classification.allCases.first(where: { (portion ? $0.portionName : $0.bannerName) == name }) else {
            return nil
        }
        self = match
    }

    /// Parses either form; used where the caller names a level, as in `clearance: "SECRET"`.
    public init?(anyName name: String) {
        let upper = name.uppercased()
        if let level = Classification(name: upper, portion: false) ?? Classification(name: upper, portion: true) {
            self = level
        } else {
            return nil
        }
    }
}
