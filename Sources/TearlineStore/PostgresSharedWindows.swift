import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// The throttle windows of a PostgreSQL node, in the `throttleEvent` table, so that a member who
/// spreads reads over instances is throttled at the same count as on one.
///
/// Admissions that wait at the same time go in one statement (`tearline_admit` for each, which
/// holds a per-member advisory lock until that statement commits; see ``AdmissionBatcher``), sent on a connection of its own in autocommit: a read transaction
/// is read-only, and a count must hold whether or not the request's transaction commits. Called
/// from transaction bodies, so on pool threads, where waiting is allowed. These connections
/// commit asynchronously (see `take()`).
final class PostgresSharedWindows: SharedWindowCounting, @unchecked Sendable {
    // why @unchecked: `idle`, `opened` and `closed` are guarded by `lock`.
    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    private var opened = 0
    private var closed = false
    private let url: PostgresURL
    private let logger: Logger

    init(url: PostgresURL, logger: Logger) {
        self.url = url
        self.logger = logger
    }

    func admit(member: String, kind: String, key: String?, amount: Int, limit: Int, window: Int64, now: Int64) throws -> Bool {
        let admission = Admission(member: member, kind: kind, key: key, amount: Int64(amount), limit: Int64(limit), window: window, now: now)
        return try admissions.admit(admission) { batch in try self.withConnection { link in try Self.admit(batch, link: link) } }
    }

    private let admissions = AdmissionBatcher()

    /// Admits `batch` in one statement, so one transaction: `tearline_admit` for each, in member
    /// order (each holds its member's lock until the commit; two instances' batches take them in
    /// the same order, so they never deadlock); the answers in `batch`'s order.
    static func admit(_ batch: [Admission], link: PostgresLink) throws -> [Bool] {
        let order = batch.indices.sorted { (batch[$0].member, $0) < (batch[$1].member, $1) }
        let rows = try link.rows("""
            SELECT t.i, tearline_admit(t.member, t.kind, CASE WHEN t.keyed = 1 THEN t.key END, t.amount, t.lim, t.now, t.win) AS admitted
            FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
                AS t(member, kind, key, keyed, amount, lim, now, win, i)
            """, [.texts(order.map { batch[$0].member }), .texts(order.map { batch[$0].kind }), .texts(order.map { batch[$0].key ?? "" }),
                  .ints(order.map { batch[$0].key == nil ? 0 : 1 }),
                  .ints(order.map { batch[$0].amount }), .ints(order.map { batch[$0].limit }), .ints(order.map { batch[$0].now }),
                  .ints(order.map { batch[$0].window }), .ints(order.map { Int64($0) })])
        var answers = [Bool?](repeating: nil, count: batch.count)
        for row in rows {
            let index = Int(try row.int("i"))
            guard answers.indices.contains(index), answers[index] == nil else { throw StoreError.corruptRow("tearline_admit") }
            answers[index] = try row.bool("admitted")
        }
        return try answers.map { answer in
            guard let answer else { throw StoreError.corruptRow("tearline_admit") }
            return answer
        }
    }

    func reset(member: String) throws {
        try withConnection { link in try link.execute("DELETE FROM throttleEvent WHERE member = ?", [.text(member)]) }
    }

    /// Vacuums `tables` (outside any transaction, as VACUUM must run): the old row versions that
    /// still held a destroyed key become free space, to be overwritten by later writes.
    func vacuum(_ tables: [String]) throws {
        try withConnection { link in try link.execute("VACUUM \(tables.joined(separator: ", "))") }
    }

    /// Closes the connections; later calls throw ``StoreError/closed``.
    func shutdown() {
        let connections = lock.withLock {
            closed = true
            defer { idle.removeAll() }
            return idle
        }
        // why the capture: a connection must outlive its close (postgres-nio checks it was closed).
        for connection in connections { connection.close().whenComplete { _ in _ = connection } }
    }

    private func withConnection<T>(_ body: (PostgresLink) throws -> T) throws -> T {
        let connection = try take()
        do {
            let value = try body(PostgresLink(connection: connection, logger: logger))
            give(connection)
            return value
        } catch {
            // why: after a failure the connection's state is unknown; a fresh one replaces it.
            connection.close().whenComplete { _ in _ = connection }
            lock.withLock { opened -= 1 }
            throw StoreError.translatingPostgres(error)
        }
    }

    private func take() throws -> PostgresConnection {
        let (reused, number): (PostgresConnection?, Int) = try lock.withLock {
            if closed { throw StoreError.closed }
            // why the check: a connection that died while idle (the database restarted) is not reused.
            while let connection = idle.popLast() {
                if !connection.isClosed { return (connection, 0) }
                connection.close().whenComplete { _ in _ = connection }
                opened -= 1
            }
            opened += 1
            return (nil, opened)
        }
        if let reused { return reused }
        do {
            var configuration = try url.connectionConfiguration()
            // why asynchronous commit: a count's commit need not wait for its WAL flush, so the
            // member's lock is held for microseconds, not for a disk write; and no answered read
            // loses its count, because the read's audit entry commits after it, synchronously, and
            // WAL is flushed in order (see the README, "Several instances on PostgreSQL").
            configuration.options.additionalStartupParameters.append(("synchronous_commit", "off"))
            return try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: number, logger: logger
            ).wait()
        } catch {
            lock.withLock { opened -= 1 }
            // (a connect has its own timeout, so this wait ends)
            throw StoreError.translatingPostgres(error)
        }
    }

    private func give(_ connection: PostgresConnection) {
        let keep = lock.withLock {
            if closed { return false }
            idle.append(connection)
            return true
        }
        if !keep { connection.close().whenComplete { _ in _ = connection } }
    }
}

extension PostgresURL {
    /// The configuration of a single connection, outside the pooled client.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = switch self.tls {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        if let searchPath { configuration.options.additionalStartupParameters = [("search_path", searchPath)] }
        return configuration
    }
}
