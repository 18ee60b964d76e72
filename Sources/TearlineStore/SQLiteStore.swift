import Crypto
import Foundation
import GRDB
import TearlineCore

/// What every session of one store shares: caches, the sealer and the audit signing key.
final class StoreContext: Sendable {
    let reports: any ReportCaching
    let releases: any ReleaseContentCaching
    let entities: any EntityIndexHolding
    let sealer: ContentSealer
    let entityKeys: EntityKeys
    /// The storage faults this process has seen and not yet seen mended.
    let health = StorageHealth()
    private let signer: Signer

    init(masterKey: MasterKey, state: StoreProcessState = .local()) {
        reports = state.reports
        releases = state.releases
        entities = state.entities
        sealer = ContentSealer(master: masterKey)
        entityKeys = EntityKeys(master: masterKey)
        signer = Signer(key: masterKey.auditSigningKey)
    }

    var auditKey: Curve25519.Signing.PrivateKey { signer.key }

    private final class Signer: @unchecked Sendable {
        // why @unchecked: an immutable key; swift-crypto does not mark its key types Sendable.
        let key: Curve25519.Signing.PrivateKey
        init(key: Curve25519.Signing.PrivateKey) { self.key = key }
    }
}

/// The embedded default store: one SQLite file in WAL mode with foreign keys on. Report and
/// release text is sealed at rest; the audit log is hash-chained, append-only and signed.
///
/// The same store also runs on an in-memory database (``Location/memory``), which the contract
/// tests use as a second backend and which suits short-lived tools.
public final class SQLiteStore: TearlineStore {
    /// Where the database lives.
    public enum Location: Sendable, Equatable {
        /// A file (created if missing), opened as a WAL pool: readers run beside the writer.
        case file(String)
        /// A private in-memory database on one connection; it is gone when the store is.
        case memory
    }

    public let location: Location
    /// The writer connection's page cache, in KiB.
    static let writerCacheKiB = 65_536
    let writer: any DatabaseWriter
    let context: StoreContext
    let auditBatching: any AuditBatching
    let auditLog: SQLiteAuditLog
    /// Write transactions, grouped when they queue behind one another.
    let writes: SQLiteWriteGroup

    /// Opens (and migrates) the database at `path`, creating it if needed. `masterKey` seals text
    /// at rest and derives the key that signs the audit log.
    public convenience init(path: String, masterKey: MasterKey) throws {
        try self.init(.file(path), masterKey: masterKey)
    }

    /// Opens (and migrates) the database at `location`. `masterKey` seals text at rest and derives
    /// the key that signs the audit log. `state` holds the caches, the entity index and the group
    /// commit of read requests' audit records: this process's own unless given.
    public init(_ location: Location, masterKey: MasterKey, state: StoreProcessState = .local()) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // why: freed pages and cells are zeroed, so a destroyed release key or a replaced
            // value does not linger in the file.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        switch location {
        case .file(let path):
            writer = try DatabasePool(path: path, configuration: configuration)
        case .memory:
            // why a queue: WAL and a pool of readers need a file; an in-memory database is one
            // connection, so reads and writes take turns on it.
            writer = try DatabaseQueue(configuration: configuration)
        }
        self.location = location
        let context = StoreContext(masterKey: masterKey, state: state)
        self.context = context
        try Self.migrator(context).migrate(writer)
        if case .file = location {
            // why on the writer alone: a large write transaction (a bulk import) spills pages out of
            // SQLite's default 2 MiB cache into the journal and reads them back; readers keep the default.
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -\(Self.writerCacheKiB)") }
        }
        try writer.read { db in try EntityIndexLoader.load(db, into: context.entities) }
        auditBatching = state.audit
        auditLog = SQLiteAuditLog(writer: writer, context: context)
        writes = SQLiteWriteGroup(writer: writer, context: context)
    }

    /// Whether the database has a write-ahead log to checkpoint and purge (a file does; memory does not).
    private var hasJournal: Bool {
        if case .file = location { return true }
        return false
    }

    /// Copies the WAL into the database file and truncates it (what an idle node's checkpoints do).
    /// An in-memory store has no journal: this does nothing.
    public func checkpointJournal() throws {
        guard hasJournal else { return }
        try truncateJournal(busyTimeout: 10_000)
    }

    /// The public key that verifies this node's audit checkpoints.
    public var auditPublicKey: Curve25519.Signing.PublicKey { context.auditKey.publicKey }

    public func verifyAuditChain() async throws -> AuditVerification? {
        guard case .file(let path) = location else { return nil }
        let key = auditPublicKey.rawRepresentation
        // why a thread of its own: the verifier reads the whole log, blocking; never on the cooperative pool.
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    try AuditVerifier.verify(databaseAt: path, publicKey: try Curve25519.Signing.PublicKey(rawRepresentation: key))
                })
            }
        }
    }

    public func readiness() async -> StoreReadiness {
        let migrator = Self.migrator(context)
        let schema: (answers: Bool, current: Bool) = (try? await writer.read { db in
            (true, try migrator.hasCompletedMigrations(db) && !(try migrator.hasBeenSuperseded(db)))
        }) ?? (false, false)
        var fault = context.health.fault
        if fault == nil, case .file(let path) = location, let free = StoreReadiness.freeBytes(near: path), free < StoreReadiness.minimumFreeBytes {
            fault = .full
        }
        return StoreReadiness(answers: schema.answers, migrationsCurrent: schema.current, fault: fault)
    }

    public var storageHealth: StorageHealth { context.health }

    // why synchronous GRDB calls: a SQLite transaction here takes microseconds, less than the
    // thread hop of GRDB's async API; DispatchQueue.sync runs the work on the calling thread.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) throws -> T) async throws -> T {
        let health = context.health
        let (value, audit) = try health.watching(writes: false) { try StoreError.translatingSQLite { try readNow(body) } }
        if !audit.isEmpty {
            try await health.watchingAsync(writes: true) { try await StoreError.translatingSQLite { try await auditBatching.append(audit, to: auditLog) } }
        }
        return value
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) throws -> T) async throws -> T {
        let (value, destroyed) = try await context.health.watchingAsync(writes: true) {
            try await StoreError.translatingSQLite { try await writes.write(body) }
        }
        // why only with a journal: in memory a destroyed key's page is zeroed by secure_delete and
        // there is no WAL that could still hold an old copy of it.
        if hasJournal, destroyed || purge.isPending { purgeJournal() }
        return value
    }

    private func readNow<T>(_ body: (any StoreSession) throws -> T) throws -> (T, [AuditRecord]) {
        try writer.read { db in
            let session = SQLiteSession(db: db, context: context, readOnly: true)
            let value = try body(session)
            return (value, session.state.pendingAudit)
        }
    }

    /// After a release key is destroyed, copies the WAL into the database and truncates it, so
    /// the old page that held the key is gone from the journal too. A reader holding an old
    /// snapshot blocks that; rather than hold the writer lock while waiting (which would stall
    /// every write and audit commit), each try waits 50 ms at most. A purge that could not finish
    /// stays pending: it is tried again after each later write, and by a background retry every
    /// 100 ms until it succeeds, so it does not depend on more writes arriving.
    private func purgeJournal() {
        do {
            try truncateJournal(busyTimeout: 50)
            purge.finished()
        } catch {
            if purge.failed(error) { retryPurgeInBackground() }
        }
    }

    private func retryPurgeInBackground() {
        Task.detached { [weak self] in
            while true {
                try? await Task.sleep(nanoseconds: 100_000_000)
                guard let self, self.purge.isPending else { return }
                self.purgeJournal()
                if !self.purge.isPending { return }
            }
        }
    }

    /// Whether a destroyed key may still sit in the WAL (a purge is waiting for old readers).
    public var journalPurgePending: Bool { purge.isPending }

    /// Why the last try of a pending purge failed, for diagnostics.
    public var journalPurgeLastError: String? { purge.lastError }

    /// Checkpoints the WAL into the database and truncates it, waiting for readers at most
    /// `busyTimeout` milliseconds (then it throws SQLITE_BUSY).
    private func truncateJournal(busyTimeout: Int) throws {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA busy_timeout = \(busyTimeout)")
            defer { try? db.execute(sql: "PRAGMA busy_timeout = 10000") }
            _ = try db.checkpoint(.truncate)
        }
    }

    private let purge = PurgeState()

    private final class PurgeState: @unchecked Sendable {
        // why @unchecked: all state is guarded by `lock`.
        private let lock = NSLock()
        private var pending = false
        private var retrying = false
        private var error: String?

        var isPending: Bool { lock.withLock { pending } }
        var lastError: String? { lock.withLock { error } }

        func finished() { lock.withLock { pending = false; retrying = false; error = nil } }

        /// Records a failed try; true when the caller should start the background retry.
        func failed(_ failure: any Error) -> Bool {
            lock.withLock {
                pending = true
                error = String(describing: failure)
                if retrying { return false }
                retrying = true
                return true
            }
        }
    }

    /// Schema migrations. A shipped migration never changes; new ones are appended.
    static func migrator(_ context: StoreContext) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: Schema.v1)
        }
        migrator.registerMigration("v2-sealed-text-and-audit-chain") { db in
            try MigrationV2.run(db, context: context)
        }
        migrator.registerMigration("v3-entity-index") { db in
            try MigrationV3.run(db, context: context)
        }
        migrator.registerMigration("v4-feedback") { db in
            try MigrationV4.run(db)
        }
        migrator.registerMigration("v5-trust-dynamics") { db in
            try MigrationV5.run(db)
        }
        migrator.registerMigration("v6-exchange-ledger") { db in
            try MigrationV6.run(db)
        }
        migrator.registerMigration("v7-taxii") { db in
            try MigrationV7.run(db, now: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
        }
        migrator.registerMigration("v8-federation") { db in
            try MigrationV8.run(db)
        }
        migrator.registerMigration("v9-directional-trust") { db in
            try MigrationV9.run(db)
        }
        migrator.registerMigration("v10-member-created-by") { db in
            try MigrationV10.run(db)
        }
        migrator.registerMigration("v11-taxii-versions-per-organisation") { db in
            try MigrationV11.run(db, context: context)
        }
        migrator.registerMigration("v12-console-sessions") { db in
            try MigrationV12.run(db)
        }
        migrator.registerMigration("v13-audit-witnesses") { db in
            try db.execute(sql: AuditWitnessSchema.sqlite)
        }
        migrator.registerMigration("v14-default-api-root") { db in
            try db.execute(sql: DefaultApiRootSchema.sqlite)
        }
        migrator.registerMigration("v15-private-discovery") { db in
            try db.execute(sql: DiscoverySchema.sqlite)
        }
        return migrator
    }
}

enum Schema {
    static let v1 = """
    CREATE TABLE organization (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('state', 'agency', 'international')),
        publicKey BLOB NOT NULL,
        sealedPrivateKey BLOB NOT NULL,
        createdAt INTEGER NOT NULL
    );
    CREATE TABLE nodeCredential (
        tokenHash BLOB PRIMARY KEY,
        createdAt INTEGER NOT NULL
    );
    CREATE TABLE member (
        id TEXT PRIMARY KEY,
        organizationId TEXT NOT NULL REFERENCES organization(id),
        name TEXT NOT NULL,
        roles TEXT NOT NULL,
        clearance INTEGER NOT NULL,
        compartments TEXT NOT NULL,
        topics TEXT NOT NULL,
        tokenHash BLOB NOT NULL UNIQUE,
        status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
        throttled INTEGER NOT NULL DEFAULT 0,
        secondedTo TEXT REFERENCES organization(id),
        createdAt INTEGER NOT NULL
    );
    CREATE INDEX member_organization ON member(organizationId);
    CREATE TABLE partnership (
        id TEXT PRIMARY KEY,
        first TEXT NOT NULL REFERENCES organization(id),
        second TEXT NOT NULL REFERENCES organization(id),
        kind TEXT NOT NULL CHECK (kind IN ('peer', 'hierarchical')),
        dominant TEXT REFERENCES organization(id),
        trust INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
        createdAt INTEGER NOT NULL,
        updatedAt INTEGER NOT NULL,
        UNIQUE (first, second),
        CHECK (first < second)
    );
    CREATE TABLE report (
        id TEXT PRIMARY KEY,
        originator TEXT NOT NULL REFERENCES organization(id),
        title TEXT NOT NULL,
        titleMarking TEXT NOT NULL,
        sourceGrade TEXT NOT NULL,
        topics TEXT NOT NULL,
        createdBy TEXT NOT NULL REFERENCES member(id),
        createdAt INTEGER NOT NULL,
        signature BLOB NOT NULL
    );
    CREATE INDEX report_originator ON report(originator, createdAt, id);
    CREATE TABLE portion (
        reportId TEXT NOT NULL REFERENCES report(id),
        idx INTEGER NOT NULL,
        marking TEXT NOT NULL,
        sourcesAndMethods INTEGER NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (reportId, idx)
    ) WITHOUT ROWID;
    CREATE TABLE entityMention (
        reportId TEXT NOT NULL REFERENCES report(id),
        portionIdx INTEGER NOT NULL,
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (reportId, portionIdx, type, value)
    ) WITHOUT ROWID;
    CREATE TABLE release (
        id TEXT PRIMARY KEY,
        reportId TEXT NOT NULL REFERENCES report(id),
        originator TEXT NOT NULL REFERENCES organization(id),
        recipient TEXT NOT NULL REFERENCES organization(id),
        portions TEXT NOT NULL,
        banner TEXT NOT NULL,
        orconApproved INTEGER NOT NULL,
        createdBy TEXT NOT NULL,
        createdAt INTEGER NOT NULL,
        signature BLOB NOT NULL,
        revokedAt INTEGER,
        revokedBy TEXT,
        consentRequestId TEXT
    );
    CREATE INDEX release_recipient ON release(recipient, createdAt, id);
    CREATE INDEX release_report ON release(reportId);
    CREATE TABLE needToKnowGrant (
        memberId TEXT NOT NULL REFERENCES member(id),
        reportId TEXT NOT NULL REFERENCES report(id),
        grantedBy TEXT NOT NULL,
        createdAt INTEGER NOT NULL,
        PRIMARY KEY (memberId, reportId)
    ) WITHOUT ROWID;
    CREATE TABLE consentRequest (
        id TEXT PRIMARY KEY,
        releaseId TEXT NOT NULL REFERENCES release(id),
        reportId TEXT NOT NULL REFERENCES report(id),
        originator TEXT NOT NULL,
        holder TEXT NOT NULL,
        target TEXT NOT NULL,
        requestedBy TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'granted', 'denied')),
        createdAt INTEGER NOT NULL,
        decidedBy TEXT,
        decidedAt INTEGER,
        resultingReleaseId TEXT
    );
    CREATE INDEX consent_originator ON consentRequest(originator);
    CREATE INDEX consent_holder ON consentRequest(holder);
    CREATE TABLE auditEvent (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT,
        organization TEXT,
        concerns TEXT,
        action TEXT NOT NULL,
        object TEXT,
        decision TEXT NOT NULL,
        reasons TEXT NOT NULL,
        detail TEXT
    );
    CREATE INDEX audit_organization ON auditEvent(organization, seq);
    CREATE INDEX audit_concerns ON auditEvent(concerns, seq);
    """
}
