import Foundation

/// A schema of its own in a PostgreSQL database, for a test or a benchmark run that must not
/// see anyone else's tables: created empty, and dropped with everything in it afterwards.
///
/// At most ``concurrentSchemas`` are in use at once in a process: a test suite that starts
/// hundreds of nodes at once would otherwise open hundreds of connections to one server.
public enum PostgresScratchSchema {
    public static let concurrentSchemas = 6

    /// Runs `body` with the URL of a fresh schema in the database at `url`, then drops the schema.
    public static func with<T>(at url: PostgresURL, prefix: String = "t", _ body: (PostgresURL) async throws -> T) async throws -> T {
        await gate.enter()
        do {
            let scoped = try await create(at: url, prefix: prefix)
            do {
                let value = try await body(scoped)
                try await drop(scoped)
                await gate.leave()
                return value
            } catch {
                try? await drop(scoped)
                throw error
            }
        } catch {
            await gate.leave()
            throw error
        }
    }

    /// Creates a fresh schema in the database at `url`; returns the URL that works in it.
    public static func create(at url: PostgresURL, prefix: String = "t") async throws -> PostgresURL {
        let name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
        try await run(url, "CREATE SCHEMA \(name)")
        var scoped = url
        scoped.searchPath = name
        return scoped
    }

    /// Drops the schema `scoped` works in, and everything in it.
    public static func drop(_ scoped: PostgresURL) async throws {
        guard let name = scoped.searchPath, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return }
        var url = scoped
        url.searchPath = nil
        try await run(url, "DROP SCHEMA IF EXISTS \(name) CASCADE")
    }

    private static func run(_ url: PostgresURL, _ sql: String) async throws {
        let database = PostgresDatabase(url: url, connections: 1)
        defer { database.shutdown() }
        try await database.transaction(readOnly: false, acquireTimeout: PostgresDatabase.startTimeout) { link in try link.execute(sql) }
    }

    private static let gate = Gate(PostgresScratchSchema.concurrentSchemas)

    private actor Gate {
        private var free: Int
        private var waiting: [CheckedContinuation<Void, Never>] = []
        init(_ slots: Int) { free = slots }

        func enter() async {
            if free > 0 {
                free -= 1
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func leave() {
            if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
        }
    }
}
