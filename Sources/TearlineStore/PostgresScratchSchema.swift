import Foundation

/// A schema of its own in a PostgreSQL database, for a test or a benchmark run that must not
/// see anyone else's tables: created empty, and dropped with everything in it afterwards.
public enum PostgresScratchSchema {
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
        try await database.transaction(readOnly: false) { link in try link.execute(sql) }
    }
}
