import Foundation
import GRDB
import TearlineCore
import TearlineStore
import Testing

@Suite struct ReportCacheTests {
    /// Changes a stored report's title and first portion behind the store's back.
    static func tamper(_ path: String, report id: String) throws {
        try withRawDatabase(path) { db in
            // Text is sealed; the topics and the portion markings are the plain columns a hand edit can change.
            try db.execute(sql: "UPDATE report SET topics = 'changed-underneath' WHERE id = ?", arguments: [id])
            try db.execute(sql: "UPDATE portion SET marking = 'TOP SECRET' WHERE reportId = ?", arguments: [id])
            #expect(db.changesCount == 1)
        }
    }

    @Test func aReportReadBackIsServedFromTheCache() async throws {
        try await withSQLiteFile { store, path in
            try await store.seedWorld()
            let original = Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1)
            try await store.write { s in try s.insertReport(original) }
            #expect(try await store.read { s in try s.report(id: "r-1") } == original)

            try Self.tamper(path, report: "r-1")
            let raw = try withRawDatabase(path) { db in try String.fetchOne(db, sql: "SELECT topics FROM report WHERE id = 'r-1'") }
            #expect(raw == "changed-underneath", "the rows really did change")

            #expect(try await store.read { s in try s.report(id: "r-1") } == original)
            #expect(try await store.write { s in try s.report(id: "r-1") } == original, "write sessions share the cache")
        }
    }

    @Test func aReportNeverReadIsLoadedFromTheDatabase() async throws {
        // The control for the test above: without an earlier read, the changed rows show.
        try await withSQLiteFile { store, path in
            try await store.seedWorld()
            try await store.write { s in try s.insertReport(Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1)) }
            try Self.tamper(path, report: "r-1")
            let back = try await store.read { s in try s.report(id: "r-1") }
            #expect(back?.report.topics == ["changed-underneath"])
            #expect(back?.report.portions.first?.marking.classification == .topSecret)
        }
    }

    @Test(arguments: TestBackend.allCases) func aReportInsertedInAFailedWriteIsNeitherStoredNorCached(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            let doomed = Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1, title: "Rolled back")
            await #expect(throws: Boom.self) {
                try await store.write { s in
                    try s.insertReport(doomed)
                    // Reading it back inside the transaction sees it, but must not cache it.
                    guard try s.report(id: "r-1") == doomed else { throw StoreError.corruptRow("not visible in its own transaction") }
                    throw Boom()
                }
            }
            #expect(try await store.read { s in try s.report(id: "r-1") } == nil)
            #expect(try await store.write { s in try s.report(id: "r-1") } == nil)

            // The same id, now committed with other content, must read as the committed version.
            let committed = Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 2, title: "Committed")
            try await store.write { s in try s.insertReport(committed) }
            #expect(try await store.read { s in try s.report(id: "r-1") } == committed)
        }
    }

    @Test func aReportReadInTheWriteThatInsertedItIsNotCachedEvenWhenItCommits() async throws {
        // why: the session cannot know at read time whether its transaction will commit, so it
        // must not cache; after the commit a later read loads (and caches) the committed rows.
        try await withSQLiteFile { store, path in
            try await store.seedWorld()
            let original = Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1)
            let inside = try await store.write { s in
                try s.insertReport(original)
                return try s.report(id: "r-1")
            }
            #expect(inside == original)
            try Self.tamper(path, report: "r-1")
            #expect(try await store.read { s in try s.report(id: "r-1") }?.report.topics == ["changed-underneath"])
        }
    }
}
