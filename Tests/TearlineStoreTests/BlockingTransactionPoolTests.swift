import Foundation
import TearlineStore
import Testing

/// The pool a network backend runs its synchronous transaction bodies on: the bodies run on its
/// own threads, never more at once than its size, errors come back to the caller, and Swift's
/// cooperative threads stay free while bodies block.
@Suite struct BlockingTransactionPoolTests {
    @Test func bodiesRunOnThePoolsOwnThreadsAndReturnTheirResult() async throws {
        let pool = BlockingTransactionPool(size: 2, name: "test-pool")
        defer { pool.shutdown() }
        #expect(!BlockingTransactionPool.isPoolThread, "the test itself is not on the pool")
        let (value, onPool) = try await pool.run { (41 + 1, BlockingTransactionPool.isPoolThread) }
        #expect(value == 42)
        #expect(onPool)
    }

    @Test func atMostSizeBodiesRunAtOnce() async throws {
        let pool = BlockingTransactionPool(size: 3)
        defer { pool.shutdown() }
        let now = Locked(0), peak = Locked(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    try await pool.run {
                        let current = now.withLock { $0 += 1; return $0 }
                        peak.withLock { $0 = max($0, current) }
                        Thread.sleep(forTimeInterval: 0.02)
                        now.withLock { $0 -= 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(peak.withLock { $0 } == 3, "twelve bodies, three threads: three at a time, no more")
    }

    @Test func anErrorInTheBodyReachesTheCaller() async throws {
        struct Refused: Error {}
        let pool = BlockingTransactionPool(size: 1)
        defer { pool.shutdown() }
        await #expect(throws: Refused.self) { try await pool.run { throw Refused() } }
        #expect(try await pool.run { 7 } == 7, "the thread survives a failing body")
    }

    @Test func blockedBodiesDoNotHoldTheCooperativeThreads() async throws {
        // More blocked bodies than this machine has cores: were they on the cooperative pool,
        // the task below could not run until they ended.
        let blocked = ProcessInfo.processInfo.activeProcessorCount + 2
        let pool = BlockingTransactionPool(size: blocked)
        defer { pool.shutdown() }
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let bodies = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<blocked {
                    group.addTask { try await pool.run { started.signal(); release.wait() } }
                }
                try await group.waitForAll()
            }
        }
        for _ in 0..<blocked { await Task.detached { started.wait() }.value }
        #expect(pool.busy == blocked, "every body is blocked on a pool thread")
        let answer = await Task { 6 * 7 }.value
        #expect(answer == 42, "a cooperative task still runs while every body blocks")
        for _ in 0..<blocked { release.signal() }
        try await bodies.value
    }

    @Test func aShutDownPoolRunsNothing() async throws {
        let pool = BlockingTransactionPool(size: 1)
        pool.shutdown()
        let ran = Locked(false)
        await #expect(throws: StoreError.closed) { try await pool.run { ran.withLock { $0 = true } } }
        #expect(!ran.withLock { $0 })
    }
}

/// A value shared by the bodies of one test.
private final class Locked<Value: Sendable>: @unchecked Sendable {
    // why @unchecked: `value` is guarded by `lock`.
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}
