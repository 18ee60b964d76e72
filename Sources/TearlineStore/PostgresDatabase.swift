import Foundation
import Synchronization
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The connection side of the PostgreSQL backend: a pooled `PostgresClient`, the pool of threads
/// that transaction bodies run on (see ``BlockingTransactionPool``), and the schema.
///
/// Each transaction takes one connection for its whole length and runs on one pool thread, so a
/// body's statements wait on that thread and never on Swift's cooperative threads.
final class PostgresDatabase: Sendable {
    let url: PostgresURL
    let client: PostgresClient
    let pool: BlockingTransactionPool
    let logger: Logger
    private let running: Task<Void, Never>

    /// Connects lazily (the first transaction opens the first connection); `connections` bounds
    /// both the client's pool and the threads.
    init(url: PostgresURL, connections: Int = 8, logger: Logger = Logger(label: "tearline.postgres")) {
        self.url = url
        self.logger = logger
        let client = PostgresClient(configuration: url.clientConfiguration(connections: connections), backgroundLogger: logger)
        self.client = client
        self.pool = BlockingTransactionPool(size: connections, name: "tearline-pg")
        self.running = Task { await client.run() }
    }

    /// Stops the client and the threads; later transactions throw ``StoreError/closed``.
    func shutdown() {
        pool.shutdown()
        running.cancel()
    }

    deinit { shutdown() }

    /// How long a transaction waits for a connection before it asks whether the database answers
    /// at all; when it does not, the store answers ``StoreError/unavailable``.
    static let acquireTimeout: Duration = .seconds(5)

    /// How long a transaction waits for a connection at most while the database answers: the
    /// pool is busy, the node is overloaded, and the request is shed.
    static let busyTimeout: Duration = .seconds(30)

    /// The last probe of the database, shared by the transactions that wait at once.
    private let lastProbe = Mutex<(at: ContinuousClock.Instant, answered: Bool)?>(nil)

    /// Whether the database accepts a new connection and answers on it (at most one probe a second).
    private func databaseAnswers() async -> Bool {
        if let probe = lastProbe.withLock({ $0 }), ContinuousClock.now - probe.at < .seconds(1) { return probe.answered }
        var answered = false
        if let configuration = try? url.connectionConfiguration(),
           let connection = try? await PostgresConnection.connect(
               on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: -1, logger: logger).get() {
            answered = (try? await PostgresAnswer.within(.seconds(5), connection.query("SELECT 1", logger: logger))) != nil
            connection.close().whenComplete { _ in _ = connection }
        }
        lastProbe.withLock { $0 = (ContinuousClock.now, answered) }
        return answered
    }

    /// How long starting up (the schema, the index) waits for the database: a server that starts
    /// beside its database may wait for it a while; a request may not.
    static let startTimeout: Duration = .seconds(60)

    /// Runs `body` in one transaction on one connection: committed if it returns, rolled back if it throws.
    ///
    /// A write transaction first takes the node's writer lock (transaction-scoped, released at
    /// COMMIT or ROLLBACK): writes from every instance take turns, as they do in a SQLite file.
    /// A read runs in a repeatable-read snapshot beside them.
    ///
    /// A connection not had within ``acquireTimeout`` while the database does not answer a probe,
    /// or within ``busyTimeout`` while it does, gives up with ``StoreError/unavailable``: either
    /// the wait gives up or the transaction runs, never both.
    ///
    /// With `deferred`, a read sends its BEGIN only with its first statement that needs the
    /// transaction (see ``DeferredBegin``); statements sent through `link.autocommit` before that
    /// run on their own.
    func transaction<T: Sendable>(readOnly: Bool, deferred: Bool = false, acquireTimeout: Duration = PostgresDatabase.acquireTimeout,
                                  _ body: @escaping @Sendable (PostgresLink) throws -> T) async throws -> T {
        let pool = pool, logger = logger, client = client
        let race = AcquireRace()
        let asked = ContinuousClock.now
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                while true {
                    do {
                        return try await client.withConnection { connection in
                            guard race.acquire() else { throw StoreError.unavailable }
                            StoreMetrics.waited(backend: "postgres", kind: readOnly ? "read" : "write", since: asked)
                            return try await pool.run { try PostgresDatabase.run(readOnly: readOnly, deferred: deferred, on: connection, logger: logger, body) }
                        }
                    } catch {
                        if race.acquired { throw error }
                        // why again: the pool failed to open a connection (a timeout under load, its
                        // back-off); while the database answers and the wait has not given up, try again.
                        guard !race.gaveUp, await self.databaseAnswers() else { throw StoreError.unavailable }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
            }
            group.addTask {
                // why not one deadline: a request behind others on a busy pool is not an outage; it
                // waits while the database answers, up to busyTimeout.
                try await Task.sleep(for: acquireTimeout)
                if !race.acquired, await self.databaseAnswers() {
                    try await Task.sleep(for: max(.zero, PostgresDatabase.busyTimeout - acquireTimeout))
                }
                guard race.giveUp() else { return nil }
                throw StoreError.unavailable
            }
            while let result = try await group.next() {
                if let value = result {
                    group.cancelAll()
                    return value
                }
            }
            throw StoreError.unavailable
        }
    }

    /// One transaction on `connection`, on a pool thread.
    private static func run<T>(readOnly: Bool, deferred: Bool, on connection: PostgresConnection, logger: Logger,
                               _ body: (PostgresLink) throws -> T) throws -> T {
        if readOnly && deferred {
            let begin = DeferredBegin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            let link = PostgresLink(connection: connection, logger: logger, deferred: begin)
            do {
                let value = try body(link)
                if begin.begun { try link.execute("COMMIT") }
                return value
            } catch {
                if begin.begun { try? link.execute("ROLLBACK") }
                throw error
            }
        }
        let link = PostgresLink(connection: connection, logger: logger)
        if readOnly {
            try link.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        } else {
            try link.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        }
        do {
            if !readOnly { try link.execute(PostgresDatabase.lock(PostgresDatabase.writerLock)) }
            let value = try body(link)
            try link.execute("COMMIT")
            return value
        } catch {
            try? link.execute("ROLLBACK")
            throw error
        }
    }

    /// Creates the schema when the database has none; a database at another version is refused.
    /// Several instances may start at once: the first takes a transaction-scoped advisory lock,
    /// the others wait for it and then find the schema.
    func migrate() async throws {
        try await transaction(readOnly: false, acquireTimeout: PostgresDatabase.startTimeout) { link in
            try link.execute(PostgresDatabase.lock(PostgresDatabase.migrationLock))
            let exists = try link.row("SELECT to_regclass('tearlineschema') IS NOT NULL AS present").map { try $0.bool("present") } ?? false
            if !exists {
                try link.execute("CREATE TABLE tearlineSchema (version BIGINT NOT NULL, migratedAt BIGINT NOT NULL)")
                for statement in PostgresSchema.statements { try link.execute(statement) }
                // why: SQLite's v7 made the default TAXII API root every organisation's collections live in.
                try link.execute("INSERT INTO taxiiApiRoot (name, title, description, maxContentLength, createdAt) VALUES (?, ?, ?, ?, ?)",
                                 [.text(MigrationV7.defaultRoot), .text("Tearline"), .text(MigrationV7.defaultRootDescription),
                                  .int(Int64(TAXIILimits.maxContentLength)), .int(Int64(Date().timeIntervalSince1970 * 1000))])
                try link.execute("INSERT INTO tearlineSchema VALUES (?, ?)",
                                 [.int(PostgresSchema.version), .int(Int64(Date().timeIntervalSince1970 * 1000))])
            }
            var version = try link.row("SELECT version FROM tearlineSchema").map { try $0.int("version") }
            // why here, under the migration lock: an older schema is brought up to date once, by
            // the first instance (or `tearline database migrate`) that may change it.
            while let found = version, found < PostgresSchema.version, let steps = PostgresSchema.upgrades[found + 1] {
                for statement in steps { try link.execute(statement) }
                try link.execute("UPDATE tearlineSchema SET version = ?, migratedAt = ?", [.int(found + 1), .int(Int64(Date().timeIntervalSince1970 * 1000))])
                version = found + 1
            }
            guard version == PostgresSchema.version else {
                throw PostgresSchemaError(found: version, expected: PostgresSchema.version)
            }
        }
    }

    /// The statement that takes the transaction-scoped advisory lock `tag` of this node. Advisory
    /// locks are per database; the second key, the schema's, keeps nodes (or test runs) that share
    /// a database in schemas of their own from waiting on each other.
    static func lock(_ tag: Int32) -> String {
        "SELECT pg_advisory_xact_lock(\(tag), hashtext(current_schema()))"
    }

    /// The advisory lock migrations hold ("tlmg").
    static let migrationLock: Int32 = 0x746C_6D67
    /// The advisory lock every write transaction holds ("tlwr").
    static let writerLock: Int32 = 0x746C_7772
}

/// Decides, once, between a transaction that got its connection and the wait that gave up on it.
private final class AcquireRace: Sendable {
    private let state = Mutex<Int>(0)  // 0 undecided, 1 acquired, 2 gave up

    /// True when the connection came first; the transaction may run.
    func acquire() -> Bool {
        state.withLock { value in
            if value == 0 { value = 1 }
            return value == 1
        }
    }

    /// Whether a connection was had in time.
    var acquired: Bool { state.withLock { $0 == 1 } }

    /// Whether the wait gave up.
    var gaveUp: Bool { state.withLock { $0 == 2 } }

    /// True when the wait came first; the transaction will not run.
    func giveUp() -> Bool {
        state.withLock { value in
            if value == 0 { value = 2 }
            return value == 2
        }
    }
}

/// The database holds a schema of another version than this build's.
struct PostgresSchemaError: Error, CustomStringConvertible {
    let found: Int64?
    let expected: Int64
    var description: String {
        "The database's Tearline schema is version \(found.map(String.init) ?? "unknown"); this build expects \(expected)."
    }
}
