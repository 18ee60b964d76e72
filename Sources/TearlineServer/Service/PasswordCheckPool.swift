import Foundation

/// A small pool of threads of its own for slow password checks (scrypt takes 32 MiB and tens of
/// milliseconds each), so that a burst of HTTP Basic logins never occupies Swift's shared
/// cooperative threads, on which every other request runs.
///
/// At most `workers` checks run at once; up to `queueLimit` more wait their turn, first come
/// first served. Beyond that a check is refused at once with ``Busy`` (the service answers that
/// it is unavailable, with a time to retry after), instead of queueing without bound.
public final class PasswordCheckPool: @unchecked Sendable {
    // why @unchecked: all mutable state is guarded by `lock`.
    /// The pool is full: the check was not queued.
    public struct Busy: Error, Sendable {}

    /// The node's pool: half the cores (at least one) check passwords; 32 more may wait.
    public static let shared = PasswordCheckPool(workers: max(1, ProcessInfo.processInfo.activeProcessorCount / 2), queueLimit: 32)

    public let workers: Int
    public let queueLimit: Int
    private let lock = NSLock()
    private var waiting: [@Sendable () -> Void] = []
    private var running = 0
    private var peak = 0

    public init(workers: Int, queueLimit: Int) {
        precondition(workers >= 1 && queueLimit >= 0)
        self.workers = workers
        self.queueLimit = queueLimit
    }

    /// Runs `body` on one of the pool's threads and returns its result; throws ``Busy`` at once
    /// when `workers` checks run and `queueLimit` wait.
    public func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job: @Sendable () -> Void = { continuation.resume(returning: body()) }
            let admission: Admission = lock.withLock {
                if running < workers {
                    running += 1
                    peak = max(peak, running)
                    return .start
                }
                guard waiting.count < queueLimit else { return .refused }
                waiting.append(job)
                return .queued
            }
            switch admission {
            case .start:
                let thread = Thread { [self] in self.work(first: job) }
                thread.name = "tearline-password-check"
                thread.stackSize = 1 << 20
                thread.start()
            case .queued:
                break
            case .refused:
                continuation.resume(throwing: Busy())
            }
        }
    }

    private enum Admission { case start, queued, refused }

    /// Runs jobs until none waits; the thread then ends (threads exist only while there is work).
    private func work(first: @escaping @Sendable () -> Void) {
        var job: (@Sendable () -> Void)? = first
        while let current = job {
            current()
            job = lock.withLock {
                if waiting.isEmpty {
                    running -= 1
                    return nil
                }
                return waiting.removeFirst()
            }
        }
    }

    /// How many checks run and wait now, and the most that ever ran at once.
    public var load: (running: Int, waiting: Int, peak: Int) {
        lock.withLock { (running, waiting.count, peak) }
    }
}
