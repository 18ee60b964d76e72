import Foundation
import TearlineCore
import TearlineStore
import Testing

@Suite struct AuditTests {
    static func allEvents(_ store: any TearlineStore) async throws -> [AuditRecord] {
        try await store.read { s in try s.auditEvents(AuditQuery(limit: 100_000)) }
    }

    // MARK: - Write sessions

    @Test(arguments: TestBackend.allCases) func anEventAppendedInAWriteCommitsWithItEveryFieldIntact(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let full = AuditRecord(at: 1_700_000_000_000, actor: "m-gbr", organization: "GBR", concerns: "USA",
                                   actionName: "forward", object: "rel-1", decision: "deny",
                                   reasons: ["third-party-rule", "partnership-suspended"], detail: "withheld=3")
            let bare = AuditRecord(at: 0, actor: nil, organization: nil, actionName: "login", object: nil, decision: "deny")
            try await store.write { s in
                try s.appendAudit(full)
                try s.appendAudit(bare)
            }
            let events = try await Self.allEvents(store)
            #expect(events.map(\.withoutSeq) == [full, bare])
            #expect(events[0].reasons == ["third-party-rule", "partnership-suspended"], "reasons keep their order")
            let seqs = events.compactMap(\.seq)
            #expect(seqs.count == 2 && seqs[0] < seqs[1])
        }
    }

    @Test(arguments: TestBackend.allCases) func anEventAppendedInAWriteThatThrowsIsRolledBack(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.write { s in try s.appendAudit(Fixture.audit(at: 1, action: "kept")) }
            await #expect(throws: Boom.self) {
                try await store.write { s in
                    try s.appendAudit(Fixture.audit(at: 2, action: "dropped"))
                    throw Boom()
                }
            }
            #expect(try await Self.allEvents(store).map(\.action) == ["kept"])
        }
    }

    // MARK: - Read sessions

    @Test(arguments: TestBackend.allCases) func anEventAppendedInAReadIsCommittedBeforeReadReturns(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let event = Fixture.audit(at: 5, action: "read", object: "r-7")
            let value = try await store.read { s in
                try s.appendAudit(event)
                return 42
            }
            #expect(value == 42)
            let events = try await Self.allEvents(store)
            #expect(events.map(\.withoutSeq) == [event])
            #expect(events.first?.seq != nil)
        }
    }

    @Test(arguments: TestBackend.allCases) func severalEventsOfOneReadAreCommittedInOrder(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.read { s in
                for i in 0..<5 { try s.appendAudit(Fixture.audit(at: Int64(i), object: "o-\(i)")) }
            }
            let events = try await Self.allEvents(store)
            #expect(events.map(\.object) == (0..<5).map { "o-\($0)" })
        }
    }

    @Test(arguments: TestBackend.allCases) func eventsOfAReadThatThrowsAreDropped(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            await #expect(throws: Boom.self) {
                try await store.read { s in
                    try s.appendAudit(Fixture.audit(at: 1, action: "dropped"))
                    throw Boom()
                }
            }
            // The next read's events still go through, alone.
            try await store.read { s in try s.appendAudit(Fixture.audit(at: 2, action: "kept")) }
            #expect(try await Self.allEvents(store).map(\.action) == ["kept"])
        }
    }

    @Test(arguments: TestBackend.allCases) func aReadWithoutEventsWritesNone(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            _ = try await store.read { s in try s.organizations() }
            #expect(try await Self.allEvents(store).isEmpty)
        }
    }

    // MARK: - Queries

    /// Five events that each filter must tell apart.
    static let events: [AuditRecord] = [
        Fixture.audit(at: 100, actor: "m-usa", organization: "USA", action: "read", object: "r-1"),
        Fixture.audit(at: 200, actor: "m-gbr", organization: "GBR", concerns: "USA", action: "read", object: "r-1"),
        Fixture.audit(at: 300, actor: "m-gbr", organization: "GBR", action: "search", object: nil),
        Fixture.audit(at: 400, actor: nil, organization: nil, action: "login", object: nil, decision: "deny"),
        Fixture.audit(at: 500, actor: "m-deu", organization: "DEU", concerns: "GBR", action: "release", object: "r-2"),
    ]

    /// The indexes into ``events`` of what `query` returns.
    static func matches(_ query: AuditQuery, on backend: TestBackend) async throws -> [Int] {
        try await withStore(backend) { store in
            try await store.write { s in
                for event in events { try s.appendAudit(event) }
            }
            let found = try await store.read { s in try s.auditEvents(query) }
            return found.map { record in events.firstIndex(of: record.withoutSeq) ?? -1 }
        }
    }

    @Test(arguments: TestBackend.allCases) func anEmptyQueryReturnsEverythingInSeqOrder(backend: TestBackend) async throws {
        #expect(try await Self.matches(AuditQuery(), on: backend) == [0, 1, 2, 3, 4])
    }

    @Test(arguments: TestBackend.allCases) func organizationMatchesTheActorsOrganizationOrTheOneConcerned(backend: TestBackend) async throws {
        #expect(try await Self.matches(AuditQuery(organization: "USA"), on: backend) == [0, 1])
        #expect(try await Self.matches(AuditQuery(organization: "GBR"), on: backend) == [1, 2, 4])
        #expect(try await Self.matches(AuditQuery(organization: "DEU"), on: backend) == [4])
        #expect(try await Self.matches(AuditQuery(organization: "ISR"), on: backend) == [])
    }

    @Test(arguments: TestBackend.allCases) func actorActionAndObjectFilter(backend: TestBackend) async throws {
        #expect(try await Self.matches(AuditQuery(actor: "m-gbr"), on: backend) == [1, 2])
        #expect(try await Self.matches(AuditQuery(action: "read"), on: backend) == [0, 1])
        #expect(try await Self.matches(AuditQuery(object: "r-1"), on: backend) == [0, 1])
        #expect(try await Self.matches(AuditQuery(object: "r-2"), on: backend) == [4])
    }

    @Test(arguments: TestBackend.allCases) func sinceAndUntilAreInclusiveBounds(backend: TestBackend) async throws {
        #expect(try await Self.matches(AuditQuery(since: 200), on: backend) == [1, 2, 3, 4])
        #expect(try await Self.matches(AuditQuery(until: 400), on: backend) == [0, 1, 2, 3])
        #expect(try await Self.matches(AuditQuery(since: 200, until: 400), on: backend) == [1, 2, 3])
        #expect(try await Self.matches(AuditQuery(since: 201, until: 399), on: backend) == [2])
        #expect(try await Self.matches(AuditQuery(since: 401, until: 499), on: backend) == [])
    }

    @Test(arguments: TestBackend.allCases) func afterSeqAndLimitPage(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.write { s in
                for event in Self.events { try s.appendAudit(event) }
            }
            let first = try await store.read { s in try s.auditEvents(AuditQuery(limit: 2)) }
            #expect(first.map(\.withoutSeq) == Array(Self.events[0..<2]))
            let after = try #require(first.last?.seq)
            let rest = try await store.read { s in try s.auditEvents(AuditQuery(afterSeq: after, limit: 2)) }
            #expect(rest.map(\.withoutSeq) == Array(Self.events[2..<4]))
            let last = try #require(rest.last?.seq)
            let tail = try await store.read { s in try s.auditEvents(AuditQuery(afterSeq: last)) }
            #expect(tail.map(\.withoutSeq) == [Self.events[4]])
            let beyond = try #require(tail.last?.seq)
            #expect(try await store.read { s in try s.auditEvents(AuditQuery(afterSeq: beyond)) }.isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases) func filtersCombineWithAnd(backend: TestBackend) async throws {
        #expect(try await Self.matches(AuditQuery(organization: "GBR", action: "read"), on: backend) == [1])
        #expect(try await Self.matches(AuditQuery(organization: "USA", actor: "m-gbr"), on: backend) == [1])
        #expect(try await Self.matches(AuditQuery(organization: "GBR", since: 250, limit: 1), on: backend) == [2])
        #expect(try await Self.matches(AuditQuery(actor: "m-usa", action: "search"), on: backend) == [])
    }

    // MARK: - Group commit

    @Test(arguments: TestBackend.allCases) func concurrentReadsEachCommitTheirEventExactlyOnce(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let readers = 200
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<readers {
                    group.addTask {
                        let object = "obj-\(i)"
                        try await store.read { s in
                            try s.appendAudit(Fixture.audit(at: Int64(i), actor: "m-\(i)", object: object))
                        }
                        // Audit before answer: by the time `read` returns, the event is in the log.
                        let mine = try await store.read { s in try s.auditEvents(AuditQuery(object: object)) }
                        #expect(mine.count == 1, "event \(i) was not committed before read returned")
                    }
                }
                try await group.waitForAll()
            }
            let events = try await Self.allEvents(store)
            #expect(events.count == readers)
            #expect(Set(events.compactMap(\.object)) == Set((0..<readers).map { "obj-\($0)" }))
            let seqs = events.compactMap(\.seq)
            #expect(seqs.count == readers)
            #expect(zip(seqs, seqs.dropFirst()).allSatisfy { $0 < $1 }, "seq strictly increases, so no two events share one")
            #expect(events.allSatisfy { $0.actor == "m-\($0.at)" && $0.object == "obj-\($0.at)" },
                    "each event keeps its own fields in the shared commit")
        }
    }

    @Test(arguments: TestBackend.allCases) func concurrentReadsAndWritesInterleaveWithoutLosingEvents(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<100 {
                    group.addTask {
                        if i.isMultiple(of: 4) {
                            try await store.write { s in try s.appendAudit(Fixture.audit(at: Int64(i), action: "write")) }
                        } else if i.isMultiple(of: 5) {
                            _ = try? await store.read { s in
                                try s.appendAudit(Fixture.audit(at: Int64(i), action: "failed"))
                                throw Boom()
                            }
                        } else {
                            try await store.read { s in try s.appendAudit(Fixture.audit(at: Int64(i), action: "read")) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let events = try await Self.allEvents(store)
            let expected = (0..<100).filter { !$0.isMultiple(of: 5) || $0.isMultiple(of: 4) }
            #expect(events.map(\.at).sorted() == expected.map(Int64.init))
            #expect(!events.contains { $0.action == "failed" })
            #expect(Set(events.compactMap(\.seq)).count == events.count)
        }
    }
}

/// The filters access receipts use: one holder's events on one originator's material, newest first.
@Suite struct AuditReceiptQueryTests {
    @Test(arguments: TestBackend.allCases) func exactOrganisationConcernsPrefixAndNewestFirst(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let events = [
                AuditRecord(at: 1, actor: "m-deu", organization: "DEU", concerns: "USA", actionName: "release.read", object: "rel-1", decision: "allow"),
                AuditRecord(at: 2, actor: "m-deu", organization: "DEU", concerns: "GBR", actionName: "release.read", object: "rel-2", decision: "allow"),
                AuditRecord(at: 3, actor: "m-usa", organization: "USA", concerns: "DEU", actionName: "release.read", object: "rel-3", decision: "allow"),
                AuditRecord(at: 4, actor: "m-deu", organization: "DEU", concerns: "USA", actionName: "report.read", object: "rpt-1", decision: "deny"),
                AuditRecord(at: 5, actor: "m-deu", organization: "DEU", concerns: "USA", actionName: "release.forward", object: "rel-1", decision: "deny"),
                AuditRecord(at: 6, actor: "m-deu", organization: "DEU", concerns: "USA", actionName: "releasex", object: "rel-1", decision: "allow"),
            ]
            try await store.write { s in for e in events { try s.appendAudit(e) } }
            var query = AuditQuery(limit: 100)
            query.actorOrganization = "DEU"
            query.concerns = "USA"
            query.actionPrefix = "release."
            query.newestFirst = true
            let newest = query
            let found = try await store.read { s in try s.auditEvents(newest) }
            #expect(found.map(\.at) == [5, 1])
            query.newestFirst = false
            query.limit = 1
            let oldest = query
            #expect(try await store.read { s in try s.auditEvents(oldest) }.map(\.at) == [1])
        }
    }
}
