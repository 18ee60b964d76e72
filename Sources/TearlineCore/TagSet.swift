import Foundation

/// Interns identifiers (organisation ids, compartments, topics) as small integers, once per
/// process, so that the decision rule compares bits instead of strings.
public final class TagTable: @unchecked Sendable {
    // why @unchecked: all access goes through `lock`.
    public static let shared = TagTable()
    private let lock = NSLock()
    private var ids: [String: UInt32] = [:]

    public func id(_ name: String) -> UInt32 {
        lock.lock()
        defer { lock.unlock() }
        if let id = ids[name] { return id }
        let id = UInt32(ids.count)
        ids[name] = id
        return id
    }
}

/// A set of interned identifiers. The first 256 identifiers a process sees live in an inline
/// bitmap, so subset and intersection tests are a few word operations with no allocation and no
/// reference counting; later ones go to a sorted overflow list, which is exact but slower.
public struct TagSet: Hashable, Sendable, ExpressibleByArrayLiteral {
    @usableFromInline var w0: UInt64 = 0
    @usableFromInline var w1: UInt64 = 0
    @usableFromInline var w2: UInt64 = 0
    @usableFromInline var w3: UInt64 = 0
    /// Sorted ids ≥ 256, or `nil` when there are none.
    @usableFromInline var overflow: [UInt32]?

    public init() {}

    public init<S: Sequence>(_ names: S) where S.Element == String {
        var extra: [UInt32] = []
        for name in names {
            let id = TagTable.shared.id(name)
            switch id >> 6 {
            case 0: w0 |= 1 << UInt64(id & 63)
            case 1: w1 |= 1 << UInt64(id & 63)
            case 2: w2 |= 1 << UInt64(id & 63)
            case 3: w3 |= 1 << UInt64(id & 63)
            default: extra.append(id)
            }
        }
        if !extra.isEmpty { overflow = Array(Set(extra)).sorted() }
    }

    public init(arrayLiteral elements: String...) {
        self.init(elements)
    }

    @inlinable public var isEmpty: Bool {
        (w0 | w1 | w2 | w3) == 0 && overflow == nil
    }

    /// True when every identifier here is also in `other`.
    @inlinable
    public func isSubset(of other: TagSet) -> Bool {
        if (w0 & ~other.w0) | (w1 & ~other.w1) | (w2 & ~other.w2) | (w3 & ~other.w3) != 0 { return false }
        guard let mine = overflow else { return true }
        guard let theirs = other.overflow else { return false }
        return Self.sortedSubset(mine, theirs)
    }

    /// True when the two sets share an identifier.
    @inlinable
    public func intersects(_ other: TagSet) -> Bool {
        if (w0 & other.w0) | (w1 & other.w1) | (w2 & other.w2) | (w3 & other.w3) != 0 { return true }
        guard let mine = overflow, let theirs = other.overflow else { return false }
        return Self.sortedIntersects(mine, theirs)
    }

    @usableFromInline
    static func sortedSubset(_ a: [UInt32], _ b: [UInt32]) -> Bool {
        var j = 0
        for x in a {
            while j < b.count && b[j] < x { j += 1 }
            if j == b.count || b[j] != x { return false }
            j += 1
        }
        return true
    }

    @usableFromInline
    static func sortedIntersects(_ a: [UInt32], _ b: [UInt32]) -> Bool {
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { return true }
            if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return false
    }
}
