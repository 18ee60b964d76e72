import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import TearlineServer
@testable import TearlineStore
import Testing

/// A full disk is the storage's fault, not the client's and not a bug: writes and audited reads
/// answer 503 `storage-full` with Retry-After, nothing partial is written, readiness says not
/// ready while it lasts, and all comes back once there is room again.
///
/// The disk is filled by capping the database's size (`PRAGMA max_page_count`): SQLite then fails
/// writes with `SQLITE_FULL`, exactly as it does when the file system has no room left.
@Suite struct StorageFaultTests {
    @Test func aFullDiskAnswers503StorageFullAndReadinessShowsIt() async throws {
        try await withWorld(.sqliteFile) { w in
            let store = try #require(w.service.store as? SQLiteStore)
            let reportId = try await w.createReport(BadInputTests.validReport)
            #expect(try await w.get("/readyz", as: nil).code == 200)

            try await store.writer.writeWithoutTransaction { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                try db.execute(sql: "PRAGMA max_page_count = \(pages)")
            }
            var refused: Reply?
            var created = 0
            for index in 0..<400 where refused == nil {
                let body = reportBody(portions: [portion("(U)", "Filler \(index) " + String(repeating: "x", count: 4_000))])
                let reply = try await w.post("/v1/reports", as: "usa-releaser", json: body)
                if reply.code == 201 { created += 1 } else { refused = reply }
            }
            let full = try #require(refused, "capping the database never refused a write")
            BadInputTests.expectProblem(full, 503, "storage-full")
            #expect(full.headers[.retryAfter] == "30")
            #expect(full.string("detail")?.contains("SQLITE") == false, "no database text: \(full)")

            let ready = try await w.get("/readyz", as: nil)
            #expect(ready.code == 503, "\(ready)")
            #expect(ready.headers[.retryAfter] != nil)
            #expect((ready.object["checks"] as? [String: String])?["storage"] == "storage-full", "\(ready)")
            let health = try await w.get("/healthz", as: nil)
            #expect(health.code == 200, "liveness stays up: \(health)")
            #expect(health.string("storage") == "storage-full")

            // An audited read must not answer when its audit record cannot be written.
            var readRefused = false
            for _ in 0..<100 where !readRefused {
                let read = try await w.get("/v1/reports/\(reportId)", as: "usa-senior")
                if read.code == 503 {
                    BadInputTests.expectProblem(read, 503, "storage-full")
                    readRefused = true
                } else {
                    #expect(read.code == 200, "a read on a full disk is answered 200 or 503, never \(read.code)")
                }
            }
            #expect(readRefused, "a hundred audited reads on a full disk all answered")

            // Room again: the next write commits and readiness returns.
            try await store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
            let reports = try await w.get("/v1/reports?limit=200", as: "usa-senior")
            #expect(reports.objects("items").count == created + 1, "the refused write left nothing behind")
            _ = try await w.createReport(BadInputTests.validReport)
            #expect(try await w.get("/readyz", as: nil).code == 200)
            #expect(try await w.get("/healthz", as: nil).string("storage") == "ok")
        }
    }

    @Test(arguments: TestBackend.allCases) func readinessAnswersWhenTheStoreIsCurrent(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let ready = try await w.get("/readyz", as: nil)
            #expect(ready.code == 200, "\(ready)")
            #expect(ready.string("status") == "ready")
            let checks = ready.object["checks"] as? [String: String]
            #expect(checks == ["store": "ok", "migrations": "current", "storage": "ok", "lifecycle": "serving"])
            #expect(await w.service.store.readiness().isReady)
        }
    }

    @Test func readinessIsRefusedWhileTheNodeDrains() async throws {
        try await TestBackend.sqliteMemory.withService(in: FileManager.default.temporaryDirectory, limits: .standard, passwordChecks: .shared) { service, _ in
            let draining = ShutdownSignal()
            let app = Application(router: buildRouter(service: service, draining: draining))
            try await app.test(.router) { client in
                #expect(try await client.execute(uri: "/readyz", method: .get) { $0.status } == .ok)
                draining.beginDraining()
                let (status, body) = try await client.execute(uri: "/readyz", method: .get) { ($0.status, String(buffer: $0.body)) }
                #expect(status == .serviceUnavailable)
                #expect(body.contains("\"lifecycle\":\"draining\""), "\(body)")
                #expect(try await client.execute(uri: "/healthz", method: .get) { $0.status } == .ok, "liveness stays up while draining")
            }
        }
    }

    @Test func aReadOnlyDatabaseIsNamedInOneSentence() {
        let error = DatabaseError(resultCode: .SQLITE_READONLY, message: "attempt to write a readonly database")
        let sentence = StoreOpenFailure.sentence(for: error, store: "/srv/t.db")
        #expect(sentence.hasPrefix("cannot open /srv/t.db: the database, or the directory that holds it, is read-only"))
        #expect(!sentence.contains("\n"))
        #expect(!sentence.contains("SQLite error"), "the database's own message is not passed on")
        #expect(StoreOpenFailure.storageFault(DatabaseError(resultCode: .SQLITE_FULL)) == .full)
    }
}
