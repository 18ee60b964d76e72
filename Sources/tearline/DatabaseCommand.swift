import ArgumentParser
import Foundation
import TearlineStore

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "database",
        abstract: "Prepare a PostgreSQL database for a node.",
        subcommands: [DatabaseMigrate.self, DatabaseSchema.self])
}

struct DatabaseMigrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the node's schema as its owner, and grant the application role what `serve` needs.",
        discussion: """
            Run it with an owner role's URL; then run `serve` and the other commands with the application role's URL. \
            The application role can read and append to the audit log but not change or delete an entry, and owns no \
            table, so it cannot disable the triggers that refuse it either.
            """)

    @Option(name: .customLong("database-url"), help: "The database, as the role that will own the schema: postgres://OWNER[:PASS]@HOST[:PORT]/DB[?sslmode=…].")
    var databaseURL: String

    @Option(name: .customLong("app-role"), help: "The role `serve` will connect as (it must exist).")
    var appRole: String?

    func run() async throws {
        let url: PostgresURL
        do { url = try PostgresURL(databaseURL) } catch { throw ValidationError(error.description) }
        do {
            let schema = try await PostgresRoles.migrate(ownerURL: url, appRole: appRole)
            print("schema \(schema) in \(url) is at version \(PostgresSchema.current)" + (appRole.map { "; \($0) may use it, and only append to the audit log" } ?? ""))
        } catch {
            FileHandle.standardErrorWrite("tearline: \(error)\n")
            throw ExitCode(1)
        }
    }
}

struct DatabaseSchema: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the SQL that creates the node's PostgreSQL schema, for review (nothing is run).")

    func run() async throws {
        print("-- Tearline PostgreSQL schema, version \(PostgresSchema.current)")
        for statement in PostgresSchema.sql { print(statement + ";\n") }
    }
}
