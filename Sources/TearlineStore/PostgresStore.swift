import Crypto
import Foundation
import Logging
import TearlineCore

/// The store of a node that runs several Tearline processes on one PostgreSQL database.
///
/// The same guarantees as ``SQLiteStore``: text sealed at rest under the master key, one
/// hash-chained, signed, append-only audit log, and the entity index in memory. What differs:
/// - Transaction bodies run on a ``BlockingTransactionPool`` thread, one pooled connection each.
/// - Writes are serialised node-wide by a transaction-scoped advisory lock, as SQLite serialises
///   them in a file: the audit chain has one head, and a check-then-write in a body holds
///   whichever instance runs it. Reads run side by side on every instance, each in a
///   repeatable-read snapshot.
/// - Every transaction starts by applying the change log (see ``PostgresChangeFollower``), so no
///   instance serves from an index or cache older than the last commit it can see.
public final class PostgresStore: TearlineStore {
    let database: PostgresDatabase
    let context: StoreContext
    let follower: PostgresChangeFollower
    let auditBatching: any AuditBatching
    let auditLog: PostgresAuditLog
    let clock: @Sendable () -> Int64
    let windows: PostgresSharedWindows
    let leadership: PostgresLeadership
    let changeCheck: ChangeLogCheck
    let url: PostgresURL

    /// Connects to `url`, creates the schema when the database has none, and loads the index.
    public init(url: PostgresURL, masterKey: MasterKey, state: StoreProcessState = .local(), connections: Int = 8,
                logger: Logger = Logger(label: "tearline.postgres")) async throws {
        let database = PostgresDatabase(url: url, connections: connections, logger: logger)
        self.database = database
        let context = StoreContext(masterKey: masterKey, state: state)
        self.context = context
        let follower = PostgresChangeFollower(context: context)
        self.follower = follower
        auditBatching = state.audit
        auditLog = PostgresAuditLog(database: database, context: context)
        clock = { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
        self.url = url
        windows = PostgresSharedWindows(url: url, logger: logger)
        leadership = PostgresLeadership(url: url, logger: logger)
        changeCheck = ChangeLogCheck { [database, follower] in
            try await database.transaction(readOnly: true, deferred: true) { link in try follower.catchUp(link.autocommit) }
        }
        do {
            try await database.migrate()
            let key = context.auditKey.publicKey.rawRepresentation
            try await database.transaction(readOnly: false, acquireTimeout: PostgresDatabase.startTimeout) { link in
                try link.execute("INSERT INTO nodeKey (id, auditPublicKey) VALUES (1, ?) ON CONFLICT DO NOTHING", [.bytes(key)])
                guard try link.row("SELECT auditPublicKey FROM nodeKey WHERE id = 1").map({ try $0.data("auditPublicKey") }) == key else {
                    throw PostgresKeyMismatch()
                }
            }
            try await database.transaction(readOnly: true, acquireTimeout: PostgresDatabase.startTimeout) { link in try follower.load(link) }
        } catch {
            database.shutdown()
            throw StoreError.translatingPostgres(error)
        }
    }

    /// Closes the connections; later transactions throw ``StoreError/closed``.
    public func shutdown() {
        database.shutdown()
        windows.shutdown()
        leadership.shutdown()
    }

    deinit {
        windows.shutdown()
        leadership.shutdown()
    }

    /// After a key is destroyed, its old row version stays in the table's file until vacuum frees
    /// it: vacuum now, in the background, rather than when autovacuum gets to it. What PostgreSQL
    /// still keeps after that (WAL, backups, replicas, unwritten free space) is in the README.
    private func vacuumDestroyedKeys() {
        let windows = windows, pool = database.pool, logger = database.logger
        Task.detached {
            do {
                try await pool.run { try windows.vacuum(["release", "report", "portion", "mention", "notification"]) }
            } catch {
                logger.warning("vacuum after a key destruction failed; autovacuum will free the old row versions later")
            }
        }
    }

    /// Whether this instance leads `task` for the node: the one that holds its advisory lock.
    public func leads(_ task: NodeTask) async -> Bool { await leadership.leads(task) }

    /// The members' throttle windows, shared by every instance on this database.
    public var sharedWindows: (any SharedWindowCounting)? { windows }

    /// The public key that verifies this node's audit checkpoints.
    public var auditPublicKey: Curve25519.Signing.PublicKey { context.auditKey.publicKey }

    public func verifyAuditChain() async throws -> AuditVerification? {
        try await AuditVerifier.verify(postgres: url, publicKey: auditPublicKey)
    }

    public func readiness() async -> StoreReadiness {
        let version = try? await database.transaction(readOnly: true, acquireTimeout: .seconds(2)) { link in
            try link.row("SELECT version FROM tearlineSchema").map { try $0.int("version") }
        }
        return StoreReadiness(answers: version != nil, migrationsCurrent: version.flatMap { $0 } == PostgresSchema.version,
                              fault: context.health.fault)
    }

    public var storageHealth: StorageHealth { context.health }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) throws -> T) async throws -> T {
        let context = context, follower = follower
        let (value, audit) = try await context.health.watchingAsync(writes: false) { try await StoreError.translatingPostgres {
            // why a shared check, outside the transaction: when the log has not moved and the memo
            // answers every repository call, the request sends no statement of its own.
            let position = try await changeCheck.position()
            return try await database.transaction(readOnly: true, deferred: true) { link in
                let use = PostgresMemoUse(memo: follower.memo, generation: position)
                link.deferred?.opened = { begun in use.generation = try follower.catchUp(begun) }
                let session = PostgresSession(link: link, context: context, readOnly: true, memoUse: use)
                let value = try body(session)
                return (value, session.state.pendingAudit)
            }
        } }
        if !audit.isEmpty {
            try await context.health.watchingAsync(writes: true) { try await StoreError.translatingPostgres { try await auditBatching.append(audit, to: auditLog) } }
        }
        return value
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) throws -> T) async throws -> T {
        let context = context, follower = follower, clock = clock
        let (value, changes, seqs, destroyed, audit, alerts) = try await context.health.watchingAsync(writes: true) { try await StoreError.translatingPostgres {
            try await database.transaction(readOnly: false) { link in
                try follower.catchUp(link)
                let session = PostgresSession(link: link, context: context, readOnly: false)
                let value = try body(session)
                try PostgresAuditWriter.finish(link: link, state: session.state, key: context.auditKey)
                let changes = session.state.indexChanges
                let seqs = try follower.record(changes, link: link, at: clock())
                return (value, changes, seqs, !session.state.destroyedReleases.isEmpty, session.state.appendedAudit, session.state.insertedAlertKinds)
            }
        } }
        // why after the commit: only committed changes reach the index, in log order.
        follower.applyCommitted(changes, seqs: seqs)
        StoreMetrics.committed(audit: audit, alertKinds: alerts)
        if destroyed { vacuumDestroyedKeys() }
        return value
    }
}

/// The master key given is not the one the database's node was created with.
public struct PostgresKeyMismatch: Error, CustomStringConvertible {
    public var description: String {
        "the master key file does not match this database's node key: every instance must load the key file the node was created with"
    }
}
