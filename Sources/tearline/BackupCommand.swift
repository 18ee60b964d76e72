import ArgumentParser
import Foundation
import TearlineStore

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Take a consistent online copy of the node's SQLite database while it serves.",
        discussion: """
            The copy is one snapshot (SQLite's backup API), written to a new file with mode 0600, then checked: \
            SQLite's integrity check and the audit chain. The master key file is never part of it: keep the key apart \
            (see the README's Operating section). For a PostgreSQL node use pg_dump or pg_basebackup.
            """)

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "The backup file to create (it must not exist).")
    var to: String

    func run() async throws {
        guard store.databaseURL == nil else {
            FileHandle.standardErrorWrite("tearline: a PostgreSQL node is backed up with pg_dump or pg_basebackup (see the README's Operating section)\n")
            throw ExitCode(64)
        }
        let started = Date()
        do {
            let summary = try SQLiteBackup.backup(from: store.databasePath, to: to, verifyingWith: try store.existingMasterKey())
            let head = summary.verification.head.map { "head at entry \($0.seq)" } ?? "empty log"
            print("backup written to \(to): \(summary.bytes) bytes, \(summary.verification.entries) audit entries intact, \(head) "
                  + "(\(String(format: "%.2f", Date().timeIntervalSince(started))) s); the key file is not in it")
        } catch {
            FileHandle.standardErrorWrite("tearline: backup failed, nothing written: \(error)\n")
            throw ExitCode(1)
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the node's SQLite database with a backup, after checking it.",
        discussion: """
            The backup must pass SQLite's integrity check and its audit chain must verify under the node's key file \
            (the same key as when it was taken). Refused while a server runs on the database. Partners that witnessed \
            later audit heads will see the restore as a rollback and raise an alert: that is by design.
            """)

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "The backup file, from `tearline backup`.")
    var from: String

    func run() async throws {
        guard store.databaseURL == nil else {
            FileHandle.standardErrorWrite("tearline: a PostgreSQL node is restored with pg_restore or from a base backup (see the README)\n")
            throw ExitCode(64)
        }
        do {
            let verification = try SQLiteBackup.restore(from: from, to: store.databasePath, masterKey: try store.existingMasterKey())
            print("restored \(store.databasePath) from \(from): \(verification.entries) audit entries intact"
                  + (verification.head.map { ", head at entry \($0.seq)" } ?? ""))
        } catch {
            FileHandle.standardErrorWrite("tearline: restore refused, nothing changed: \(error)\n")
            throw ExitCode(1)
        }
    }
}
