/// Per-member limits over a sliding window: the insider-threat defence (story 5).
///
/// A member who reads more distinct reports and releases, receives more search results, makes
/// more exports, or is refused more reads than these limits allow within `window` is throttled.
public struct ThrottleLimits: Sendable, Hashable {
    /// Distinct reports and releases read.
    public var distinctReads: Int
    /// Search and listing results returned.
    public var searchResults: Int
    /// Exports (text copies) taken.
    public var exports: Int
    /// Reads refused (outside need-to-know, or of things the member has no path to): a signal.
    public var deniedReads: Int
    /// The window, in milliseconds.
    public var window: Int64

    public init(distinctReads: Int, searchResults: Int, exports: Int, deniedReads: Int, window: Int64) {
        self.distinctReads = distinctReads
        self.searchResults = searchResults
        self.exports = exports
        self.deniedReads = deniedReads
        self.window = window
    }

    /// Defaults for an analyst's working day: 300 distinct documents, 3,000 listed results,
    /// 50 exports and 30 refused reads per hour.
    public static let standard = ThrottleLimits(distinctReads: 300, searchResults: 3000, exports: 50, deniedReads: 30, window: 3_600_000)

    /// The limit of one kind.
    public func limit(_ kind: ThrottleKind) -> Int {
        switch kind {
        case .distinctReads: distinctReads
        case .searchResults: searchResults
        case .exports: exports
        case .deniedReads: deniedReads
        }
    }
}

/// Which limit a member crossed.
public enum ThrottleKind: String, Sendable, Hashable, CaseIterable {
    case distinctReads = "distinct-reads"
    case searchResults = "search-results"
    case exports = "exports"
    case deniedReads = "denied-reads"
}

/// One member's recent activity, and the decision whether the next access stays within limits.
/// Pure: the caller supplies the time. An access that would cross a limit is not recorded, and
/// the caller refuses it (the request that crosses the limit is itself refused).
public struct AccessWindow: Sendable {
    /// Documents read in the window, with the time each was last read.
    private var reads: [String: Int64] = [:]
    private var results = Tally()
    private var exports = Tally()
    private var denials = Tally()

    public init() {}

    /// A read of `document`. Reading again a document already read in the window is free.
    public mutating func admitRead(_ document: String, at now: Int64, limits: ThrottleLimits) -> ThrottleKind? {
        if reads[document] != nil {
            reads[document] = now
            return nil
        }
        if reads.count >= limits.distinctReads {
            let horizon = now - limits.window
            reads = reads.filter { $0.value > horizon }
            if reads.count >= limits.distinctReads { return .distinctReads }
        }
        reads[document] = now
        return nil
    }

    /// A listing or search that returns `count` results.
    public mutating func admitResults(_ count: Int, at now: Int64, limits: ThrottleLimits) -> ThrottleKind? {
        results.admit(count, at: now, limit: limits.searchResults, window: limits.window) ? nil : .searchResults
    }

    /// One export.
    public mutating func admitExport(at now: Int64, limits: ThrottleLimits) -> ThrottleKind? {
        exports.admit(1, at: now, limit: limits.exports, window: limits.window) ? nil : .exports
    }

    /// A refused read; reports the limit when this refusal crosses it.
    public mutating func recordDenial(at now: Int64, limits: ThrottleLimits) -> ThrottleKind? {
        denials.admit(1, at: now, limit: limits.deniedReads, window: limits.window) ? nil : .deniedReads
    }

    /// Distinct documents read within the window ending at `now`.
    public func distinctReads(at now: Int64, limits: ThrottleLimits) -> Int {
        reads.values.filter { $0 > now - limits.window }.count
    }
}

/// Counts with their times, oldest first.
private struct Tally: Sendable {
    private var entries: [(at: Int64, count: Int)] = []
    private var start = 0
    private var total = 0

    mutating func admit(_ count: Int, at now: Int64, limit: Int, window: Int64) -> Bool {
        let horizon = now - window
        while start < entries.count, entries[start].at <= horizon {
            total -= entries[start].count
            start += 1
        }
        if start > 64, start * 2 > entries.count {
            entries.removeFirst(start)
            start = 0
        }
        guard total + count <= limit else { return false }
        entries.append((now, count))
        total += count
        return true
    }
}
