import Foundation

/// The split of roles a careful operator runs a PostgreSQL node with: an owner role creates the
/// schema (`tearline database migrate`), and the application role that `serve` connects as gets
/// only what it needs. It may read and append to the audit tables but neither UPDATE, DELETE nor
/// TRUNCATE them, and since it owns no table it cannot disable the triggers that refuse those
/// either: the audit log is append-only even for a compromised server.
public enum PostgresRoles {
    /// Creates the schema at `url` (as its owner) when missing, and grants `appRole` the
    /// application's rights in it. Returns the schema's name.
    @discardableResult
    public static func migrate(ownerURL url: PostgresURL, appRole: String?) async throws -> String {
        if let appRole {
            guard appRole.range(of: #"^[a-z_][a-z0-9_]{0,62}$"#, options: .regularExpression) != nil else {
                throw PostgresRoleError("the application role must be a lower-case PostgreSQL identifier (a–z, 0–9, _)")
            }
        }
        let database = PostgresDatabase(url: url, connections: 1)
        defer { database.shutdown() }
        do {
            try await database.migrate()
            return try await database.transaction(readOnly: false, acquireTimeout: PostgresDatabase.startTimeout) { link in
                let schema = try link.row("SELECT current_schema() AS s").map { try $0.string("s") } ?? "public"
                guard let appRole else { return schema }
                guard try link.row("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?) AS found", [.text(appRole)])
                    .map({ try $0.bool("found") }) == true else {
                    throw PostgresRoleError("no role \(appRole) in this cluster: create it first (CREATE ROLE \(appRole) LOGIN PASSWORD …)")
                }
                let quotedSchema = "\"\(schema.replacingOccurrences(of: "\"", with: "\"\""))\""
                for statement in grants(schema: quotedSchema, role: appRole) { try link.execute(statement) }
                return schema
            }
        } catch let error as PostgresRoleError {
            throw error
        } catch {
            throw StoreError.translatingPostgres(error)
        }
    }

    /// What the application role may do: everything the server does, and nothing more on the audit tables.
    static func grants(schema: String, role: String) -> [String] {
        [
            "GRANT USAGE ON SCHEMA \(schema) TO \(role)",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \(schema) TO \(role)",
            "REVOKE UPDATE, DELETE, TRUNCATE ON \(schema).auditEvent, \(schema).auditCheckpoint, \(schema).tearlineSchema, \(schema).nodeKey FROM \(role)",
            "REVOKE DELETE, TRUNCATE ON \(schema).auditHead FROM \(role)",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA \(schema) TO \(role)",
            "GRANT EXECUTE ON FUNCTION \(schema).tearline_admit(text, text, text, BIGINT, BIGINT, BIGINT, BIGINT) TO \(role)",
        ]
    }
}

public struct PostgresRoleError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
