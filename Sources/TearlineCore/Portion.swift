/// One paragraph of a report with its own marking.
public struct Portion: Sendable, Hashable {
    public var index: Int
    public var marking: Marking
    /// why: a sources-and-methods portion never leaves the originator.
    public var sourcesAndMethods: Bool
    public var text: String

    public init(index: Int, marking: Marking, sourcesAndMethods: Bool = false, text: String) {
        self.index = index
        self.marking = marking
        self.sourcesAndMethods = sourcesAndMethods
        self.text = text
    }
}

/// A set of portion indexes, as a bitmap. Reports hold at most ``PortionSet/capacity`` portions.
public struct PortionSet: Sendable, Hashable {
    public static let capacity = 256
    @usableFromInline var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    public init() {}

    @inlinable
    public init<S: Sequence>(_ indexes: S) where S.Element == Int {
        for index in indexes { insert(index) }
    }

    /// The indexes `0..<count`, set word by word (a release plan starts from every portion).
    public init(first count: Int) {
        precondition(count >= 0 && count <= Self.capacity, "portion count out of range")
        func word(_ n: Int) -> UInt64 { n <= 0 ? 0 : n >= 64 ? .max : (UInt64(1) << UInt64(n)) - 1 }
        words = (word(count), word(count - 64), word(count - 128), word(count - 192))
    }

    @inlinable
    public mutating func insert(_ index: Int) {
        precondition(index >= 0 && index < Self.capacity, "portion index out of range")
        let bit = UInt64(1) << UInt64(index & 63)
        switch index >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    @inlinable
    public func contains(_ index: Int) -> Bool {
        guard index >= 0 && index < Self.capacity else { return false }
        let bit = UInt64(1) << UInt64(index & 63)
        switch index >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    public var indexes: [Int] { (0..<Self.capacity).filter(contains) }
    public var isEmpty: Bool { words == (0, 0, 0, 0) }

    public static func == (lhs: PortionSet, rhs: PortionSet) -> Bool { lhs.words == rhs.words }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0); hasher.combine(words.1); hasher.combine(words.2); hasher.combine(words.3)
    }
}
