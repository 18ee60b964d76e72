import Foundation

/// Group commit for the audit records of read requests: the default ``AuditBatching``, what
/// `SQLiteStore` uses unless given another.
///
/// Every caller returns only once its records are committed (audit before answer). The first
/// caller to arrive leads: it writes its own records and those of everyone who queued meanwhile in
/// one transaction of the log (for SQLite, `SQLiteAuditLog`), on its own thread, then wakes them
/// and hands the lead to the next in line. Under load one commit serves many requests and no extra
/// thread hop is taken. The queue is this process's own: one instance serves one store.
public final class AuditBatcher: AuditBatching, @unchecked Sendable {
    // why @unchecked: `pending` and `leading` are guarded by `lock`.
    private enum Signal: Sendable {
        case wait
        case lead
        case done
        case failed(any Error)
    }

    private let lock = NSLock()
    private var pending: [([AuditRecord], CheckedContinuation<Signal, Never>)] = []
    private var leading = false

    public init() {}

    public func append(_ records: [AuditRecord], to log: any AuditLogAppending) async throws {
        var signal: Signal = lock.withLock {
            if leading { return .wait }
            leading = true
            return .lead
        }
        if case .wait = signal {
            signal = await withCheckedContinuation { continuation in
                lock.withLock {
                    if leading {
                        pending.append((records, continuation))
                    } else {
                        leading = true
                        continuation.resume(returning: .lead)
                    }
                }
            }
        }
        switch signal {
        case .done: return
        case .failed(let error): throw error
        case .lead, .wait: try await lead(with: records, log: log)
        }
    }

    /// Writes `own` and every queued record in one transaction, wakes the writers of the queued
    /// records, and passes the lead on (or gives it up when nobody is waiting).
    private func lead(with own: [AuditRecord], log: any AuditLogAppending) async throws {
        let waiters = lock.withLock {
            let taken = pending
            pending.removeAll(keepingCapacity: true)
            return taken
        }
        var failure: (any Error)?
        do {
            try await write(own + waiters.flatMap(\.0), to: log)
        } catch {
            failure = error
        }
        for (_, continuation) in waiters { continuation.resume(returning: failure.map { .failed($0) } ?? .done) }
        lock.withLock {
            if pending.isEmpty {
                leading = false
            } else {
                pending.removeFirst().1.resume(returning: .lead)
            }
        }
        if let failure { throw failure }
    }

    /// Chains the records and signs the new head, in one transaction of `log`.
    ///
    /// why the head may wait: when more records are already queued, the next leader commits right
    /// after this one and signs a head that covers both; under load that saves a signature per
    /// commit. A head always covers the log once the queue drains, and a crash in between leaves
    /// at most the last batch outside it, which `audit verify` reports.
    private func write(_ records: [AuditRecord], to log: any AuditLogAppending) async throws {
        try await log.append(records, signHead: { [self] in lock.withLock { pending.isEmpty } })
        StoreMetrics.auditBatch(size: records.count)
        StoreMetrics.committed(audit: records, alertKinds: [])
    }
}
