import ArgumentParser
import Foundation
import TearlineCore
import TearlineServer
import TearlineStore

/// `--db`, `--database-url` and `--key-file`, taken by every command that touches data.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database file (default: ./tearline.db).")
    var db: String?

    @Option(name: .customLong("database-url"),
            help: "A PostgreSQL database that every instance of the node shares: postgres://USER[:PASS]@HOST[:PORT]/DB[?sslmode=disable|prefer|require]. Needs --key-file; cannot be combined with --db.")
    var databaseURL: String?

    @Option(name: .long, help: "The node master key file (default: the database path + .key; commands that open the store create it with mode 0600). Required with --database-url, and the same file on every instance.")
    var keyFile: String?

    func validate() throws {
        if db != nil, databaseURL != nil {
            throw ValidationError("--database-url cannot be combined with --db: name one store")
        }
        if databaseURL != nil {
            _ = try postgresURL
            if keyFile == nil {
                throw ValidationError("--database-url needs --key-file: the node master key every instance shares (created with mode 0600 if missing)")
            }
        }
    }

    /// The SQLite file, when the store is one.
    var databasePath: String { db ?? "./tearline.db" }

    private var postgresURL: PostgresURL? {
        get throws {
            guard let databaseURL else { return nil }
            do {
                return try PostgresURL(databaseURL)
            } catch {
                throw ValidationError(error.description)
            }
        }
    }

    /// Where the node's data lives.
    var location: StoreLocation {
        get throws {
            if let url = try postgresURL { return .postgres(url) }
            return .file(databasePath)
        }
    }

    /// What messages call the store: a file's path, or the PostgreSQL URL without its password.
    var storeName: String {
        (try? postgresURL)?.map { $0.description } ?? databasePath
    }

    /// How another command names this store again, for messages that suggest one.
    var storeArguments: String {
        if let url = (try? postgresURL) ?? nil { return "--database-url '\(url.description)' --key-file \(keyFile ?? "")" }
        return "--db \(databasePath)"
    }

    func open(limits: ThrottleLimits = .standard) async throws -> TearlineService {
        do {
            return try await TearlineService.open(try location, keyFile: keyFile, limits: limits)
        } catch let error as ValidationError {
            throw error
        } catch {
            // why not a ValidationError: a store that cannot be opened is not a usage mistake;
            // one sentence, no usage block, and the exit code of an I/O failure (sysexits EX_IOERR).
            FileHandle.standardErrorWrite("tearline: \(StoreOpenFailure.sentence(for: error, store: storeName))\n")
            throw ExitCode(74)
        }
    }

    /// Where `serve` leaves the node-admin token for `admin token` to read once: beside the
    /// database file, or beside the key file for a PostgreSQL database.
    var adminTokenPath: String {
        databaseURL == nil ? databasePath + ".admin-token" : (keyFile ?? "./tearline.key") + ".admin-token"
    }

    /// The master key file named by `--key-file` or beside the database; never created here.
    func existingMasterKey() throws -> MasterKey {
        try MasterKey.load(path: keyFile ?? MasterKey.defaultPath(forDatabase: databasePath))
    }
}

/// Runs a service call, turning a refusal into a clear message and exit code 1.
func reportingProblems<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ServiceError {
        FileHandle.standardErrorWrite("tearline: \(error.description)\n")
        throw ExitCode(1)
    }
}

import Foundation

extension FileHandle {
    static func standardErrorWrite(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Prints a value as indented JSON.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
