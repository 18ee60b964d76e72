import Foundation
import GRDB

/// Online backup and restore of a node's SQLite database, with SQLite's backup API.
///
/// A backup is taken while the server runs: the copy is one read snapshot (a single backup
/// step), so it is consistent, and the server's writers are not blocked meanwhile (WAL). The
/// master key file is never part of a backup: a backup without its key is sealed text nobody can
/// read, and the key kept apart is what makes a stolen backup useless.
public enum SQLiteBackup {
    public struct Summary: Sendable {
        public var bytes: Int64
        public var verification: AuditVerification
    }

    public enum Failure: Error, CustomStringConvertible {
        case exists(String)
        case notADatabase(String)
        case damaged(String, String)
        case auditBroken(String, String)
        case inUse(String)

        public var description: String {
            switch self {
            case .exists(let path): "\(path) exists; name a new file (a backup never overwrites one)"
            case .notADatabase(let path): "\(path) is not a Tearline database"
            case .damaged(let path, let problem): "\(path) fails SQLite's integrity check: \(problem)"
            case .auditBroken(let path, let problem): "the audit log in \(path) does not verify: \(problem)"
            case .inUse(let path): "\(path) is in use by a running server; stop it before restoring"
            }
        }
    }

    /// Copies the database at `source` to the new file `destination` (written beside it under a
    /// temporary name, then renamed, so a failed backup leaves no file), then checks the copy:
    /// SQLite's integrity check, and the audit chain with `publicKey`.
    public static func backup(from source: String, to destination: String, verifyingWith masterKey: MasterKey) throws -> Summary {
        guard !FileManager.default.fileExists(atPath: destination) else { throw Failure.exists(destination) }
        guard FileManager.default.fileExists(atPath: source) else { throw Failure.notADatabase(source) }
        let temporary = destination + ".partial-\(UUID().uuidString.prefix(8))"
        // why first: the copy holds sealed text and the audit log; nobody else reads it while it is written.
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw Failure.exists(temporary)
        }
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let reader = try DatabasePool(path: source, configuration: configuration)
        do {
            let copy = try DatabaseQueue(path: temporary)
            // why one step (the default): the whole copy is read in one snapshot, consistent however the server writes meanwhile.
            try reader.backup(to: copy)
            try copy.writeWithoutTransaction { db in
                // why DELETE: a backup is one self-contained file, with no -wal or -shm beside it.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
            // why: under load the snapshot may end with a group commit whose head was left for the
            // next one to sign; the copy's head is signed over its last entry, with the node's key.
            try copy.write { db in _ = try AuditWriter.sealHead(db, key: masterKey.auditSigningKey) }
            try copy.close()
        }
        try reader.close()
        let verification = try check(temporary, masterKey: masterKey)
        try FileManager.default.moveItem(atPath: temporary, toPath: destination)
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: destination)
        let size = (try? FileManager.default.attributesOfItem(atPath: destination))?[.size] as? NSNumber
        return Summary(bytes: size?.int64Value ?? 0, verification: verification)
    }

    /// Replaces the database at `target` with the backup `source`, after checking the backup
    /// (integrity, and its audit chain under `masterKey`, the node's key). Refused while a server
    /// holds `target` (see ``ServeLock``). The database is copied with the backup API into a new
    /// file that then takes `target`'s place, and the old journal files are removed, so a server
    /// started afterwards sees only the restored state.
    public static func restore(from source: String, to target: String, masterKey: MasterKey) throws -> AuditVerification {
        let verification = try check(source, masterKey: masterKey)
        guard let lock = ServeLock(databasePath: target) else { throw Failure.notADatabase(target) }
        guard lock.acquire() else { throw Failure.inUse(target) }
        defer { lock.release() }
        let temporary = target + ".restoring-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let reader = try DatabaseQueue(path: source, configuration: configuration)
            let copy = try DatabaseQueue(path: temporary)
            try reader.backup(to: copy)
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try copy.close()
            try reader.close()
        }
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
        // why rename(2): it replaces the old file in one step; there is no moment without a database.
        guard rename(temporary, target) == 0 else { throw Failure.notADatabase(target) }
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
        return verification
    }

    /// SQLite's integrity check and the audit chain, on the file at `path`.
    static func check(_ path: String, masterKey: MasterKey) throws -> AuditVerification {
        var configuration = Configuration()
        configuration.readonly = true
        let problem: String?
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            problem = try queue.read { db -> String? in
                guard try db.tableExists("auditEvent") else { return "no audit log" }
                let result = try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "no answer"
                return result == "ok" ? nil : result
            }
            try queue.close()
        } catch {
            throw Failure.notADatabase(path)
        }
        if let problem {
            if problem == "no audit log" { throw Failure.notADatabase(path) }
            throw Failure.damaged(path, problem)
        }
        let verification = try AuditVerifier.verify(databaseAt: path, masterKey: masterKey)
        if !verification.isIntact {
            throw Failure.auditBroken(path, "first bad entry \(verification.firstBad.map(String.init) ?? "?"): \(verification.problem ?? "")")
        }
        return verification
    }
}

/// An advisory lock a server holds on its database file while it runs (on `PATH.lock`), so that
/// `tearline restore` refuses to replace a database in use.
public final class ServeLock: @unchecked Sendable {
    // why @unchecked: the descriptor is set once and used by the owning process only.
    private let descriptor: Int32

    /// Nil when the lock file cannot be created beside the database (a read-only directory).
    public init?(databasePath: String) {
        descriptor = open(databasePath + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Takes the lock without waiting; false when another process holds it.
    public func acquire() -> Bool { flock(descriptor, LOCK_EX | LOCK_NB) == 0 }

    public func release() { flock(descriptor, LOCK_UN) }
}
