import Foundation

/// Reports never change once written, so the store keeps recently read ones in memory and
/// skips three queries and the marking parse on every view. Bounded: when full it starts afresh.
public final class ReportCache: ReportCaching, @unchecked Sendable {
    // why @unchecked: all access goes through `lock`.
    private let lock = NSLock()
    private var storage: [String: StoredReport] = [:]
    /// Received copies destroyed while this process ran: a read that began before the
    /// destruction must not put them back.
    private var destroyed: Set<String> = []
    private let capacity: Int

    public init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    public func get(_ id: String) -> StoredReport? {
        lock.lock()
        defer { lock.unlock() }
        return storage[id]
    }

    /// Only reports read back from a committed database go in; a report inserted in a
    /// transaction that may still roll back never does.
    public func put(_ report: StoredReport) {
        lock.lock()
        defer { lock.unlock() }
        guard !destroyed.contains(report.report.id) else { return }
        if storage.count >= capacity { storage.removeAll(keepingCapacity: true) }
        storage[report.report.id] = report
    }

    /// Forgets a destroyed report, for good.
    public func remove(_ id: String) {
        lock.lock()
        defer { lock.unlock() }
        storage.removeValue(forKey: id)
        destroyed.insert(id)
    }
}
