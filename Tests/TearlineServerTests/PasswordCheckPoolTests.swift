import Foundation
import HTTPTypes
import TearlineServer
import Testing

/// Password checks run on a bounded pool of their own: at most `workers` at once, a bounded
/// queue, then a quick refusal — and the rest of the server keeps answering meanwhile.
@Suite struct PasswordCheckPoolTests {
    /// A gate jobs wait at until the test opens it.
    final class Gate: @unchecked Sendable {
        // why @unchecked: a semaphore is thread-safe.
        private let semaphore = DispatchSemaphore(value: 0)
        func wait() { semaphore.wait() }
        func open(_ times: Int) { for _ in 0..<times { semaphore.signal() } }
    }

    static func waitUntil(_ pool: PasswordCheckPool, running: Int, waiting: Int) async throws {
        for _ in 0..<200 where pool.load.running != running || pool.load.waiting != waiting {
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require(pool.load.running == running && pool.load.waiting == waiting, "\(pool.load)")
    }

    @Test func thePoolRunsAtMostItsWorkersQueuesABoundedNumberAndRefusesTheRestAtOnce() async throws {
        let pool = PasswordCheckPool(workers: 2, queueLimit: 1)
        let gate = Gate()
        let jobs = (0..<3).map { n in Task { try await pool.run { gate.wait(); return n } } }
        try await Self.waitUntil(pool, running: 2, waiting: 1)
        let started = ContinuousClock.now
        await #expect(throws: PasswordCheckPool.Busy.self) { try await pool.run { 99 } }
        #expect(ContinuousClock.now - started < .milliseconds(500), "a full pool refuses at once")
        gate.open(3)
        var results: [Int] = []
        for job in jobs { results.append(try await job.value) }
        #expect(results == [0, 1, 2])
        #expect(pool.load.peak == 2, "never more than the workers at once")
        try await Self.waitUntil(pool, running: 0, waiting: 0)
        #expect(try await pool.run { 7 } == 7, "the pool takes work again once it drained")
    }

    @Test(arguments: TestBackend.allCases) func aFullPoolAnswersBasicLogins503AndEverythingElseStillAnswers(backend: TestBackend) async throws {
        let pool = PasswordCheckPool(workers: 1, queueLimit: 0)
        try await withWorld(backend, passwordChecks: pool) { w in
            _ = try await w.service.taxii.setPassword(member: w.id("usa-analyst"), login: "alice", password: "a long passphrase", by: .nodeAdmin)
            let gate = Gate()
            let blocker = Task { try await pool.run { gate.wait(); return 0 } }
            try await Self.waitUntil(pool, running: 1, waiting: 0)
            let busy = try await w.taxii("/taxii2/", as: nil, basic: ("alice", "wrong password"))
            #expect(busy.code == 503, "\(busy)")
            #expect(busy.headers[.retryAfter] == "1")
            #expect(try await w.get("/healthz", as: nil).code == 200, "health answers while the pool is full")
            #expect(try await w.taxii("/taxii2/", as: "usa-analyst").code == 200, "bearer tokens need no password check")
            gate.open(1)
            _ = try await blocker.value
            try await Self.waitUntil(pool, running: 0, waiting: 0)
            #expect(try await w.taxii("/taxii2/", as: nil, basic: ("alice", "wrong password")).code == 401)
            #expect(try await w.taxii("/taxii2/", as: nil, basic: ("alice", "a long passphrase")).code == 200)
        }
    }
}
