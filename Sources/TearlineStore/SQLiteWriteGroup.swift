import Foundation
import GRDB
import Synchronization

/// Group commit of write transactions. SQLite runs one writer at a time; when writes arrive
/// while one is running, the ones waiting run together in a single transaction, each inside a
/// savepoint of its own:
/// - a write that throws rolls back to its savepoint alone, and its caller gets the error;
/// - the audit entries of every write are chained in order, and the head is signed once, last,
///   before the commit;
/// - callers are answered only after the commit, and the entity index changes of the writes
///   that committed are applied in commit order;
/// - when the commit itself fails (the disk is full, say), every write of the group gets the
///   error and none is applied.
///
/// A write that finds the writer idle runs at once on the caller's thread, as before (no thread
/// hop); a write that finds it busy waits without holding a thread, and the next group is run
/// by one serial queue.
///
/// What it saves: a commit (and its pages in the write-ahead log) and a head signature per write,
/// and threads blocked on the writer's lock while it is busy.
final class SQLiteWriteGroup: Sendable {
    /// What one write leaves to do once its group's fate is known.
    struct Done {
        /// What the write threw, if it did (its savepoint is rolled back).
        var error: (any Error)?
        /// Called with nil after the commit, or with the error that lost the group.
        let finish: @Sendable ((any Error)?) -> Void
    }

    /// One queued write: runs inside the group's transaction (in its savepoint) and says what to
    /// do once the group commits or fails; `fail` answers it when the group is lost before it runs.
    struct Job: Sendable {
        let enqueued: ContinuousClock.Instant
        let run: @Sendable (Database, SessionState) -> Done
        let fail: @Sendable (any Error) -> Void
    }

    private struct Queue {
        var jobs: [Job] = []
        var running = false
    }

    /// The most writes one transaction carries, so that a long queue still commits often.
    static let maximumGroup = 256

    private let writer: any DatabaseWriter
    private let context: StoreContext
    private let queue = Mutex(Queue())
    private let committed = Atomic<Int>(0)
    private let drainer = DispatchQueue(label: "tearline.sqlite.write-group")

    /// The transactions this group has committed (fewer than the writes when they were grouped).
    var transactions: Int { committed.load(ordering: .relaxed) }

    /// The writes waiting for the one running to finish.
    var queued: Int { queue.withLock { $0.jobs.count } }

    init(writer: any DatabaseWriter, context: StoreContext) {
        self.writer = writer
        self.context = context
    }

    /// Runs `body` in a write transaction (alone, or grouped with others) and returns its value
    /// and whether it destroyed a release key, once committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) throws -> T) async throws -> (T, Bool) {
        let context = self.context
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(T, Bool), any Error>) in
            let job = Job(enqueued: .now, run: { db, state in
                let session = SQLiteSession(db: db, context: context, readOnly: false, state: state)
                do {
                    var value: T?
                    try db.inSavepoint {
                        value = try body(session)
                        // why here: the checkpoints this write's entries reach are signed with it; the head is signed once per group.
                        try AuditWriter.finish(db: db, state: state, key: context.auditKey, signHead: false)
                        return .commit
                    }
                    guard let value else { throw StoreError.corruptRow("transaction returned nothing") }
                    let destroyed = !state.destroyedReleases.isEmpty
                    return Done(error: nil) { failure in
                        if let failure { return continuation.resume(throwing: failure) }
                        context.entities.apply(state.indexChanges)
                        StoreMetrics.committed(audit: state.appendedAudit, alertKinds: state.insertedAlertKinds)
                        continuation.resume(returning: (value, destroyed))
                    }
                } catch {
                    return Done(error: error) { failure in continuation.resume(throwing: failure ?? error) }
                }
            }, fail: { error in continuation.resume(throwing: error) })
            let alone = queue.withLock { queue -> Bool in
                if queue.running { queue.jobs.append(job); return false }
                queue.running = true
                return true
            }
            if alone {
                run([job])
                handOff()
            }
        }
    }

    /// After a group, runs the writes that queued meanwhile on the serial queue, or marks the writer idle.
    private func handOff() {
        let more = queue.withLock { queue -> Bool in
            if queue.jobs.isEmpty { queue.running = false; return false }
            return true
        }
        if more { drainer.async { self.drain() } }
    }

    private func drain() {
        while true {
            let jobs = queue.withLock { queue -> [Job] in
                let taken = Array(queue.jobs.prefix(Self.maximumGroup))
                queue.jobs.removeFirst(taken.count)
                if taken.isEmpty { queue.running = false }
                return taken
            }
            if jobs.isEmpty { return }
            run(jobs)
        }
    }

    /// One transaction for `jobs`; each job's savepoint, then the head signed, then the commit;
    /// then every caller is answered.
    private func run(_ jobs: [Job]) {
        var done: [Done] = []
        done.reserveCapacity(jobs.count)
        do {
            try writer.writeWithoutTransaction { db in
                // why carried over: a report an earlier write of the group inserted may still roll back, so no later one caches it.
                var inserted: Set<String> = []
                try db.inTransaction {
                    for job in jobs {
                        StoreMetrics.waited(backend: "sqlite", kind: "write", since: job.enqueued)
                        let state = SessionState()
                        state.insertedReports = inserted
                        let outcome = job.run(db, state)
                        done.append(outcome)
                        // why: an I/O error or a full disk makes SQLite roll the whole transaction back; the group is lost.
                        guard db.isInsideTransaction else { throw outcome.error ?? StoreError.storage(.io) }
                        inserted = state.insertedReports
                    }
                    _ = try AuditWriter.sealHead(db, key: context.auditKey)
                    return .commit
                }
            }
        } catch {
            for (index, job) in jobs.enumerated() {
                if index < done.count { done[index].finish(error) } else { job.fail(error) }
            }
            return
        }
        committed.add(1, ordering: .relaxed)
        for item in done { item.finish(nil) }
    }
}
