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

/// The store's process-local state: caches and the entity index. A single process keeps them in
/// its own memory (``local()``); a node of several processes substitutes versions that follow the
/// others' writes.
public struct StoreProcessState: Sendable {
    public var reports: any ReportCaching
    public var releases: any ReleaseContentCaching
    public var entities: any EntityIndexHolding

    public init(reports: any ReportCaching, releases: any ReleaseContentCaching, entities: any EntityIndexHolding) {
        self.reports = reports
        self.releases = releases
        self.entities = entities
    }

    /// This process's own, in memory.
    public static func local() -> StoreProcessState {
        StoreProcessState(reports: ReportCache(), releases: ReleaseContentCache(), entities: EntityIndexBox())
    }
}
