import Foundation
import TearlineCore
@testable import TearlineStore
import Testing

/// The store's caches and entity index are the ones it is given: a node of several processes
/// substitutes shared versions without touching the store.
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
}
