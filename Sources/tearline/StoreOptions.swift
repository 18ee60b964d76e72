import ArgumentParser
import TearlineCore
import TearlineServer
import TearlineStore

/// `--db` and `--key-file`, taken by every command that touches data.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database file.")
    var db: String = "./tearline.db"

    @Option(name: .long, help: "The node master key file (default: the database path + .key; commands that open the store create it with mode 0600).")
    var keyFile: String?

    func open(limits: ThrottleLimits = .standard) throws -> TearlineService {
        do {
            return try TearlineService.open(databasePath: db, keyFile: keyFile, limits: limits)
        } catch {
            throw ValidationError("cannot open \(db): \(error)")
        }
    }

    var adminTokenPath: String { db + ".admin-token" }

    /// The master key file named by `--key-file` or beside the database; never created here.
    func existingMasterKey() throws -> MasterKey {
        try MasterKey.load(path: keyFile ?? MasterKey.defaultPath(forDatabase: db))
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
