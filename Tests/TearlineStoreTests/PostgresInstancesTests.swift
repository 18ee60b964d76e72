import Foundation
import TearlineCore
@testable import TearlineStore
import Testing

/// Two stores on one PostgreSQL schema are two instances of one node: what one writes, the other
/// acts on from its very next transaction; one audit chain; one set of throttle windows.
@Suite struct PostgresInstancesTests {
    static let url = TestBackend.postgresURL


    @Test(.enabled(if: url != nil)) func aReportWrittenOnOneIsIndexedOnTheOtherAtItsNextTransaction() async throws {
        try await withTwoInstances { a, b in
            try await a.seedWorld()
            #expect(try await b.read { s in s.withEntityIndex { $0.contains(report: "r-1") } } == false)
            var stored = Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1)
            stored.report.entities = [EntityMention(type: "phone", value: "+44 20 7946 0958", portion: 0)]
            let report = stored
            try await a.write { s in try s.insertReport(report, discoverability: .partners(["GBR"])) }
            let seen = try await b.read { s in
                (s.withEntityIndex { $0.contains(report: "r-1") }, s.withEntityIndex { $0.discoverability(ofReport: "r-1") },
                 try s.report(id: "r-1")?.report.portions.first?.text)
            }
            #expect(seen.0, "B's index holds the report A wrote, without a timer")
            #expect(seen.1 == .partners(["GBR"]))
            #expect(seen.2 == "Text of r-1.")
            try await a.write { s in try s.setDiscoverability(.none, report: "r-1") }
            #expect(try await b.read { s in s.withEntityIndex { $0.discoverability(ofReport: "r-1") } } == Discoverability.none,
                    "a withdrawn discoverability holds on B from its next transaction")
        }
    }

    @Test(.enabled(if: url != nil)) func aRevocationOnOneHoldsOnTheOtherAtOnce() async throws {
        try await withTwoInstances { a, b in
            try await a.seedWorld()
            try await a.write { s in try s.insertReport(Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1)) }
            let release = Fixture.release("rel-1", report: "r-1", originator: "USA", recipient: "GBR", createdAt: 2)
            let content = ReleaseContent(title: "Courier network", portions: [0: "Text of r-1."], entities: [])
            try await a.write { s in try s.insertRelease(release, content: content) }
            // B reads the release, so B's cache holds the copy.
            #expect(try await b.read { s in try s.releaseContent(id: "rel-1") } == content)
            var revoked = release
            revoked.revokedAt = 3
            revoked.revokedBy = "m-usa"
            let revocation = revoked
            try await a.write { s in try s.updateRelease(revocation) }
            #expect(try await b.read { s in try s.releaseContent(id: "rel-1") } == nil, "B's cached copy is gone at its next read")
            #expect(try await b.read { s in try s.release(id: "rel-1")?.isRevoked } == true)
        }
    }

    @Test(.enabled(if: url != nil)) func writesFromBothInstancesMakeOneChainThatVerifies() async throws {
        try await withTwoInstances { a, b in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<60 {
                    let store = i.isMultiple(of: 2) ? a : b
                    group.addTask {
                        if i.isMultiple(of: 3) {
                            try await store.read { s in try s.appendAudit(Fixture.audit(at: Int64(i), action: "read")) }
                        } else {
                            try await store.write { s in try s.appendAudit(Fixture.audit(at: Int64(i), action: "write")) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let seqs = try await a.read { s in try s.auditEvents(AuditQuery(limit: 1000)).compactMap(\.seq) }
            #expect(seqs == Array(1...60), "one chain, no fork, no gap")
            let result = try await AuditVerifier.verify(postgres: a.database.url, masterKey: testMasterKey)
            #expect(result.isIntact, "\(result.problem ?? "")")
            #expect(result.entries == 60)
        }
    }

    @Test(.enabled(if: url != nil)) func throttleWindowsCountAcrossInstances() async throws {
        try await withTwoInstances { a, b in
            // why in a read body: the counters are used from transaction bodies, on the store's threads.
            func admit(_ store: PostgresStore, _ member: String, _ kind: String, _ key: String?, _ amount: Int, limit: Int, at now: Int64) async throws -> Bool {
                try await store.read { _ in try store.windows.admit(member: member, kind: kind, key: key, amount: amount, limit: limit, window: 60_000, now: now) }
            }
            let stores = [a, b]
            for i in 0..<5 {
                #expect(try await admit(stores[i % 2], "m-1", "distinct-reads", "doc-\(i)", 1, limit: 5, at: 1_000))
            }
            #expect(try await admit(b, "m-1", "distinct-reads", "doc-0", 1, limit: 5, at: 1_001),
                    "a document already read in the window is free, whichever instance served it")
            #expect(try await !admit(b, "m-1", "distinct-reads", "doc-5", 1, limit: 5, at: 1_002),
                    "the sixth distinct read is refused on B although B served only two")
            #expect(try await admit(a, "m-2", "distinct-reads", "doc-5", 1, limit: 5, at: 1_002), "another member's window is its own")
            #expect(try await admit(a, "m-1", "distinct-reads", "doc-5", 1, limit: 5, at: 70_000), "the window slides")
            #expect(try await admit(a, "m-1", "search-results", nil, 40, limit: 50, at: 70_000))
            #expect(try await !admit(b, "m-1", "search-results", nil, 11, limit: 50, at: 70_001))
            try await b.write { _ in try b.windows.reset(member: "m-1") }
            #expect(try await admit(a, "m-1", "search-results", nil, 50, limit: 50, at: 70_002),
                    "lifting a throttle on B resets the window A counts in")
        }
    }
}

/// An instance started with another master key than the node's is refused before it serves.
@Suite struct PostgresNodeKeyTests {
    @Test(.enabled(if: TestBackend.postgresURL != nil)) func anInstanceWithAnotherKeyIsRefused() async throws {
        try await PostgresScratchSchema.with(at: try #require(TestBackend.postgresURL)) { url in
            let first = try await PostgresStore(url: url, masterKey: testMasterKey, connections: 1)
            first.shutdown()
            await #expect(throws: PostgresKeyMismatch.self) {
                _ = try await PostgresStore(url: url, masterKey: MasterKey.random(), connections: 1)
            }
            let again = try await PostgresStore(url: url, masterKey: testMasterKey, connections: 1)
            again.shutdown()
        }
    }
}

/// Background work runs once per node: one instance leads it, another takes over when it goes.
@Suite struct PostgresLeadershipTests {
    @Test(.enabled(if: TestBackend.postgresURL != nil)) func oneInstanceLeadsAndAnotherTakesOverWhenItGoes() async throws {
        try await PostgresScratchSchema.with(at: try #require(TestBackend.postgresURL)) { url in
            let a = try await PostgresStore(url: url, masterKey: testMasterKey, connections: 1)
            let b = try await PostgresStore(url: url, masterKey: testMasterKey, connections: 1)
            defer { b.shutdown() }
            #expect(await a.leads(.federationPull))
            #expect(await a.leads(.federationPull), "a leader keeps the lead")
            #expect(await !b.leads(.federationPull), "while A leads, B does not pull")
            a.shutdown()
            var tookOver = false
            for _ in 0..<50 where !tookOver {
                tookOver = await b.leads(.federationPull)
                if !tookOver { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(tookOver, "B takes the lead once A's connection is gone")
        }
    }
}

/// A destroyed key's old row version is vacuumed at once, not when autovacuum gets to it.
@Suite struct PostgresKeyDestructionTests {
    @Test(.enabled(if: TestBackend.postgresURL != nil)) func aRevocationVacuumsTheReleaseTable() async throws {
        try await PostgresScratchSchema.with(at: try #require(TestBackend.postgresURL)) { url in
            let store = try await PostgresStore(url: url, masterKey: testMasterKey, connections: 2)
            defer { store.shutdown() }
            try await store.seedWorld()
            try await store.write { s in try s.insertReport(Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1)) }
            var release = Fixture.release("rel-1", report: "r-1", originator: "USA", recipient: "GBR", createdAt: 2)
            try await store.write { [release] s in try s.insertRelease(release, content: .none) }
            func vacuumed() async throws -> Bool {
                try await store.database.transaction(readOnly: true) { link in
                    try link.row("SELECT last_vacuum IS NOT NULL AS done FROM pg_stat_user_tables WHERE relid = 'release'::regclass")
                        .map { try $0.bool("done") } ?? false
                }
            }
            #expect(try await !vacuumed())
            release.revokedAt = 3
            release.revokedBy = "m-usa"
            try await store.write { [release] s in try s.updateRelease(release) }
            var done = false
            for _ in 0..<100 where !done {
                try await Task.sleep(for: .milliseconds(100))
                done = try await vacuumed()
            }
            #expect(done, "the release table was vacuumed after the key was destroyed")
        }
    }
}

/// A group commit of many read entries goes in multi-row INSERTs; the chain it leaves is the one
/// entry-by-entry appends would leave, checkpoints included.
@Suite struct PostgresAuditBatchTests {
    @Test(.enabled(if: TestBackend.postgresURL != nil)) func aLargeGroupCommitLeavesAChainThatVerifies() async throws {
        try await PostgresScratchSchema.with(at: try #require(TestBackend.postgresURL)) { url in
            let store = try await PostgresStore(url: url, masterKey: testMasterKey, connections: 2)
            defer { store.shutdown() }
            try await store.write { s in try s.appendAudit(Fixture.audit(at: 1, action: "write")) }
            let count = PostgresAuditWriter.batch * 2 + 500
            try await store.read { s in
                for i in 0..<count { try s.appendAudit(Fixture.audit(at: Int64(i + 2), actor: i.isMultiple(of: 7) ? nil : "m-\(i)", action: "read")) }
            }
            try await store.write { s in try s.appendAudit(Fixture.audit(at: Int64(count + 2), action: "write")) }
            let result = try await AuditVerifier.verify(postgres: url, masterKey: testMasterKey)
            #expect(result.isIntact, "\(result.problem ?? "")")
            #expect(result.entries == Int64(count + 2))
            #expect(Int64(result.checkpoints) == Int64(count + 2) / AuditChain.checkpointInterval)
            #expect(result.head?.seq == Int64(count + 2))
        }
    }
}

/// Runs `body` with two instances of one node on a fresh schema of the test database.
func withTwoInstances(_ body: (PostgresStore, PostgresStore) async throws -> Void) async throws {
    try await PostgresScratchSchema.with(at: try #require(TestBackend.postgresURL)) { url in
        let a = try await PostgresStore(url: url, masterKey: testMasterKey, connections: 3)
        let b = try await PostgresStore(url: url, masterKey: testMasterKey, connections: 3)
        defer { a.shutdown(); b.shutdown() }
        try await body(a, b)
    }
}
