import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// Which instance leads the node's background tasks: the one whose connection holds the task's
/// session-level advisory lock. The lock lives as long as that connection: when the leading
/// process dies or loses the database, PostgreSQL releases it and another instance takes the lead
/// at its next try.
final class PostgresLeadership: Sendable {
    private struct State {
        var connection: PostgresConnection?
        var held: Set<NodeTask> = []
        var closed = false
    }

    private let state = Mutex(State())
    private let url: PostgresURL
    private let logger: Logger

    init(url: PostgresURL, logger: Logger) {
        self.url = url
        self.logger = logger
    }

    func leads(_ task: NodeTask) async -> Bool {
        do {
            let (connection, held) = try await connection()
            // why a probe while held: a lock on a connection that broke is gone; find out before acting.
            guard !connection.isClosed else { throw StoreError.unavailable }
            if held.contains(task) {
                _ = try await PostgresAnswer.within(.seconds(10), connection.query("SELECT 1", logger: logger))
                return true
            }
            let result = try await PostgresAnswer.within(.seconds(10), connection.query(
                "SELECT pg_try_advisory_lock(hashtextextended(current_schema() || '/lead/' || \(task.rawValue), 0)) AS won", logger: logger))
            let won = try result.rows.first?.decode(Bool.self) ?? false
            if won { state.withLock { _ = $0.held.insert(task) } }
            return won
        } catch {
            // why: a broken connection released its locks; start over on a new one at the next try.
            let broken = state.withLock { state -> PostgresConnection? in
                defer { state.connection = nil; state.held = [] }
                return state.connection
            }
            if let broken { broken.close().whenComplete { _ in _ = broken } }
            return false
        }
    }

    func shutdown() {
        let connection = state.withLock { state -> PostgresConnection? in
            state.closed = true
            defer { state.connection = nil; state.held = [] }
            return state.connection
        }
        // why the capture: a connection must outlive its close (postgres-nio checks it was closed).
        if let connection { connection.close().whenComplete { _ in _ = connection } }
    }

    private func connection() async throws -> (PostgresConnection, Set<NodeTask>) {
        if let current = try state.withLock({ state -> (PostgresConnection, Set<NodeTask>)? in
            if state.closed { throw StoreError.closed }
            return state.connection.map { ($0, state.held) }
        }) {
            return current
        }
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: try url.connectionConfiguration(), id: 0, logger: logger
        ).get()
        state.withLock { $0.connection = connection }
        return (connection, [])
    }
}
