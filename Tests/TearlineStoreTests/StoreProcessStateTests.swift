import Foundation
import TearlineCore
@testable import TearlineStore
import Testing

/// The store's caches, entity index and group commit of read requests' audit records are the ones
/// it is given: a node of several processes substitutes shared versions without touching the store.
@Suite struct StoreProcessStateTests {
    /// A report cache that records what passes through it.
    final class RecordingCache: ReportCaching, @unchecked Sendable {
        let inner = ReportCache()
        private let lock = NSLock()
        private(set) var puts: [String] = []
        func get(_ id: String) -> StoredReport? { inner.get(id) }
        func put(_ report: StoredReport) {
            lock.withLock { puts.append(report.report.id) }
            inner.put(report)
        }
        func remove(_ id: String) { inner.remove(id) }
    }

    @Test func theStoreUsesTheCacheItIsGiven() async throws {
        let cache = RecordingCache()
        let state = StoreProcessState(reports: cache, releases: ReleaseContentCache(), entities: EntityIndexBox())
        let store = try SQLiteStore(.memory, masterKey: testMasterKey, state: state)
        try await store.seedWorld()
        let report = Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1)
        try await store.write { s in try s.insertReport(report) }
        let read = try await store.read { s in try s.report(id: "r-1") }
        #expect(read == report)
        #expect(cache.puts == ["r-1"], "the read went through the injected cache")
        #expect(try await store.read { s in try s.report(id: "r-1") } == report)
        #expect(cache.puts == ["r-1"], "and the second read was served from it")
    }

    /// Commits each read's audit records in a transaction of their own, signing the head every
    /// time, and records what passed through it; or refuses every batch with `refusal`.
    final class OneByOneAudit: AuditBatching, @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [[String?]] = []
        let refusal: (any Error)?
        init(refusal: (any Error)? = nil) { self.refusal = refusal }
        var batches: [[String?]] { lock.withLock { seen } }
        func append(_ records: [AuditRecord], to log: any AuditLogAppending) async throws {
            lock.withLock { seen.append(records.map(\.object)) }
            if let refusal { throw refusal }
            try await log.append(records, signHead: { true })
        }
    }

    static func state(audit: any AuditBatching) -> StoreProcessState {
        StoreProcessState(reports: ReportCache(), releases: ReleaseContentCache(), entities: EntityIndexBox(), audit: audit)
    }

    @Test func theStoreCommitsReadAuditThroughTheBatchingItIsGiven() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("tearline.db").path
            let audit = OneByOneAudit()
            let store = try SQLiteStore(.file(path), masterKey: testMasterKey, state: Self.state(audit: audit))
            for i in 0..<3 {
                try await store.read { s in try s.appendAudit(Fixture.audit(at: Int64(i), object: "read-\(i)")) }
            }
            try await store.write { s in try s.appendAudit(Fixture.audit(at: 3, object: "write")) }
            #expect(audit.batches == [["read-0"], ["read-1"], ["read-2"]],
                    "each read's record went through the injected batching; the write's did not")
            let logged = try await store.read { s in try s.auditEvents(AuditQuery(limit: 10)) }
            #expect(logged.map(\.object) == ["read-0", "read-1", "read-2", "write"])
            #expect(logged.map(\.seq) == [1, 2, 3, 4])
            #expect(audit.batches.count == 3, "a read that audits nothing is not handed to it")
            let verified = try AuditVerifier.verify(databaseAt: path, publicKey: store.auditPublicKey)
            #expect(verified.isIntact && verified.entries == 4 && verified.head?.seq == 4)
        }
    }

    @Test func aReadWhoseAuditTheBatchingRefusesFails() async throws {
        let audit = OneByOneAudit(refusal: Boom())
        let store = try SQLiteStore(.memory, masterKey: testMasterKey, state: Self.state(audit: audit))
        await #expect(throws: Boom.self) {
            try await store.read { s in try s.appendAudit(Fixture.audit(at: 1, object: "refused")) }
        }
        #expect(audit.batches == [["refused"]])
        #expect(try await store.read { s in try s.auditEvents(AuditQuery(limit: 10)) }.isEmpty,
                "audit before answer: nothing was logged and the read did not answer")
    }
}
