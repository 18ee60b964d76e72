import Foundation
import Synchronization
@testable import TearlineStore
import Testing

/// The batching that lets one PostgreSQL round trip serve many requests: each caller still gets
/// its own answer, and never an answer older than its call.
@Suite struct AdmissionBatcherTests {
    @Test func concurrentCallersShareStatementsAndGetTheirOwnAnswers() async throws {
        let batcher = AdmissionBatcher()
        let sends = Counter()
        let pool = BlockingTransactionPool(size: 8, name: "batch-test")
        defer { pool.shutdown() }
        let answers = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for i in 0..<64 {
                group.addTask {
                    let admission = Admission(member: "m-\(i)", kind: "k", key: nil, amount: Int64(i), limit: 0, window: 1, now: 0)
                    let answer = try await pool.run {
                        try batcher.admit(admission) { batch in
                            sends.increment()
                            Thread.sleep(forTimeInterval: 0.005)
                            return batch.map { $0.amount.isMultiple(of: 2) }
                        }
                    }
                    return (i, answer)
                }
            }
            var all: [Int: Bool] = [:]
            for try await (i, answer) in group { all[i] = answer }
            return all
        }
        #expect(answers.count == 64)
        #expect(answers.allSatisfy { $0.value == $0.key.isMultiple(of: 2) }, "each caller gets the answer to its own admission")
        #expect(sends.value < 64, "callers that wait together share a statement")
    }

    @Test func aFailedStatementFailsEveryCallerInIt() async throws {
        struct Refused: Error {}
        let batcher = AdmissionBatcher()
        let pool = BlockingTransactionPool(size: 4, name: "batch-test")
        defer { pool.shutdown() }
        let failures = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<16 {
                group.addTask {
                    let admission = Admission(member: "m-\(i)", kind: "k", key: nil, amount: 1, limit: 1, window: 1, now: 0)
                    do {
                        _ = try await pool.run { try batcher.admit(admission) { _ in throw Refused() } }
                        return false
                    } catch is Refused {
                        return true
                    }
                }
            }
            var count = 0
            for try await failed in group where failed { count += 1 }
            return count
        }
        #expect(failures == 16, "no caller is told it was admitted when its statement failed")
    }
}

@Suite struct ChangeLogCheckTests {
    @Test func aCallMadeDuringACheckWaitsForTheNextOne() async throws {
        let (check, started, gate) = Self.firstCheckHeld()
        let first = Task { try await check.position() }
        while started.value == 0 { try await Task.sleep(for: .milliseconds(1)) }
        // The first check is under way: a call made now must not take its answer.
        let second = Task { try await check.position() }
        try await Task.sleep(for: .milliseconds(20))
        await gate.open()
        #expect(try await first.value == 1)
        #expect(try await second.value == 2, "the answer comes from a check that started after the call")
    }

    @Test func callersThatWaitTogetherShareOneCheck() async throws {
        let (check, started, gate) = Self.firstCheckHeld()
        let first = Task { try await check.position() }
        while started.value == 0 { try await Task.sleep(for: .milliseconds(1)) }
        let waiting = (0..<10).map { _ in Task { try await check.position() } }
        try await Task.sleep(for: .milliseconds(20))
        await gate.open()
        _ = try await first.value
        for task in waiting { #expect(try await task.value == 2) }
        #expect(started.value == 2, "ten callers that waited together made one check")
    }

    /// A check whose first round waits for `gate`; each round answers its own number.
    static func firstCheckHeld() -> (ChangeLogCheck, Counter, AsyncGate) {
        let started = Counter()
        let gate = AsyncGate()
        let check = ChangeLogCheck {
            let round = started.increment()
            if round == 1 { await gate.wait() }
            return Int64(round)
        }
        return (check, started, gate)
    }

    @Test func aFailedCheckFailsItsCallers() async throws {
        struct Down: Error {}
        let check = ChangeLogCheck { throw Down() }
        await #expect(throws: Down.self) { try await check.position() }
    }
}

@Suite struct PostgresReadMemoUnitTests {
    @Test func anEntryIsServedOnlyAtTheGenerationItWasReadAt() {
        let memo = PostgresReadMemo()
        memo.advance(to: 5)
        memo.remember(.value("a"), for: .organization("USA"), at: 5)
        #expect(memo.entry(.organization("USA"), at: 5) != nil)
        #expect(memo.entry(.organization("USA"), at: 6) == nil, "a request at another position does not use it")
        memo.advance(to: 6)
        #expect(memo.entry(.organization("USA"), at: 6) == nil, "a write forgets everything")
        memo.remember(.value("old"), for: .organization("GBR"), at: 5)
        #expect(memo.count == 0, "a row read in an older snapshot is not remembered")
    }

    @Test func theMemoIsBounded() {
        let memo = PostgresReadMemo(capacity: 10)
        memo.advance(to: 1)
        for i in 0..<25 { memo.remember(.absent, for: .organization("O\(i)"), at: 1) }
        #expect(memo.count <= 10)
    }
}

/// A count shared by concurrent tasks.
final class Counter: Sendable {
    private let count = Mutex(0)
    /// Adds one; returns the new count.
    @discardableResult func increment() -> Int {
        count.withLock { value in
            value += 1
            return value
        }
    }
    var value: Int { count.withLock { $0 } }
}

/// A gate tasks wait on until it opens.
actor AsyncGate {
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func open() {
        isOpen = true
        waiting.forEach { $0.resume() }
        waiting.removeAll()
    }
}
