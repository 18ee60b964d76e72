import Foundation
import GRDB
import TearlineCore
@testable import TearlineStore
import Testing

/// Writes that queue behind one another share a transaction (SQLiteWriteGroup): each caller still
/// gets its own answer, a write that throws leaves nothing, and the audit chain is whole.
/// Runs jobs on threads of its own, so that the writes a test starts on it queue however busy the
/// shared cooperative pool is with other suites (on two cores it has two threads).
final class OwnThreadsExecutor: TaskExecutor, @unchecked Sendable {
    // why @unchecked: `jobs` is guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init(threads: Int) {
        for _ in 0..<threads { Thread.detachNewThread { self.loop() } }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    static let shared = OwnThreadsExecutor(threads: 4)
}

@Suite(.serialized) struct WriteGroupTests {
    /// One write holds the writer until `count` more have queued behind it; every fifth of those
    /// throws after appending its audit entry. Returns what each caller got.
    static func queueBehindASlowWrite(_ store: SQLiteStore, count: Int, queuedAtRelease: Counter = Counter()) async throws -> [Int: Result<Int, Boom>] {
        let started = Counter()
        return try await withThrowingTaskGroup(of: (Int, Result<Int, Boom>).self) { group in
            group.addTask(executorPreference: OwnThreadsExecutor.shared) {
                let value = try await store.write { s in
                    try s.appendAudit(ChainFixture.record(0))
                    started.increment()
                    // why a deadline: should the others never queue, the test fails on its count rather than hanging.
                    let deadline = Date().addingTimeInterval(60)
                    while store.writes.queued < count && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
                    for _ in 0..<store.writes.queued { queuedAtRelease.increment() }
                    return 0
                }
                return (0, .success(value))
            }
            while started.value == 0 { try await Task.sleep(for: .milliseconds(1)) }
            for i in 1...count {
                group.addTask(executorPreference: OwnThreadsExecutor.shared) {
                    do {
                        let value = try await store.write { s in
                            try s.appendAudit(ChainFixture.record(i))
                            if i.isMultiple(of: 5) { throw Boom() }
                            return i * 10
                        }
                        return (i, .success(value))
                    } catch let error as Boom {
                        return (i, .failure(error))
                    }
                }
            }
            var answers: [Int: Result<Int, Boom>] = [:]
            for try await (i, answer) in group { answers[i] = answer }
            return answers
        }
    }

    @Test func queuedWritesShareATransactionAndEachGetsItsOwnAnswer() async throws {
        try await withSQLiteFile { store, path in
            let before = store.writes.transactions
            let queued = Counter()
            let answers = try await Self.queueBehindASlowWrite(store, count: 40, queuedAtRelease: queued)
            #expect(answers.count == 41)
            for (i, answer) in answers {
                if i > 0 && i.isMultiple(of: 5) {
                    #expect(answer == .failure(Boom()), "write \(i) threw, and its caller is told so")
                } else {
                    #expect(answer == .success(i * 10), "write \(i) returns its own value")
                }
            }
            let transactions = store.writes.transactions - before
            #expect(queued.value == 40, "every write queued behind the slow one")
            #expect(transactions == 2, "the 40 writes that queued behind the slow one committed together (\(transactions) transactions)")

            // A thrown write rolled back to its own savepoint: its entry is gone, every other is there, chained.
            let objects = try withRawDatabase(path) { db in try String.fetchAll(db, sql: "SELECT object FROM auditEvent ORDER BY seq") }
            let kept = (0...40).filter { $0 == 0 || !$0.isMultiple(of: 5) }
            #expect(Set(objects) == Set(kept.map { "r-\($0)" }))
            #expect(objects.count == kept.count)
            let result = try ChainFixture.verify(store, path)
            #expect(result.isIntact, "\(result.problem ?? "")")
            #expect(result.head?.seq == Int64(kept.count), "the head is signed over the last entry before the group commits")
        }
    }

    @Test func aWriteAloneRunsAtOnceAndAThrowLeavesNothing() async throws {
        try await withSQLiteFile { store, path in
            await #expect(throws: Boom.self) {
                try await store.write { s in
                    try s.appendAudit(ChainFixture.record(1))
                    throw Boom()
                }
            }
            let value = try await store.write { s in
                try s.appendAudit(ChainFixture.record(2))
                return "kept"
            }
            #expect(value == "kept")
            let objects = try withRawDatabase(path) { db in try String.fetchAll(db, sql: "SELECT object FROM auditEvent") }
            #expect(objects == ["r-2"])
            let result = try ChainFixture.verify(store, path)
            #expect(result.isIntact)
            #expect(result.head?.seq == 1)
        }
    }

    @Test func anInMemoryStoreGroupsTheSameWay() async throws {
        let store = try SQLiteStore(.memory, masterKey: testMasterKey)
        let answers = try await Self.queueBehindASlowWrite(store, count: 20)
        #expect(answers.filter { (try? $0.value.get()) != nil }.count == 17)
        let entries = try await store.read { s in try s.auditEvents(AuditQuery(limit: 100)).count }
        #expect(entries == 17)
    }
}
