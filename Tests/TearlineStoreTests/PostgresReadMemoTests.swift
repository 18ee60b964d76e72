import Foundation
import TearlineCore
@testable import TearlineStore
import Testing

/// What a PostgreSQL instance remembers between writes (members, grants, partnerships, releases)
/// is never served after a write on any instance: the memo follows the change log, which every
/// write now moves.
@Suite struct PostgresReadMemoTests {
    static let url = TestBackend.postgresURL

    @Test(.enabled(if: url != nil)) func aMemberSuspendedOnOneIsSuspendedOnTheOtherThoughTheOtherRememberedIt() async throws {
        try await withTwoInstances { a, b in
            try await a.seedWorld()
            let hash = Fixture.tokenHash("token-m-usa")
            #expect(try await b.read { s in try s.member(tokenHash: hash)?.status } == .active)
            #expect(try await b.read { s in try s.member(tokenHash: hash)?.status } == .active)
            #expect(b.follower.memo.count > 0, "B remembers the member it resolved")
            var suspended = try #require(try await a.read { s in try s.member(id: "m-usa") })
            suspended.status = .suspended
            let change = suspended
            try await a.write { s in try s.updateMember(change) }
            #expect(try await b.read { s in try s.member(tokenHash: hash)?.status } == .suspended,
                    "B's next request sees the suspension A committed")
        }
    }

    @Test(.enabled(if: url != nil)) func aGrantGivenOnOneHoldsOnTheOtherThoughTheOtherRememberedItsAbsence() async throws {
        try await withTwoInstances { a, b in
            try await a.seedWorld()
            try await a.write { s in try s.insertReport(Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1)) }
            #expect(try await b.read { s in try s.hasGrant(member: "m-usa", report: "r-1") } == false)
            #expect(try await b.read { s in try s.hasGrant(member: "m-usa", report: "r-1") } == false)
            try await a.write { s in try s.insertGrant(member: "m-usa", report: "r-1", grantedBy: "m-usa", createdAt: 2) }
            #expect(try await b.read { s in try s.hasGrant(member: "m-usa", report: "r-1") } == true)
        }
    }

    @Test(.enabled(if: url != nil)) func anUnknownTokenIsNotRemembered() async throws {
        try await withTwoInstances { a, _ in
            try await a.seedWorld()
            for guess in 0..<20 {
                #expect(try await a.read { s in try s.member(tokenHash: Fixture.tokenHash("guess-\(guess)")) } == nil)
                #expect(try await a.read { s in try s.nodeCredentialExists(tokenHash: Fixture.tokenHash("guess-\(guess)")) } == false)
            }
            #expect(a.follower.memo.count == 0, "guessed tokens leave nothing behind")
        }
    }

    @Test(.enabled(if: url != nil)) func aWriteOnTheSameInstanceEmptiesItsMemo() async throws {
        try await withTwoInstances { a, _ in
            try await a.seedWorld()
            let hash = Fixture.tokenHash("token-m-gbr")
            #expect(try await a.read { s in try s.member(tokenHash: hash)?.throttled } == false)
            var throttled = try #require(try await a.read { s in try s.member(id: "m-gbr") })
            throttled.throttled = true
            let change = throttled
            try await a.write { s in try s.updateMember(change) }
            #expect(try await a.read { s in try s.member(tokenHash: hash)?.throttled } == true)
        }
    }

    @Test(.enabled(if: url != nil)) func concurrentAdmissionsFromTwoInstancesAdmitExactlyTheLimit() async throws {
        try await withTwoInstances { a, b in
            let stores = [a, b]
            let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<40 {
                    let store = stores[i % 2]
                    group.addTask {
                        try await store.read { _ in
                            try store.windows.admit(member: i.isMultiple(of: 3) ? "m-2" : "m-1", kind: "distinct-reads", key: "doc-\(i)",
                                                    amount: 1, limit: 7, window: 60_000, now: 1_000)
                        }
                    }
                }
                var count = 0
                for try await answer in group where answer { count += 1 }
                return count
            }
            #expect(admitted == 14, "seven distinct reads for each member, however the admissions were batched")
        }
    }
}

/// A database made by the first PostgreSQL release (schema version 1) is brought up to date by
/// the first instance that opens it.
@Suite struct PostgresSchemaUpgradeTests {
    @Test(.enabled(if: TestBackend.postgresURL != nil)) func aVersionOneSchemaIsUpgraded() async throws {
        try await PostgresScratchSchema.with(at: try #require(TestBackend.postgresURL)) { url in
            let first = try await PostgresStore(url: url, masterKey: testMasterKey, connections: 2)
            try await first.database.transaction(readOnly: false) { link in
                try link.execute("UPDATE tearlineSchema SET version = 1")
                // why: version 1 had no console sessions; the upgrade to 3 creates them.
                try link.execute("DROP TABLE consoleSession")
                // why: nor witnessed audit heads; the upgrade to 4 creates them.
                try link.execute("DROP TABLE auditWitness")
                // why: nor a default API root; the upgrade to 5 adds the column.
                try link.execute("ALTER TABLE taxiiApiRoot DROP COLUMN isDefault")
                // why: nor private discovery; the upgrade to 6 creates its tables.
                for table in ["discoveryAccessLink", "discoveryRemoteEntry", "discoveryRemoteSet", "discoveryEntry", "discoveryKey"] {
                    try link.execute("DROP TABLE \(table)")
                }
                try link.execute("CREATE OR REPLACE FUNCTION tearline_admit(p_member text, p_kind text, p_key text, p_amount BIGINT, p_limit BIGINT, p_now BIGINT, p_window BIGINT) RETURNS BOOLEAN LANGUAGE sql AS 'SELECT false'")
            }
            first.shutdown()
            let second = try await PostgresStore(url: url, masterKey: testMasterKey, connections: 2)
            defer { second.shutdown() }
            let version = try await second.database.transaction(readOnly: true) { link in
                try link.row("SELECT version FROM tearlineSchema").map { try $0.int("version") }
            }
            #expect(version == PostgresSchema.current)
            let sessions = try await second.database.transaction(readOnly: true) { link in
                try link.row("SELECT to_regclass('consolesession') IS NOT NULL AS present").map { try $0.bool("present") }
            }
            #expect(sessions == true, "the upgrade created the console session table")
            let defaultColumn = try await second.database.transaction(readOnly: true) { link in
                try link.row("SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'taxiiapiroot' AND column_name = 'isdefault'")
                    .map { try $0.int("n") }
            }
            #expect(defaultColumn == 1, "the upgrade added taxiiApiRoot.isDefault")
            let witnesses = try await second.database.transaction(readOnly: true) { link in
                try link.row("SELECT to_regclass('auditwitness') IS NOT NULL AS present").map { try $0.bool("present") }
            }
            #expect(witnesses == true, "the upgrade created the witnessed heads table")
            let discovery = try await second.database.transaction(readOnly: true) { link in
                try link.row("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'discovery%'")
                    .map { try $0.int("n") }
            }
            #expect(discovery == 5, "the upgrade created the private discovery tables")
            #expect(try await second.read { _ in
                try second.windows.admit(member: "m-1", kind: "distinct-reads", key: "doc-1", amount: 1, limit: 5, window: 60_000, now: 1)
            }, "the admission function is the current one again")
        }
    }
}
