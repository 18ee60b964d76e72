import Foundation
import GRDB
import TearlineCore
import TearlineStore
import Testing

@Suite struct SQLiteStoreTests {
    static let tables: Set<String> = [
        "organization", "nodeCredential", "member", "partnership", "report", "portion",
        "release", "needToKnowGrant", "consentRequest", "auditEvent", "entity", "mention", "accessRequest", "notification", "feedback", "trustChange", "breach", "ledgerEntry", "term", "rfi", "organizationInterest", "taxiiApiRoot", "taxiiCollection", "taxiiObject", "taxiiStatus", "memberCredential",
    ]

    // MARK: - Opening

    @Test func openingCreatesTheSchemaInWALMode() async throws {
        try await withSQLiteFile { _, path in
            #expect(FileManager.default.fileExists(atPath: path))
            let (journalMode, tables, migrations) = try withRawDatabase(path) { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                 Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")),
                 try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            }
            #expect(journalMode == "wal")
            #expect(Self.tables.isSubset(of: tables), "missing: \(Self.tables.subtracting(tables))")
            #expect(migrations == ["v1", "v2-sealed-text-and-audit-chain", "v3-entity-index", "v4-feedback", "v5-trust-dynamics", "v6-exchange-ledger", "v7-taxii", "v8-federation", "v9-directional-trust", "v10-member-created-by", "v11-taxii-versions-per-organisation", "v12-console-sessions", "v13-audit-witnesses", "v14-default-api-root", "v15-private-discovery"])
        }
    }

    @Test(arguments: TestBackend.allCases) func theStoreEnforcesForeignKeys(backend: TestBackend) async throws {
        // why through the store: PRAGMA foreign_keys is per connection, so only the store's own
        // connections can show it; a refused dangling reference is the observable proof.
        try await withStore(backend) { store in
            _ = await #expect(throws: StoreError.constraint(.foreignKey)) {
                try await store.write { s in try s.insertMember(Fixture.member("m-x", of: "NOWHERE")) }
            }
        }
    }

    @Test func reopeningAnExistingFileKeepsItsDataAndRunsNoMigrationTwice() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("tearline.db").path
            do {
                let store = try SQLiteStore(path: path, masterKey: testMasterKey)
                try await store.seedWorld()
            }
            let reopened = try SQLiteStore(path: path, masterKey: testMasterKey)
            let (organizations, member) = try await reopened.read { s in
                (try s.organizations().map(\.id), try s.member(id: "m-gbr"))
            }
            #expect(organizations == ["DEU", "GBR", "USA"])
            #expect(member?.organization == "GBR")
            // A third open while the second is still open is just as harmless.
            _ = try SQLiteStore(path: path, masterKey: testMasterKey)
            let migrations = try withRawDatabase(path) { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
            #expect(migrations == ["v1", "v2-sealed-text-and-audit-chain", "v3-entity-index", "v4-feedback", "v5-trust-dynamics", "v6-exchange-ledger", "v7-taxii", "v8-federation", "v9-directional-trust", "v10-member-created-by", "v11-taxii-versions-per-organisation", "v12-console-sessions", "v13-audit-witnesses", "v14-default-api-root", "v15-private-discovery"])
            try await reopened.write { s in try s.insertOrganization(Fixture.organization("ISR")) }
            #expect(try await reopened.read { s in try s.organization(id: "ISR") } != nil)
        }
    }

    // MARK: - Round trips

    @Test(arguments: TestBackend.allCases) func organizationsRoundTrip(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let usa = Fixture.organization("USA", kind: .state, createdAt: 1)
            let fbi = Fixture.organization("USA-FBI", kind: .agency, createdAt: 2)
            let iaea = OrganizationRecord(id: "IAEA", name: "Agence internationale — énergie atomique", kind: .international,
                                          publicKey: Data(repeating: 0xAB, count: 32), sealedPrivateKey: Data((0...255).map(UInt8.init)),
                                          createdAt: -5)
            try await store.write { s in
                for o in [usa, fbi, iaea] { try s.insertOrganization(o) }
            }
            let (one, all, missing) = try await store.read { s in
                (try s.organization(id: "IAEA"), try s.organizations(), try s.organization(id: "GBR"))
            }
            #expect(one == iaea)
            #expect(all == [iaea, usa, fbi])
            #expect(missing == nil)
        }
    }

    @Test(arguments: TestBackend.allCases) func aDuplicateOrganizationIsRefused(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.write { s in try s.insertOrganization(Fixture.organization("USA")) }
            await #expect(throws: StoreError.constraint(.unique)) {
                try await store.write { s in
                    try s.insertOrganization(Fixture.organization("GBR"))
                    try s.insertOrganization(Fixture.organization("USA", kind: .agency))
                }
            }
            let all = try await store.read { s in try s.organizations() }
            #expect(all == [Fixture.organization("USA")], "the failed transaction also inserted GBR; it must roll back")
        }
    }

    @Test(arguments: TestBackend.allCases) func nodeCredentialsRoundTrip(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            #expect(try await store.read { s in try s.nodeCredentialCount() } == 0)
            try await store.write { s in
                try s.insertNodeCredential(tokenHash: Fixture.tokenHash("node-1"), createdAt: 1)
                try s.insertNodeCredential(tokenHash: Fixture.tokenHash("node-2"), createdAt: 2)
            }
            let (count, known, unknown) = try await store.read { s in
                (try s.nodeCredentialCount(), try s.nodeCredentialExists(tokenHash: Fixture.tokenHash("node-2")),
                 try s.nodeCredentialExists(tokenHash: Fixture.tokenHash("node-3")))
            }
            #expect(count == 2)
            #expect(known)
            #expect(!unknown)
            await #expect(throws: StoreError.constraint(.unique)) {
                try await store.write { s in try s.insertNodeCredential(tokenHash: Fixture.tokenHash("node-1"), createdAt: 3) }
            }
        }
    }

    @Test(arguments: TestBackend.allCases) func membersRoundTripWithEveryField(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            let full = MemberRecord(
                id: "m-liaison", organization: "DEU", name: "Jürgen Ö'Brien", roles: [.security, .liaison, .analyst, .liaison],
                clearance: .topSecret, compartments: ["SI-G", "HCS"], topics: ["proliferation", "counter-terrorism"],
                tokenHash: Data((0..<32).map { UInt8($0 * 7) }), status: .suspended, throttled: true, secondedTo: "USA",
                createdAt: 1_700_000_000_123)
            let bare = MemberRecord(
                id: "m-bare", organization: "DEU", name: "", roles: [], clearance: .unclassified, compartments: [],
                topics: [], tokenHash: Fixture.tokenHash("bare"), createdAt: 1_700_000_000_124)
            try await store.write { s in
                try s.insertMember(bare)
                try s.insertMember(full)
            }
            let (byId, byToken, bareBack, ofDEU, ofGBR, missing) = try await store.read { s in
                (try s.member(id: "m-liaison"), try s.member(tokenHash: full.tokenHash), try s.member(id: "m-bare"),
                 try s.members(organization: "DEU"), try s.members(organization: "GBR"), try s.member(id: "m-none"))
            }
            #expect(byId == full)
            #expect(byId?.roles == [.analyst, .liaison, .security])
            #expect(byId?.compartments == ["HCS", "SI-G"])
            #expect(byToken == full)
            #expect(bareBack == bare)
            #expect(ofDEU.map(\.id) == ["m-deu", "m-liaison", "m-bare"], "ordered by createdAt, then id")
            #expect(ofGBR.map(\.id) == ["m-gbr"])
            #expect(missing == nil)
            #expect(try await store.read { s in try s.member(tokenHash: Fixture.tokenHash("nobody")) } == nil)
        }
    }

    @Test(arguments: TestBackend.allCases) func updatingAMemberChangesItsMutableFieldsOnly(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            let original = Fixture.member("m-x", of: "GBR", roles: [.analyst], createdAt: 42)
            try await store.write { s in try s.insertMember(original) }
            var changed = original
            changed.name = "Renamed"
            changed.roles = [.admin, .releaser]
            changed.clearance = .confidential
            changed.compartments = ["HCS"]
            changed.topics = []
            changed.status = .suspended
            changed.throttled = true
            changed.secondedTo = "USA"
            try await store.write { [changed] s in try s.updateMember(changed) }
            #expect(try await store.read { s in try s.member(id: "m-x") } == changed)

            // Organisation, token hash and creation time are not updatable.
            var moved = changed
            moved.organization = "DEU"
            moved.tokenHash = Fixture.tokenHash("other")
            moved.createdAt = 99
            try await store.write { [moved] s in try s.updateMember(moved) }
            #expect(try await store.read { s in try s.member(id: "m-x") } == changed)
        }
    }

    @Test(arguments: TestBackend.allCases) func aTokenHashBelongsToOneMemberOnly(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            let first = Fixture.member("m-first", of: "USA", token: "shared")
            try await store.write { s in try s.insertMember(first) }
            await #expect(throws: StoreError.constraint(.unique)) {
                try await store.write { s in try s.insertMember(Fixture.member("m-second", of: "GBR", token: "shared")) }
            }
            let (byToken, second) = try await store.read { s in
                (try s.member(tokenHash: Fixture.tokenHash("shared")), try s.member(id: "m-second"))
            }
            #expect(byToken == first)
            #expect(second == nil)
        }
    }

    @Test func partnershipsAreStoredInPairOrderAndFoundEitherWay() async throws {
        try await withSQLiteFile { store, path in
            try await store.seedWorld()
            let peer = PartnershipRecord(id: "p-1", first: "USA", second: "GBR", kind: .peer, dominant: nil,
                                         trust: .high, status: .active, createdAt: 10, updatedAt: 11)
            let hierarchical = PartnershipRecord(id: "p-2", first: "DEU", second: "USA", kind: .hierarchical, dominant: "USA",
                                                 trust: .low, status: .suspended, createdAt: 20, updatedAt: 21)
            #expect(peer.first == "GBR" && peer.second == "USA")
            try await store.write { s in
                try s.insertPartnership(peer)
                try s.insertPartnership(hierarchical)
            }
            let found = try await store.read { s in
                (try s.partnership(between: "USA", and: "GBR"), try s.partnership(between: "GBR", and: "USA"),
                 try s.partnership(between: "GBR", and: "DEU"), try s.partnership(id: "p-2"), try s.partnership(id: "p-9"))
            }
            #expect(found.0 == peer)
            #expect(found.1 == peer)
            #expect(found.2 == nil)
            #expect(found.3 == hierarchical)
            #expect(found.4 == nil)
            let (ofUSA, ofGBR, ofDEU, all) = try await store.read { s in
                (try s.partnerships(involving: "USA"), try s.partnerships(involving: "GBR"),
                 try s.partnerships(involving: "DEU"), try s.partnerships(involving: nil))
            }
            #expect(ofUSA == [hierarchical, peer], "ordered by (first, second)")
            #expect(ofGBR == [peer])
            #expect(ofDEU == [hierarchical])
            #expect(all == [hierarchical, peer])
            let rows = try withRawDatabase(path) { db in
                try Row.fetchAll(db, sql: "SELECT first, second FROM partnership ORDER BY id").map { [$0["first"], $0["second"]] as [String] }
            }
            #expect(rows == [["GBR", "USA"], ["DEU", "USA"]])
        }
    }

    @Test(arguments: TestBackend.allCases) func aPartnershipPairIsStoredOnce(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            try await store.write { s in
                try s.insertPartnership(PartnershipRecord(id: "p-1", first: "USA", second: "GBR", kind: .peer, dominant: nil,
                                                          trust: .high, status: .active, createdAt: 1, updatedAt: 1))
            }
            await #expect(throws: StoreError.constraint(.unique)) {
                try await store.write { s in
                    try s.insertPartnership(PartnershipRecord(id: "p-2", first: "GBR", second: "USA", kind: .peer, dominant: nil,
                                                              trust: .low, status: .active, createdAt: 2, updatedAt: 2))
                }
            }
        }
    }

    @Test(arguments: TestBackend.allCases) func aPartnershipOutOfPairOrderIsRefused(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            var reversed = PartnershipRecord(id: "p-1", first: "GBR", second: "USA", kind: .peer, dominant: nil,
                                             trust: .high, status: .active, createdAt: 1, updatedAt: 1)
            reversed.sides = PartnershipSides(first: "USA", second: "GBR", firstStance: reversed.sides.secondStance,
                                              secondStance: reversed.sides.firstStance)
            await #expect(throws: StoreError.constraint(.check)) {
                try await store.write { [reversed] s in try s.insertPartnership(reversed) }
            }
        }
    }

    @Test(arguments: TestBackend.allCases) func eachSidesStanceIsStoredApart(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            let record = PartnershipRecord(id: "p-1", first: "USA", second: "GBR", kind: .peer, dominant: nil,
                                           firstStance: PartnershipStance(trust: .full), secondStance: PartnershipStance(trust: .low, suspended: true),
                                           createdAt: 1, updatedAt: 1)
            #expect(record.first == "GBR", "kept in pair order, each stance with its side")
            #expect(record.trust(of: "USA") == .full && record.trust(of: "GBR") == .low)
            try await store.write { s in try s.insertPartnership(record) }
            let found = try #require(try await store.read { s in try s.partnership(id: "p-1") })
            #expect(found == record)
            #expect(found.terms(releasesFrom: "USA") == PartnershipTerms(status: .suspended, trust: .full))
            #expect(found.sides.suspendedBy == ["GBR"])
        }
    }

    @Test(arguments: TestBackend.allCases) func updatingAPartnershipChangesTrustStatusAndTimeOnly(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            let original = PartnershipRecord(id: "p-1", first: "USA", second: "DEU", kind: .hierarchical, dominant: "USA",
                                             trust: .low, status: .active, createdAt: 1, updatedAt: 1)
            try await store.write { s in try s.insertPartnership(original) }
            var changed = original
            changed.sides = changed.sides.setting(PartnershipStance(trust: .none, suspended: true), for: "USA")
                .setting(PartnershipStance(trust: .minimal), for: "DEU")
            changed.updatedAt = 500
            var attempted = changed
            attempted.kind = .peer
            attempted.dominant = nil
            attempted.createdAt = 2
            try await store.write { [attempted] s in try s.updatePartnership(attempted) }
            #expect(try await store.read { s in try s.partnership(id: "p-1") } == changed)
        }
    }

    static func fullReport() -> StoredReport {
        let report = Report(
            id: "r-full", originator: "USA", title: "Courier network, Ħ/ü — \"quoted\", with commas",
            titleMarking: Fixture.marking("(S//REL TO USA, GBR)"), sourceGrade: try! SourceGrade(code: "F6"),
            topics: ["terrorism", "finance", "counter-proliferation"],
            entities: [
                EntityMention(type: "email", value: "a@example.org", portion: 0),
                EntityMention(type: "person", value: "Doe, John", portion: 0),
                EntityMention(type: "ip", value: "192.0.2.1", portion: 1),
                EntityMention(type: "vessel", value: "MV Example", portion: 254),
            ],
            portions: [
                Portion(index: 0, marking: Fixture.marking("(TS//HCS/SI-G//OC/REL TO USA, GBR, AUS)"), text: "First.\nLine two."),
                Portion(index: 1, marking: Fixture.marking("(S//NF)"), sourcesAndMethods: true, text: "Sources and methods."),
                Portion(index: 2, marking: Fixture.marking("(U//TLP:AMBER+STRICT)"), text: ""),
                Portion(index: 254, marking: Fixture.marking("(C//REL TO USA, DEU//TLP:RED)"), text: "The last possible portion."),
            ],
            createdBy: "m-usa", createdAt: 1_700_000_000_999)
        return StoredReport(report: report, signature: Data((0..<64).map { UInt8(255 - $0) }))
    }

    @Test(arguments: TestBackend.allCases) func reportsRoundTripWithEveryField(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            let full = Self.fullReport()
            let small = Fixture.report("r-small", originator: "USA", createdBy: "m-usa", createdAt: 5)
            try await store.write { s in
                try s.insertReport(full)
                try s.insertReport(small)
            }
            let (fullBack, smallBack, missing) = try await store.read { s in
                (try s.report(id: "r-full"), try s.report(id: "r-small"), try s.report(id: "r-none"))
            }
            #expect(fullBack == full)
            #expect(fullBack?.report.portions.map(\.marking) == full.report.portions.map(\.marking))
            #expect(fullBack?.report.titleMarking == full.report.titleMarking)
            #expect(fullBack?.report.banner == full.report.banner)
            #expect(smallBack == small)
            #expect(missing == nil)
        }
    }

    @Test(arguments: TestBackend.allCases) func entityMentionsComeBackInPortionTypeValueOrderWithoutDuplicates(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            var stored = Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1)
            stored.report.portions.append(Portion(index: 1, marking: .unclassified, text: "Second."))
            let b = EntityMention(type: "person", value: "B", portion: 0)
            let a = EntityMention(type: "person", value: "A", portion: 0)
            let later = EntityMention(type: "email", value: "x@example.org", portion: 1)
            stored.report.entities = [later, b, a, b]
            try await store.write { [stored] s in try s.insertReport(stored) }
            let back = try await store.read { s in try s.report(id: "r-1") }
            #expect(back?.report.entities == [a, b, later])
        }
    }

    @Test(arguments: TestBackend.allCases) func aReportNeedsAKnownOriginatorAndAuthor(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            for (originator, author) in [("NOWHERE", "m-usa"), ("USA", "m-nobody")] {
                await #expect(throws: StoreError.constraint(.foreignKey)) {
                    try await store.write { s in
                        try s.insertReport(Fixture.report("r-bad", originator: originator, createdBy: author, createdAt: 1))
                    }
                }
            }
            #expect(try await store.read { s in try s.report(id: "r-bad") } == nil)
        }
    }

    @Test(arguments: TestBackend.allCases) func releasesRoundTripWithEveryField(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            let portions = PortionSet([0, 1, 63, 64, 127, 128, 191, 192, 254, Report.titleIndex])
            let open = ReleaseRecord(
                id: "rel-1", reportId: "r-1", originator: "USA", recipient: "GBR", portions: portions,
                banner: Fixture.marking("TOP SECRET//HCS/SI-G//ORCON/REL TO USA, GBR//TLP:AMBER"), orconApproved: true,
                createdBy: "m-usa", createdAt: 100, signature: Data([0, 0, 1, 0]))
            let titleOnly = ReleaseRecord(
                id: "rel-2", reportId: "r-1", originator: "USA", recipient: "DEU", portions: PortionSet([Report.titleIndex]),
                banner: .unclassified, orconApproved: false, createdBy: "m-usa", createdAt: 50, signature: Data(),
                revokedAt: 200, revokedBy: "m-usa-2", consentRequestId: "c-1")
            let empty = ReleaseRecord(
                id: "rel-3", reportId: "r-1", originator: "USA", recipient: "DEU", portions: PortionSet(),
                banner: Fixture.marking("SECRET//NOFORN"), orconApproved: false, createdBy: "m-usa", createdAt: 150,
                signature: Data([9]))
            try await store.write { s in
                try s.insertReport(Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1))
                try s.insertReport(Fixture.report("r-2", originator: "USA", createdBy: "m-usa", createdAt: 2))
                try s.insertRelease(open, content: .none)
                try s.insertRelease(titleOnly, content: .none)
                try s.insertRelease(empty, content: .none)
            }
            let back = try await store.read { s in
                (try s.release(id: "rel-1"), try s.release(id: "rel-2"), try s.release(id: "rel-3"), try s.release(id: "rel-9"),
                 try s.releases(report: "r-1"), try s.releases(report: "r-2"))
            }
            #expect(back.0 == open)
            #expect(back.0?.portions.indexes == [0, 1, 63, 64, 127, 128, 191, 192, 254, 255])
            #expect(back.0?.portions.contains(Report.titleIndex) == true)
            #expect(back.1 == titleOnly)
            #expect(back.1?.isRevoked == true)
            #expect(back.2 == empty)
            #expect(back.2?.portions.isEmpty == true)
            #expect(back.3 == nil)
            #expect(back.4 == [titleOnly, open, empty], "ordered by createdAt")
            #expect(back.5.isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases) func revokingAReleaseUpdatesOnlyTheRevocation(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            let original = Fixture.release("rel-1", report: "r-1", originator: "USA", recipient: "GBR", createdAt: 1)
            try await store.write { s in
                try s.insertReport(Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1))
                try s.insertRelease(original, content: .none)
            }
            var revoked = original
            revoked.revokedAt = 77
            revoked.revokedBy = "m-usa"
            var attempted = revoked
            attempted.portions = PortionSet([3])
            attempted.recipient = "DEU"
            try await store.write { [attempted] s in try s.updateRelease(attempted) }
            #expect(try await store.read { s in try s.release(id: "rel-1") } == revoked)
        }
    }

    @Test(arguments: TestBackend.allCases) func aReleaseNeedsAKnownReportAndRecipient(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            try await store.write { s in try s.insertReport(Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1)) }
            for (report, recipient) in [("r-none", "GBR"), ("r-1", "NOWHERE")] {
                await #expect(throws: StoreError.constraint(.foreignKey)) {
                    try await store.write { s in
                        try s.insertRelease(Fixture.release("rel-bad", report: report, originator: "USA", recipient: recipient, createdAt: 1), content: .none)
                    }
                }
            }
            #expect(try await store.read { s in try s.release(id: "rel-bad") } == nil)
        }
    }

    @Test(arguments: TestBackend.allCases) func consentRequestsRoundTripAndAreFoundByOriginatorOrHolder(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            let pending = ConsentRequestRecord(
                id: "c-1", releaseId: "rel-1", reportId: "r-1", originator: "USA", holder: "GBR", target: "DEU",
                requestedBy: "m-gbr", createdAt: 10)
            let decided = ConsentRequestRecord(
                id: "c-0", releaseId: "rel-1", reportId: "r-1", originator: "USA", holder: "GBR", target: "ISR",
                requestedBy: "m-gbr", status: .denied, createdAt: 5, decidedBy: "m-usa", decidedAt: 6, resultingReleaseId: nil)
            try await store.write { s in
                try s.insertReport(Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1))
                try s.insertRelease(Fixture.release("rel-1", report: "r-1", originator: "USA", recipient: "GBR", createdAt: 2), content: .none)
                try s.insertConsentRequest(pending)
                try s.insertConsentRequest(decided)
            }
            let back = try await store.read { s in
                (try s.consentRequest(id: "c-1"), try s.consentRequest(id: "c-0"), try s.consentRequest(id: "c-9"),
                 try s.consentRequests(involving: "USA"), try s.consentRequests(involving: "GBR"),
                 try s.consentRequests(involving: "DEU"))
            }
            #expect(back.0 == pending)
            #expect(back.0?.status == .pending)
            #expect(back.1 == decided)
            #expect(back.2 == nil)
            #expect(back.3 == [decided, pending], "ordered by createdAt")
            #expect(back.4 == [decided, pending])
            #expect(back.5.isEmpty, "the target of a request is neither its originator nor its holder")

            var granted = pending
            granted.status = .granted
            granted.decidedBy = "m-usa"
            granted.decidedAt = 20
            granted.resultingReleaseId = "rel-2"
            var attempted = granted
            attempted.target = "ISR"
            attempted.requestedBy = "m-other"
            try await store.write { [attempted] s in try s.updateConsentRequest(attempted) }
            #expect(try await store.read { s in try s.consentRequest(id: "c-1") } == granted)
        }
    }

    @Test(arguments: TestBackend.allCases) func aConsentRequestNeedsAKnownRelease(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            try await store.write { s in try s.insertReport(Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1)) }
            await #expect(throws: StoreError.constraint(.foreignKey)) {
                try await store.write { s in
                    try s.insertConsentRequest(ConsentRequestRecord(
                        id: "c-1", releaseId: "rel-none", reportId: "r-1", originator: "USA", holder: "GBR", target: "DEU",
                        requestedBy: "m-gbr", createdAt: 1))
                }
            }
            #expect(try await store.read { s in try s.consentRequest(id: "c-1") } == nil)
        }
    }

    @Test(arguments: TestBackend.allCases) func grantsRoundTripAndARepeatedGrantIsHarmless(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            try await store.write { s in
                try s.insertReport(Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1))
                try s.insertReport(Fixture.report("r-2", originator: "USA", createdBy: "m-usa", createdAt: 2))
                try s.insertGrant(member: "m-gbr", report: "r-1", grantedBy: "m-usa", createdAt: 3)
            }
            try await store.write { s in try s.insertGrant(member: "m-gbr", report: "r-1", grantedBy: "m-usa", createdAt: 4) }
            let (granted, otherReport, otherMember) = try await store.read { s in
                (try s.hasGrant(member: "m-gbr", report: "r-1"), try s.hasGrant(member: "m-gbr", report: "r-2"),
                 try s.hasGrant(member: "m-deu", report: "r-1"))
            }
            #expect(granted)
            #expect(!otherReport)
            #expect(!otherMember)
            for (member, report) in [("m-nobody", "r-1"), ("m-gbr", "r-none")] {
                await #expect(throws: StoreError.constraint(.foreignKey)) {
                    try await store.write { s in try s.insertGrant(member: member, report: report, grantedBy: "m-usa", createdAt: 5) }
                }
            }
        }
    }

    // MARK: - Transactions

    @Test(arguments: TestBackend.allCases) func aWriteWhoseBodyThrowsWritesNothing(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            await #expect(throws: Boom.self) {
                try await store.write { s in
                    try s.insertOrganization(Fixture.organization("USA"))
                    try s.insertMember(Fixture.member("m-usa", of: "USA"))
                    try s.insertNodeCredential(tokenHash: Fixture.tokenHash("node"), createdAt: 1)
                    throw Boom()
                }
            }
            let (organizations, member, credentials) = try await store.read { s in
                (try s.organizations(), try s.member(id: "m-usa"), try s.nodeCredentialCount())
            }
            #expect(organizations.isEmpty)
            #expect(member == nil)
            #expect(credentials == 0)
        }
    }

    @Test(arguments: TestBackend.allCases) func aWriteReturnsItsBodysValueAndCommits(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let value = try await store.write { s in
                try s.insertOrganization(Fixture.organization("USA"))
                return try s.organizations().count
            }
            #expect(value == 1)
            #expect(try await store.read { s in try s.organization(id: "USA") } == Fixture.organization("USA"))
        }
    }
}
