import Foundation

/// Reports never change once written, so the store keeps recently read ones in memory and
/// skips three queries and the marking parse on every view. Bounded: when full it starts afresh.
final class ReportCache: @unchecked Sendable {
    // why @unchecked: all access goes through `lock`.
    private let lock = NSLock()
    private var storage: [String: StoredReport] = [:]
    private let capacity: Int

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    func get(_ id: String) -> StoredReport? {
        lock.lock()
        defer { lock.unlock() }
        return storage[id]
    }

    /// Only reports read back from a committed database go in; a report inserted in a
    /// transaction that may still roll back never does.
    func put(_ report: StoredReport) {
        lock.lock()
        defer { lock.unlock() }
        if storage.count >= capacity { storage.removeAll(keepingCapacity: true) }
        storage[report.report.id] = report
    }
}
