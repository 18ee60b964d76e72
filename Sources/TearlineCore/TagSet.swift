import Foundation

/// Interns identifiers (organisation ids, compartments, topics) as small integers, once per
/// process, so that the decision rule compares bits instead of strings.
///
/// Bounded: at most ``capacity`` names and ``overflowCapacity`` overflow lists (about 10 MiB
/// together at the defaults), since names come from input, refused input included. Past the
/// bound a new name is ``unmatched``: it matches nothing, so every decision about it fails
/// closed (a marking that needs it is out of reach, a grant of it gives nothing).
public final class TagTable: @unchecked Sendable {
    // why @unchecked: all access goes through `lock`.
    public static let shared = TagTable()
    /// The id of a name the full table could not take: it equals no identifier, itself included.
    public static let unmatched = UInt32.max
    private let lock = NSLock()
    private var ids: [String: UInt32] = [:]
    /// Interned overflow lists (sorted ids ≥ 256); index 0 is the empty list.
    private var overflowLists: [[UInt32]] = [[]]
    private var overflowIndex: [[UInt32]: UInt32] = [[]: 0]
    public let capacity: Int
    public let overflowCapacity: Int

    public init(capacity: Int = 100_000, overflowCapacity: Int = 100_000) {
        self.capacity = capacity
        self.overflowCapacity = overflowCapacity
    }

    /// Names interned so far.
    public var count: Int { lock.withLock { ids.count } }

    public func id(_ name: String) -> UInt32 {
        lock.lock()
        defer { lock.unlock() }
        if let id = ids[name] { return id }
        guard ids.count < capacity else { return Self.unmatched }
        let id = UInt32(ids.count)
        ids[name] = id
        return id
    }

    /// The handle of an interned overflow list; equal lists share one handle. Nil when the table
    /// of lists is full.
    @usableFromInline func overflowHandle(_ list: [UInt32]) -> UInt32? {
        lock.lock()
        defer { lock.unlock() }
        if let handle = overflowIndex[list] { return handle }
        guard overflowLists.count < overflowCapacity else { return nil }
        let handle = UInt32(overflowLists.count)
        overflowLists.append(list)
        overflowIndex[list] = handle
        return handle
    }

    @usableFromInline func overflowList(_ handle: UInt32) -> [UInt32] {
        lock.lock()
        defer { lock.unlock() }
        return overflowLists[Int(handle)]
    }
}

/// A set of interned identifiers. The first 256 identifiers a process sees live in an inline
/// bitmap, so subset and intersection tests are a few word operations with no allocation and no
/// reference counting; later ones go to an interned overflow list, named by a handle so that the
/// set stays plain data, which is exact but slower.
public struct TagSet: Hashable, Sendable, ExpressibleByArrayLiteral {
    @usableFromInline var w0: UInt64 = 0
    @usableFromInline var w1: UInt64 = 0
    @usableFromInline var w2: UInt64 = 0
    @usableFromInline var w3: UInt64 = 0
    /// Handle of the interned sorted list of ids ≥ 256; 0 when there are none.
    @usableFromInline var overflow: UInt32 = 0
    /// Holds a name the full ``TagTable`` could not take: such a set is never a subset of
    /// another, and that name is in no set (see ``TagTable/unmatched``).
    @usableFromInline var unmatched = false

    public init() {}

    public init<S: Sequence>(_ names: S) where S.Element == String {
        var extra: [UInt32] = []
        for name in names {
            let id = TagTable.shared.id(name)
            if id == TagTable.unmatched {
                unmatched = true
                continue
            }
            switch id >> 6 {
            case 0: w0 |= 1 << UInt64(id & 63)
            case 1: w1 |= 1 << UInt64(id & 63)
            case 2: w2 |= 1 << UInt64(id & 63)
            case 3: w3 |= 1 << UInt64(id & 63)
            default: extra.append(id)
            }
        }
        if !extra.isEmpty {
            if let handle = TagTable.shared.overflowHandle(Array(Set(extra)).sorted()) { overflow = handle } else { unmatched = true }
        }
    }

    public init(arrayLiteral elements: String...) {
        self.init(elements)
    }

    @inlinable public var isEmpty: Bool {
        (w0 | w1 | w2 | w3) == 0 && overflow == 0 && !unmatched
    }

    /// True when every identifier here is also in `other`.
    @inlinable
    public func isSubset(of other: TagSet) -> Bool {
        // why: a name past the table's bound is held by nobody; deny rather than guess.
        if unmatched { return false }
        if (w0 & ~other.w0) | (w1 & ~other.w1) | (w2 & ~other.w2) | (w3 & ~other.w3) != 0 { return false }
        if overflow == 0 { return true }
        if other.overflow == 0 { return false }
        if overflow == other.overflow { return true }
        return Self.sortedSubset(TagTable.shared.overflowList(overflow), TagTable.shared.overflowList(other.overflow))
    }

    /// True when the two sets share an identifier.
    @inlinable
    public func intersects(_ other: TagSet) -> Bool {
        if (w0 & other.w0) | (w1 & other.w1) | (w2 & other.w2) | (w3 & other.w3) != 0 { return true }
        if overflow == 0 || other.overflow == 0 { return false }
        if overflow == other.overflow { return true }
        return Self.sortedIntersects(TagTable.shared.overflowList(overflow), TagTable.shared.overflowList(other.overflow))
    }

    /// True when the set holds the identifier with this interned id.
    @inlinable
    public func contains(id: UInt32) -> Bool {
        if id == TagTable.unmatched { return false }
        let bit = UInt64(1) << UInt64(id & 63)
        switch id >> 6 {
        case 0: return w0 & bit != 0
        case 1: return w1 & bit != 0
        case 2: return w2 & bit != 0
        case 3: return w3 & bit != 0
        default:
            return overflow != 0 && Self.sortedSubset([id], TagTable.shared.overflowList(overflow))
        }
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
