import Foundation
import Logging
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

    /// Runs `body` in one transaction on one connection: committed if it returns, rolled back if it throws.
    func transaction<T: Sendable>(readOnly: Bool, _ body: @escaping @Sendable (PostgresLink) throws -> T) async throws -> T {
        let pool = pool, logger = logger
        return try await client.withConnection { connection in
            try await pool.run {
                let link = PostgresLink(connection: connection, logger: logger)
                try link.execute(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN ISOLATION LEVEL READ COMMITTED")
                do {
                    let value = try body(link)
                    try link.execute("COMMIT")
                    return value
                } catch {
                    try? link.execute("ROLLBACK")
                    throw error
                }
            }
        }
    }

    /// Creates the schema when the database has none; a database at another version is refused.
    /// Several instances may start at once: the first takes a transaction-scoped advisory lock,
    /// the others wait for it and then find the schema.
    func migrate() async throws {
        try await transaction(readOnly: false) { link in
            try link.execute("SELECT pg_advisory_xact_lock(?)", [.int(PostgresDatabase.migrationLock)])
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
            let version = try link.row("SELECT version FROM tearlineSchema").map { try $0.int("version") }
            guard version == PostgresSchema.version else {
                throw PostgresSchemaError(found: version, expected: PostgresSchema.version)
            }
        }
    }

    /// The key of the advisory lock migrations hold ("tearline" in ASCII).
    static let migrationLock: Int64 = 0x7465_6172_6C69_6E65
}

/// The database holds a schema of another version than this build's.
struct PostgresSchemaError: Error, CustomStringConvertible {
    let found: Int64?
    let expected: Int64
    var description: String {
        "The database's Tearline schema is version \(found.map(String.init) ?? "unknown"); this build expects \(expected)."
    }
}
