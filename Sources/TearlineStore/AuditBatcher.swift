import Foundation
import GRDB

/// Group commit for the audit records of read requests.
///
/// Every caller returns only once its records are committed (audit before answer). The first
/// caller to arrive leads: it writes its own records and those of everyone who queued meanwhile in
/// one SQLite transaction, on its own thread, then wakes them and hands the lead to the next in
/// line. Under load one commit serves many requests and no extra thread hop is taken.
final class AuditBatcher: @unchecked Sendable {
    // why @unchecked: `pending` and `leading` are guarded by `lock`.
    private enum Signal: Sendable {
        case wait
        case lead
        case done
        case failed(any Error)
    }

    private let writer: any DatabaseWriter
    private let context: StoreContext
    private let lock = NSLock()
    private var pending: [([AuditRecord], CheckedContinuation<Signal, Never>)] = []
    private var leading = false

    init(writer: any DatabaseWriter, context: StoreContext) {
        self.writer = writer
        self.context = context
    }

    func append(_ records: [AuditRecord]) async throws {
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
        case .lead, .wait: try lead(with: records)
        }
    }

    /// Writes `own` and every queued record in one transaction, wakes the writers of the queued
    /// records, and passes the lead on (or gives it up when nobody is waiting).
    private func lead(with own: [AuditRecord]) throws {
        let waiters = lock.withLock {
            let taken = pending
            pending.removeAll(keepingCapacity: true)
            return taken
        }
        var failure: (any Error)?
        do {
            try write(own + waiters.flatMap(\.0))
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

    /// Chains the records and signs the new head, in one transaction.
    ///
    /// why the head may wait: when more records are already queued, the next leader commits right
    /// after this one and signs a head that covers both; under load that saves a signature per
    /// commit. A head always covers the log once the queue drains, and a crash in between leaves
    /// at most the last batch outside it, which `audit verify` reports.
    private func write(_ records: [AuditRecord]) throws {
        try writer.write { db in
            let state = SessionState()
            for record in records { try AuditWriter.append(record, db: db, state: state) }
            let more = lock.withLock { !pending.isEmpty }
            try AuditWriter.finish(db: db, state: state, key: context.auditKey, signHead: !more)
        }
    }
}
