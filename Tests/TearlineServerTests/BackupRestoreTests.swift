import Foundation
import TearlineServer
import TearlineStore
import Testing

/// `tearline backup` and `restore`: a consistent copy taken while serving, checked before it is
/// written or restored; never over an existing file, never under a running server, never with a
/// key that does not verify its audit log; nothing partial left behind.
@Suite struct BackupRestoreTests {
    @Test func aBackupTakenWhileServingRestoresEveryWriteBeforeIt() async throws {
        try await withWorld(.sqliteFile) { w in
            let directory = (w.databasePath as NSString).deletingLastPathComponent
            let key = try MasterKey.load(path: MasterKey.defaultPath(forDatabase: w.databasePath))
            let kept = try await w.createReport(BadInputTests.validReport)
            let backup = directory + "/backup.db"
            let summary = try SQLiteBackup.backup(from: w.databasePath, to: backup, verifyingWith: key)
            #expect(summary.verification.isIntact && summary.verification.entries > 0)
            #expect(summary.bytes > 0)
            let mode = try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600, "a backup holds sealed text: owner only")
            #expect(throws: SQLiteBackup.Failure.self, "a backup never overwrites a file") {
                try SQLiteBackup.backup(from: w.databasePath, to: backup, verifyingWith: key)
            }
            let later = try await w.createReport(BadInputTests.validReport)

            // Restored beside (a new path): the write before the backup is there, the later one is not.
            let restored = directory + "/restored.db"
            let verification = try SQLiteBackup.restore(from: backup, to: restored, masterKey: key)
            #expect(verification.isIntact)
            try FileManager.default.copyItem(atPath: MasterKey.defaultPath(forDatabase: w.databasePath), toPath: MasterKey.defaultPath(forDatabase: restored))
            let service = try await TearlineService.open(databasePath: restored)
            let ids = try await service.store.read { session in try session.report(id: kept) != nil && (try session.report(id: later)) == nil }
            #expect(ids, "the restored node holds what was written before the backup, and nothing after")
            #expect(try await service.store.verifyAuditChain()?.isIntact == true)
        }
    }

    @Test func aRestoreIsRefusedUnderARunningServerWithTheWrongKeyOrFromAnythingButABackup() async throws {
        try await withWorld(.sqliteFile) { w in
            let directory = (w.databasePath as NSString).deletingLastPathComponent
            let key = try MasterKey.load(path: MasterKey.defaultPath(forDatabase: w.databasePath))
            _ = try await w.createReport(BadInputTests.validReport)
            let backup = directory + "/backup.db"
            _ = try SQLiteBackup.backup(from: w.databasePath, to: backup, verifyingWith: key)
            let target = directory + "/target.db"
            _ = try SQLiteBackup.restore(from: backup, to: target, masterKey: key)
            let before = try Data(contentsOf: URL(fileURLWithPath: target))

            let server = try #require(ServeLock(databasePath: target))
            #expect(server.acquire())
            #expect(throws: SQLiteBackup.Failure.self, "a running server holds the database") {
                try SQLiteBackup.restore(from: backup, to: target, masterKey: key)
            }
            server.release()

            #expect(throws: SQLiteBackup.Failure.self, "another node's key does not verify the backup's audit log") {
                try SQLiteBackup.restore(from: backup, to: target, masterKey: MasterKey.random())
            }
            let junk = directory + "/junk.db"
            try Data("not a database at all".utf8).write(to: URL(fileURLWithPath: junk))
            #expect(throws: SQLiteBackup.Failure.self) { try SQLiteBackup.restore(from: junk, to: target, masterKey: key) }
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == before, "a refused restore changed nothing")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".restoring-") || $0.contains(".partial-") }
            #expect(leftovers.isEmpty, "\(leftovers)")
        }
    }
}
