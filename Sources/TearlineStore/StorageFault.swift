import Foundation
import Synchronization

/// A failure of the storage under the database, rather than of the request: the disk is full,
/// the file or database went read-only, or the operating system reported an I/O error. Nothing of
/// the transaction was written; the request may succeed once an operator has mended the cause.
public enum StorageFault: String, Sendable, Equatable, CaseIterable {
    /// No space left for the database or its journal (SQLite `SQLITE_FULL`, PostgreSQL `53100`).
    case full = "storage-full"
    /// The database refuses writes (SQLite `SQLITE_READONLY`, PostgreSQL `25006` on a standby).
    case readOnly = "storage-read-only"
    /// The operating system failed a read or write (SQLite `SQLITE_IOERR`, PostgreSQL `58030`).
    case io = "storage-error"

    /// One sentence an operator can act on.
    public var sentence: String {
        switch self {
        case .full: "The disk that holds the database is full."
        case .readOnly: "The database is read-only."
        case .io: "The storage under the database reported an I/O error."
        }
    }
}

/// What this process last saw of its storage: a write that failed for a ``StorageFault`` marks
/// it; the next write that commits clears it. Readiness reports it, and health shows it.
public final class StorageHealth: Sendable {
    private let state = Mutex<(fault: StorageFault, at: Date)?>(nil)

    public init() {}

    /// The fault seen since the last committed write, if any.
    public var fault: StorageFault? { state.withLock { $0?.fault } }

    func record(_ fault: StorageFault) { state.withLock { $0 = (fault, Date()) } }

    func recordCommit() {
        // why the check first: the common case (no fault) takes the lock only to read.
        if state.withLock({ $0 != nil }) { state.withLock { $0 = nil } }
    }

    /// Runs `body`, noting a storage fault it throws; a body that writes and returns clears it.
    func watching<T>(writes: Bool, _ body: () throws -> T) throws -> T {
        do {
            let value = try body()
            if writes { recordCommit() }
            return value
        } catch StoreError.storage(let fault) {
            record(fault)
            throw StoreError.storage(fault)
        }
    }

    /// As ``watching(writes:_:)``, for asynchronous work.
    func watchingAsync<T>(writes: Bool, _ body: () async throws -> T) async throws -> T {
        do {
            let value = try await body()
            if writes { recordCommit() }
            return value
        } catch StoreError.storage(let fault) {
            record(fault)
            throw StoreError.storage(fault)
        }
    }
}

/// Whether a store can serve now: it answers, its schema is the one this build expects, and no
/// storage fault is outstanding.
public struct StoreReadiness: Sendable, Equatable {
    /// The database answered a query.
    public var answers: Bool
    /// The schema is at the version this build migrates to (not older, not newer).
    public var migrationsCurrent: Bool
    /// A storage fault seen since the last committed write, or found by looking (no free space).
    public var fault: StorageFault?

    public init(answers: Bool, migrationsCurrent: Bool, fault: StorageFault?) {
        self.answers = answers
        self.migrationsCurrent = migrationsCurrent
        self.fault = fault
    }

    public var isReady: Bool { answers && migrationsCurrent && fault == nil }

    /// Free space on the file system that holds `path`, in bytes, or nil when it cannot be read.
    static func freeBytes(near path: String) -> Int64? {
        let directory = (path as NSString).deletingLastPathComponent
        var stats = statvfs()
        guard statvfs(directory.isEmpty ? "." : directory, &stats) == 0 else { return nil }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }

    /// Below this much free space, a file store reports itself full before a write fails.
    static let minimumFreeBytes: Int64 = 1 << 20
}
