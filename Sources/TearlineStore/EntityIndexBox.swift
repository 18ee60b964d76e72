import Foundation
import TearlineCore

/// The node's entity index, shared by all sessions: many readers or one writer at a time.
/// Writes apply committed changes only, in commit order (on the store's writer queue).
public final class EntityIndexBox: EntityIndexHolding, @unchecked Sendable {
    // why @unchecked: `index` is guarded by `lock` (a readers–writer lock).
    private var lock = pthread_rwlock_t()
    private var index = EntityIndex()

    public init() { pthread_rwlock_init(&lock, nil) }
    deinit { pthread_rwlock_destroy(&lock) }

    public func read<T>(_ body: (EntityIndex) throws -> T) rethrows -> T {
        pthread_rwlock_rdlock(&lock)
        defer { pthread_rwlock_unlock(&lock) }
        return try body(index)
    }

    public func update(_ body: (inout EntityIndex) -> Void) {
        pthread_rwlock_wrlock(&lock)
        defer { pthread_rwlock_unlock(&lock) }
        body(&index)
    }

    public func apply(_ changes: [EntityIndexChange]) {
        guard !changes.isEmpty else { return }
        update { index in
            for change in changes {
                switch change {
                case .report(let report): index.add(report)
                case .release(let release, let reportId): index.record(release, ofReport: reportId)
                case .discoverability(let reportId, let value): index.setDiscoverability(value, ofReport: reportId)
                case .removeReport(let reportId): index.remove(report: reportId)
                }
            }
        }
    }
}

/// A change a transaction makes to the entity index, applied once the transaction commits.
public enum EntityIndexChange: Sendable {
    case report(IndexedReport)
    case release(IndexedRelease, reportId: String)
    case discoverability(String, Discoverability)
    /// A destroyed received copy.
    case removeReport(String)
}
