/// Small helpers over sorted, duplicate-free string arrays.
///
/// Markings, clearances and topics hold a handful of short identifiers. Sorted arrays
/// make the decision rule's subset and intersection tests allocation-free merges,
/// which is what keeps a per-portion decision well under 100 ns.
public enum SortedStrings {
    /// Sorts and removes duplicates.
    public static func make<S: Sequence>(_ values: S) -> [String] where S.Element == String {
        let array = Array(values)
        if isStrictlySorted(array) { return array }
        return Array(Set(array)).sorted()
    }

    /// True when the array is sorted with no duplicates (as stored lists already are).
    @inlinable
    public static func isStrictlySorted(_ array: [String]) -> Bool {
        var i = 1
        while i < array.count {
            if !(array[i - 1] < array[i]) { return false }
            i += 1
        }
        return true
    }

    /// Below this size a scan with `==` beats a merge: small-string equality is a bitwise compare,
    /// while `<` goes through Unicode-aware comparison.
    @usableFromInline static let scanLimit = 8

    /// True when every element of `sub` is in `sup`. Both must be sorted and duplicate-free.
    @inlinable
    public static func isSubset(_ sub: [String], of sup: [String]) -> Bool {
        let subCount = sub.count, supCount = sup.count
        if subCount == 0 { return true }
        if subCount > supCount { return false }
        if supCount <= scanLimit {
            var i = 0
            while i < subCount {
                var j = 0
                while j < supCount && sup[j] != sub[i] { j += 1 }
                if j == supCount { return false }
                i += 1
            }
            return true
        }
        var j = 0
        for element in sub {
            while j < supCount && sup[j] < element { j += 1 }
            if j == supCount || sup[j] != element { return false }
            j += 1
        }
        return true
    }

    /// True when the two sorted arrays share at least one element.
    @inlinable
    public static func intersects(_ a: [String], _ b: [String]) -> Bool {
        let aCount = a.count, bCount = b.count
        if aCount == 0 || bCount == 0 { return false }
        if aCount <= scanLimit && bCount <= scanLimit {
            var i = 0
            while i < aCount {
                var j = 0
                while j < bCount {
                    if a[i] == b[j] { return true }
                    j += 1
                }
                i += 1
            }
            return false
        }
        var i = 0, j = 0
        while i < aCount && j < bCount {
            if a[i] == b[j] { return true }
            if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return false
    }

    /// True when `element` is in the sorted array.
    @inlinable
    public static func contains(_ array: [String], _ element: String) -> Bool {
        let count = array.count
        if count <= scanLimit {
            var i = 0
            while i < count {
                if array[i] == element { return true }
                i += 1
            }
            return false
        }
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if array[mid] == element { return true }
            if array[mid] < element { low = mid + 1 } else { high = mid }
        }
        return false
    }

    /// The sorted intersection of two sorted arrays.
    public static func intersection(_ a: [String], _ b: [String]) -> [String] {
        var out: [String] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { out.append(a[i]); i += 1; j += 1 }
            else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return out
    }
}
