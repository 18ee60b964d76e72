import Foundation
import GRDB
import TearlineCore
import TearlineStore
import Testing

/// The store keeps the in-memory entity index in step with what is committed, and rebuilds the
/// same index from the file when it opens.
@Suite struct EntityIndexStoreTests {
    static func report(_ id: String, originator: String, entities: [(String, String)]) -> StoredReport {
        var stored = Fixture.report(id, originator: originator, createdBy: "m-\(originator.lowercased())", createdAt: 1)
        stored.report.entities = entities.map { EntityMention(type: $0.0, value: $0.1, portion: 0) }
        return stored
    }

    static let askers: [Asker] = ["USA", "GBR", "DEU"].map { org in
        Asker(reader: Reader(organization: org, clearance: .topSecret, topics: ["terrorism"]),
              partnerships: ["USA": PartnershipTerms(status: .active, trust: .high), "GBR": PartnershipTerms(status: .active, trust: .high),
                             "DEU": PartnershipTerms(status: .suspended, trust: .low)].filter { $0.key != org })
    }

    static let entities: [NormalizedEntity] = [
        NormalizedEntity(kind: .person, key: "vasily petrov"), NormalizedEntity(kind: .phone, key: "+442079460958"),
        NormalizedEntity(kind: .vessel, key: "mv northern star"),
    ]

    /// Every asker's search for every entity, as the store answers now.
    static func answers(_ store: any TearlineStore) async throws -> [EntitySearchResult] {
        try await store.read { s in
            Self.entities.flatMap { e in
                let id = s.entityId(of: e)
                return Self.askers.map { asker in s.withEntityIndex { $0.search(id, for: asker) } }
            }
        }
    }

    @Test func theIndexRebuiltFromTheFileAnswersAsTheLiveOne() async throws {
        try await withSQLiteFile { store, path in
            try await store.seedWorld()
            try await store.write { s in
                try s.insertReport(Self.report("r-1", originator: "USA", entities: [("person", "Vasily PETROV"), ("vessel", "MV Northern Star")]),
                                   discoverability: .allPartners)
                try s.insertReport(Self.report("r-2", originator: "GBR", entities: [("person", "vasily petrov"), ("phone", "+44 20 7946 0958")]))
                try s.insertReport(Self.report("r-3", originator: "USA", entities: [("phone", "0044 20 7946 0958")]), discoverability: .partners(["DEU"]))
                try s.insertRelease(Fixture.release("rel-1", report: "r-1", originator: "USA", recipient: "GBR", createdAt: 2), content: .none)
                try s.insertRelease(Fixture.release("rel-2", report: "r-3", originator: "USA", recipient: "GBR", createdAt: 3), content: .none)
            }
            try await store.write { s in
                try s.setDiscoverability(.none, report: "r-2")
                guard var revoked = try s.release(id: "rel-2") else { throw StoreError.corruptRow("rel-2") }
                revoked.revokedAt = 9
                revoked.revokedBy = "m-usa"
                try s.updateRelease(revoked)
            }
            let live = try await Self.answers(store)
            // Control: the answers are not all empty, and they differ between askers.
            #expect(live.contains { $0.hitCount > 0 })
            #expect(live.contains { !$0.pointers.isEmpty })
            let reopened = try SQLiteStore(path: path, masterKey: testMasterKey)
            #expect(try await Self.answers(reopened) == live)
            let counts = try await reopened.read { s in s.withEntityIndex { ($0.reportCount, $0.mentionCount) } }
            #expect(counts.0 == 3)
            #expect(counts.1 == 5)
        }
    }

    @Test(arguments: TestBackend.allCases) func aRolledBackTransactionLeavesTheIndexUntouched(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            await #expect(throws: Boom.self) {
                try await store.write { s in
                    try s.insertReport(Self.report("r-1", originator: "USA", entities: [("person", "Vasily Petrov")]))
                    throw Boom()
                }
            }
            let found = try await store.read { s in
                s.withEntityIndex { ($0.reportCount, $0.contains(report: "r-1")) }
            }
            #expect(found == (0, false))
            // Control: the same write, committed, is indexed.
            try await store.write { s in try s.insertReport(Self.report("r-1", originator: "USA", entities: [("person", "Vasily Petrov")])) }
            #expect(try await store.read { s in s.withEntityIndex { $0.contains(report: "r-1") } })
        }
    }

    @Test(arguments: TestBackend.allCases) func theSameEntityWrittenDifferentlyHasOneIdentifier(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let ids = try await store.read { s in
                [("person", "Vasily  PETROV"), ("person", "vasily petrov"), ("phone", "+44 20 7946 0958"), ("phone", "0044 (20) 7946-0958")]
                    .map { s.entityId(of: EntityNormalization.normalize($0.1, as: EntityKind(rawValue: $0.0)!)!) }
            }
            #expect(ids[0] == ids[1])
            #expect(ids[2] == ids[3])
            #expect(ids[0] != ids[2])
            #expect(ids.allSatisfy { $0 >> 63 == 0 }, "identifiers fit SQLite's signed integers")
        }
    }
}
