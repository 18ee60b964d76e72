import Foundation

/// A bounded set of dedicated threads, outside Swift's cooperative pool, that run synchronous
/// transaction bodies which may block on I/O.
///
/// This is how a network backend (PostgreSQL) implements ``TearlineStore`` without making every
/// repository `async`: each transaction body runs on one of these threads, holding one pooled
/// connection, and its repository calls wait for the database there. Swift's cooperative threads
/// only await the body's result, so they are never blocked on I/O, and at most `threads` bodies
/// run at once (the size of the connection pool). See docs/ARCHITECTURE.md, "The storage seam".
public final class BlockingTransactionPool: @unchecked Sendable {
    // why @unchecked: `queue`, `open` and `running` are guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []
    private var open = true
    private var running = 0
    private var threads: [Thread] = []
    /// How many bodies may run at once.
    public let size: Int

    /// Starts `size` threads named `name-1`…`name-size`; they run until ``shutdown()``.
    public init(size: Int, name: String = "tearline-store") {
        precondition(size > 0, "a pool needs at least one thread")
        self.size = size
        for index in 1...size {
            // why a strong reference: the threads keep the pool alive until `shutdown()` lets them end.
            let thread = Thread { self.work() }
            thread.name = "\(name)-\(index)"
            thread.stackSize = 1 << 20
            threads.append(thread)
        }
        threads.forEach { $0.start() }
    }

    /// Whether the calling thread is one of a pool's threads (a body may block here, nowhere else).
    public static var isPoolThread: Bool { Thread.current.threadDictionary[poolKey] as? Bool == true }

    /// Runs `body` on one of the pool's threads and returns its result; the caller's task is
    /// suspended meanwhile, not blocked. Throws ``StoreError/closed`` once the pool is shut down.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job: @Sendable () -> Void = { continuation.resume(with: Result(catching: body)) }
            condition.lock()
            guard open else {
                condition.unlock()
                continuation.resume(throwing: StoreError.closed)
                return
            }
            queue.append(job)
            condition.signal()
            condition.unlock()
        }
    }

    /// How many bodies are running now (for tests and metrics).
    public var busy: Int { condition.withLock { running } }

    /// Lets queued bodies finish, then stops the threads; later `run` calls throw.
    public func shutdown() {
        condition.lock()
        open = false
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        Thread.current.threadDictionary[Self.poolKey] = true
        while true {
            condition.lock()
            while queue.isEmpty && open { condition.wait() }
            if queue.isEmpty {
                condition.unlock()
                return
            }
            let job = queue.removeFirst()
            running += 1
            condition.unlock()
            job()
            condition.withLock { running -= 1 }
        }
    }

    private static let poolKey = "tearline.blocking-transaction-pool"
}
