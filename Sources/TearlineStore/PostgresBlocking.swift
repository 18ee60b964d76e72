import Foundation

/// Waits on a pool thread for asynchronous database work: the bridge that lets a synchronous
/// transaction body (see ``BlockingTransactionPool``) run postgres-nio's async queries.
///
/// Only a pool thread may wait here: a cooperative thread that waited would block Swift's
/// concurrency on I/O, which the storage seam exists to prevent.
enum PostgresBlocking {
    static func wait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        precondition(BlockingTransactionPool.isPoolThread, "database work may block only a BlockingTransactionPool thread")
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        Task {
            box.set(await Result { try await work() })
            done.signal()
        }
        done.wait()
        return try box.get()
    }
}

/// One result handed from the task that produced it to the thread that waits for it.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    // why @unchecked: `value` is guarded by `lock`, written once before the semaphore is signalled.
    private let lock = NSLock()
    private var value: Result<T, any Error>?
    func set(_ result: Result<T, any Error>) { lock.withLock { value = result } }
    func get() throws -> T {
        guard let value = lock.withLock({ value }) else { preconditionFailure("read before it was set") }
        return try value.get()
    }
}

extension Result where Failure == any Error {
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
