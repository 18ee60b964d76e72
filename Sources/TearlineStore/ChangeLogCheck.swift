import Foundation
import Synchronization

/// The change-log check that every read request on PostgreSQL makes before it decides anything,
/// shared by the requests that wait at the same time.
///
/// A request may use only a check that *started after it arrived*: one already under way when it
/// arrives may have read the log before a revocation the request's client has just seen
/// committed. So a request that arrives during a check waits for the next one, which starts as
/// soon as the current one ends and serves everyone who arrived meanwhile. Under load one query
/// serves many requests; alone, a request waits for exactly one.
final class ChangeLogCheck: Sendable {
    private struct State {
        var running = false
        var waiting: [CheckedContinuation<Result<Int64, any Error>, Never>] = []
    }

    private let state = Mutex(State())
    private let check: @Sendable () async throws -> Int64

    /// `check` reads the log and applies what it finds; it returns the log position it saw.
    init(_ check: @escaping @Sendable () async throws -> Int64) { self.check = check }

    /// The log position of a check that started after this call: everything committed before
    /// the call has been applied.
    func position() async throws -> Int64 {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Int64, any Error>, Never>) in
            let leads = state.withLock { state -> Bool in
                state.waiting.append(continuation)
                guard !state.running else { return false }
                state.running = true
                return true
            }
            if leads { Task { await self.rounds() } }
        }
        return try result.get()
    }

    /// Runs checks while requests wait; each round answers those that arrived before it started.
    private func rounds() async {
        while true {
            let round = state.withLock { state in
                defer { state.waiting.removeAll(keepingCapacity: true) }
                if state.waiting.isEmpty { state.running = false }
                return state.waiting
            }
            if round.isEmpty { return }
            let result: Result<Int64, any Error>
            do { result = .success(try await check()) } catch { result = .failure(error) }
            for continuation in round { continuation.resume(returning: result) }
        }
    }
}
