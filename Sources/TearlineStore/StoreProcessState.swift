import Foundation
import TearlineCore

/// A cache of stored reports by id. Reports never change once written; a destroyed received
/// copy is removed and must never come back.
public protocol ReportCaching: Sendable {
    func get(_ id: String) -> StoredReport?
    func put(_ report: StoredReport)
    func remove(_ id: String)
}

/// A cache of releases' own copies of the text, by release id; a revoked copy is removed for good.
public protocol ReleaseContentCaching: Sendable {
    func get(_ id: String) -> ReleaseContent?
    func put(_ id: String, _ content: ReleaseContent)
    func remove(_ id: String)
}

/// The committed entity index and the way committed changes reach it.
public protocol EntityIndexHolding: Sendable {
    /// Runs `body` with the index as committed (shared; do not hold it long).
    func read<T>(_ body: (EntityIndex) throws -> T) rethrows -> T
    func update(_ body: (inout EntityIndex) -> Void)
    /// Applies the index changes of one committed transaction, in commit order.
    func apply(_ changes: [EntityIndexChange])
}

/// The audit log of one store's database, as ``AuditBatching`` writes to it.
public protocol AuditLogAppending: Sendable {
    /// Appends `records`, in order, to the hash chain in one transaction, with the checkpoints they
    /// reach signed. `signHead` is asked last, inside the transaction: when it answers false the
    /// head is left unsigned for the next batch, whose signed head then covers both.
    /// A network backend waits for its transaction here, never blocking the caller's thread.
    func append(_ records: [AuditRecord], signHead: @escaping @Sendable () -> Bool) async throws
}

/// How the audit records of read requests reach the log. A read transaction only collects its
/// records; the store hands them here after it and answers only once this returns (audit before
/// answer). One instance serves one store.
public protocol AuditBatching: Sendable {
    /// Returns once `records` are committed through `log`; throws when they could not be.
    func append(_ records: [AuditRecord], to log: any AuditLogAppending) async throws
}

/// The store's process-local state: caches, the entity index and the group commit of read
/// requests' audit records. A single process keeps them in its own memory (``local()``); a node of
/// several processes substitutes versions that follow the others' writes.
///
/// The audit chain's head is not here: each transaction that appends reads it from the database
/// (see `AuditWriter`), so no process holds a copy of it.
public struct StoreProcessState: Sendable {
    public var reports: any ReportCaching
    public var releases: any ReleaseContentCaching
    public var entities: any EntityIndexHolding
    public var audit: any AuditBatching

    public init(
        reports: any ReportCaching, releases: any ReleaseContentCaching, entities: any EntityIndexHolding,
        audit: any AuditBatching = AuditBatcher()
    ) {
        self.reports = reports
        self.releases = releases
        self.entities = entities
        self.audit = audit
    }

    /// This process's own, in memory.
    public static func local() -> StoreProcessState {
        StoreProcessState(reports: ReportCache(), releases: ReleaseContentCache(), entities: EntityIndexBox(), audit: AuditBatcher())
    }
}
