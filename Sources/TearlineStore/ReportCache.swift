import Foundation
import TearlineCore

/// Reports never change once written, so the store keeps recently read ones in memory and
/// skips three queries and the marking parse on every view. Bounded (see ``BoundedCache``): at
/// most 20,000 reports and 64 MiB of their text by default; when full it starts afresh.
public final class ReportCache: ReportCaching, @unchecked Sendable {
    // why @unchecked: all access goes through `lock`.
    private let lock = NSLock()
    private var cache: BoundedCache<StoredReport>

    public init(capacity: Int = 20_000, maxBytes: Int = 64 << 20) {
        cache = BoundedCache(capacity: capacity, maxBytes: maxBytes)
    }

    public func get(_ id: String) -> StoredReport? {
        lock.withLock { cache.get(id) }
    }

    /// Only reports read back from a committed database go in; a report inserted in a
    /// transaction that may still roll back never does. A report destroyed while this process
    /// ran is not put back by a read that began before the destruction.
    public func put(_ report: StoredReport) {
        let size = Self.bytes(of: report.report)
        lock.withLock { cache.put(report.report.id, report, bytes: size) }
    }

    /// Forgets a destroyed report, for good.
    public func remove(_ id: String) {
        lock.withLock { cache.remove(id) }
    }

    /// What the cache holds now: reports, and bytes of their text.
    public var usage: (entries: Int, bytes: Int) { lock.withLock { (cache.count, cache.bytes) } }

    static func bytes(of report: Report) -> Int {
        report.portions.reduce(report.title.utf8.count + 512) { $0 + $1.text.utf8.count + 64 }
    }
}
