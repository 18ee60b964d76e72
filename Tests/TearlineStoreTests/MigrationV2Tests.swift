import Foundation
import GRDB
import TearlineCore
@testable import TearlineStore
import Testing

/// A database as version 1 of the store left it: text in the clear, entity values in the clear,
/// an audit log without hashes. Built by hand from the v1 schema, then opened by the current store.
@Suite struct MigrationV2Tests {
    static let title = "ZEBRA-MIGRATE-7731 the v1 title in the clear"
    static let portion0 = "OCELOT-MIGRATE-4402 first portion written by version one"
    static let portion1 = "HERON-MIGRATE-9925 second portion written by version one"
    static let person = "Vasily KESTREL-MIGRATE-1188"
    static let place = "Port LYNX-MIGRATE-5530"
    static let secrets = [title, portion0, portion1, person, place]
    static let markers = ["ZEBRA-MIGRATE-7731", "OCELOT-MIGRATE-4402", "HERON-MIGRATE-9925", "KESTREL-MIGRATE-1188", "LYNX-MIGRATE-5530"]
    /// A value v2 still keeps in the clear: the control for the byte search.
    static let plainTopic = "plaintopic-migrate-4471"

    static let secretMarking = Fixture.marking("SECRET//REL TO USA, GBR")

    /// The report as the v2 store must give it back. Entities in (portion, type, value) order.
    static var expectedReport: StoredReport {
        let report = Report(
            id: "r-1", originator: "USA", title: title, titleMarking: .unclassified, sourceGrade: Fixture.grade,
            topics: [plainTopic, "terrorism"],
            entities: [EntityMention(type: "person", value: person, portion: 0), EntityMention(type: "place", value: place, portion: 1)],
            portions: [
                Portion(index: 0, marking: .unclassified, text: portion0),
                Portion(index: 1, marking: secretMarking, sourcesAndMethods: true, text: portion1),
            ],
            createdBy: "m-usa", createdAt: 1_600_000_000_000)
        return StoredReport(report: report, signature: Data("v1-signature".utf8))
    }

    /// The v1 audit entry number `i`.
    static func v1Audit(_ i: Int) -> AuditRecord {
        AuditRecord(
            at: 1_600_000_000_000 + Int64(i), actor: i.isMultiple(of: 4) ? nil : "m-usa", organization: i.isMultiple(of: 4) ? nil : "USA",
            concerns: i.isMultiple(of: 3) ? "GBR" : nil, actionName: "report.read", object: "r-1",
            decision: i.isMultiple(of: 2) ? "allow" : "deny", reasons: i.isMultiple(of: 2) ? [] : ["need-to-know", "clearance"],
            detail: i.isMultiple(of: 5) ? nil : "withheld=\(i)")
    }

    /// Writes a v1 database at `path`: the v1 schema, its migration record, two organisations,
    /// a member, one report with two portions and two entities, three releases (one revoked) and
    /// `auditEntries` audit rows, of which those numbered in `skipped` are then deleted.
    static func makeV1(at path: String, auditEntries: Int, skippingSeq skipped: Set<Int> = []) throws {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try queue.write { db in
            try db.execute(sql: Schema.v1)
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v1')")
            for id in ["USA", "GBR"] {
                let o = Fixture.organization(id)
                try db.execute(sql: "INSERT INTO organization (id, name, kind, publicKey, sealedPrivateKey, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [o.id, o.name, o.kind.rawValue, o.publicKey, o.sealedPrivateKey, o.createdAt])
            }
            let m = Fixture.member("m-usa", of: "USA")
            try db.execute(sql: """
                INSERT INTO member (id, organizationId, name, roles, clearance, compartments, topics, tokenHash, status, throttled, secondedTo, createdAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [m.id, m.organization, m.name, m.roles.map(\.rawValue).joined(separator: ","), m.clearance.rawValue,
                                 "", m.topics.joined(separator: ","), m.tokenHash, m.status.rawValue, false, nil, m.createdAt])
            let r = expectedReport.report
            try db.execute(sql: """
                INSERT INTO report (id, originator, title, titleMarking, sourceGrade, topics, createdBy, createdAt, signature)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.id, r.originator, r.title, r.titleMarking.portionMark, r.sourceGrade.code, r.topics.joined(separator: ","),
                                 r.createdBy, r.createdAt, expectedReport.signature])
            for p in r.portions {
                try db.execute(sql: "INSERT INTO portion (reportId, idx, marking, sourcesAndMethods, text) VALUES (?, ?, ?, ?, ?)",
                               arguments: [r.id, p.index, p.marking.portionMark, p.sourcesAndMethods, p.text])
            }
            for e in r.entities {
                try db.execute(sql: "INSERT INTO entityMention (reportId, portionIdx, type, value) VALUES (?, ?, ?, ?)",
                               arguments: [r.id, e.portion, e.type, e.value])
            }
            for (id, portions, revokedAt) in [("rel-title-0", "0,\(Report.titleIndex)", nil), ("rel-1", "1", nil), ("rel-revoked", "0,1,\(Report.titleIndex)", Int64?(5))] {
                try db.execute(sql: """
                    INSERT INTO release (id, reportId, originator, recipient, portions, banner, orconApproved, createdBy, createdAt,
                                         signature, revokedAt, revokedBy)
                    VALUES (?, 'r-1', 'USA', 'GBR', ?, ?, 0, 'm-usa', 1, ?, ?, ?)
                    """, arguments: [id, portions, secretMarking.banner, Data("sig-\(id)".utf8), revokedAt, revokedAt == nil ? nil : "m-usa"])
            }
            for i in stride(from: 1, through: auditEntries, by: 1) {
                let e = v1Audit(i)
                try db.execute(sql: """
                    INSERT INTO auditEvent (at, actor, organization, concerns, action, object, decision, reasons, detail)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [e.at, e.actor, e.organization, e.concerns, e.action, e.object, e.decision,
                                     e.reasons.joined(separator: ","), e.detail])
            }
            for seq in skipped { try db.execute(sql: "DELETE FROM auditEvent WHERE seq = ?", arguments: [seq]) }
        }
    }

    static func expectNoSecrets(in path: String, _ when: String) throws {
        for secret in secrets + markers {
            #expect(try FileBytes.holding(secret, in: path).isEmpty, "\(when): '\(secret)' is in the clear")
        }
    }

    @Test func theV1FixtureHoldsTheTextInTheClear() async throws {
        // The control for the tests below: before the migration the byte search finds every secret.
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("v1.db").path
            try Self.makeV1(at: path, auditEntries: 3)
            for secret in Self.secrets {
                #expect(try !FileBytes.holding(secret, in: path).isEmpty, "'\(secret)' should be in the v1 file")
            }
            let (migrations, columns) = try withRawDatabase(path) { db in
                (try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"),
                 try db.columns(in: "auditEvent").map(\.name))
            }
            #expect(migrations == ["v1"])
            #expect(!columns.contains("hash"))
        }
    }

    @Test(arguments: [0, 3, 1030])
    func openingAV1DatabaseSealsTheTextAndChainsTheLog(auditEntries: Int) async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("v1.db").path
            try Self.makeV1(at: path, auditEntries: auditEntries)
            let store = try SQLiteStore(path: path, masterKey: testMasterKey)
            let expected = Self.expectedReport

            // The text reads back through the store, from the sealed copies.
            let (report, withTitle, withoutTitle, revoked) = try await store.read { s in
                (try s.report(id: "r-1"), try s.releaseContent(id: "rel-title-0"), try s.releaseContent(id: "rel-1"),
                 try s.releaseContent(id: "rel-revoked"))
            }
            #expect(report == expected)
            #expect(withTitle == ReleaseContent(of: expected.report, included: PortionSet([0, Report.titleIndex])))
            #expect(withTitle?.title == Self.title)
            #expect(withTitle?.portions == [0: Self.portion0])
            #expect(withoutTitle == ReleaseContent(of: expected.report, included: PortionSet([1])))
            #expect(withoutTitle?.title == nil)
            #expect(withoutTitle?.entities == [EntityMention(type: "place", value: Self.place, portion: 1)])
            #expect(revoked == nil, "a release revoked in v1 gets no copy")

            // The plain columns are blanked; entity values are blind indexes; the migration is recorded.
            let raw = try withRawDatabase(path) { db in
                (title: try String.fetchOne(db, sql: "SELECT title FROM report WHERE id = 'r-1'"),
                 sealed: try Bool.fetchOne(db, sql: "SELECT dataKey IS NOT NULL AND sealed IS NOT NULL FROM report WHERE id = 'r-1'"),
                 texts: try String.fetchAll(db, sql: "SELECT text FROM portion WHERE reportId = 'r-1' ORDER BY idx"),
                 releases: try Row.fetchAll(db, sql: "SELECT id, dataKey IS NOT NULL AS keyed, sealed IS NOT NULL AS hasCopy FROM release ORDER BY id"),
                 migrations: try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"),
                 triggers: try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            }
            #expect(raw.title == "")
            #expect(raw.sealed == true)
            #expect(raw.texts == ["", ""])
            #expect(try storedMentions(path, report: "r-1").count == 2)
            #expect(raw.releases.map { "\($0["id"] as String) \($0["keyed"] as Int) \($0["hasCopy"] as Int)" } == [
                "rel-1 1 1", "rel-revoked 0 0", "rel-title-0 1 1",
            ])
            #expect(raw.migrations == ["v1", "v10-member-created-by", "v11-taxii-versions-per-organisation", "v12-console-sessions", "v13-audit-witnesses", "v14-default-api-root", "v15-private-discovery", "v2-sealed-text-and-audit-chain", "v3-entity-index", "v4-feedback", "v5-trust-dynamics", "v6-exchange-ledger", "v7-taxii", "v8-federation", "v9-directional-trust"])
            #expect(Set(raw.triggers) == Set(ChainFixture.triggers))

            // The audit log: chained, signed, verified, and the v1 entries unchanged.
            let verification = try AuditVerifier.verify(databaseAt: path, publicKey: store.auditPublicKey)
            #expect(verification.isIntact, "\(verification.problem ?? "")")
            #expect(verification.entries == Int64(auditEntries))
            #expect(verification.checkpoints == auditEntries / 1024)
            #expect(verification.head?.seq == (auditEntries == 0 ? nil : Int64(auditEntries)))
            let events = try await store.read { s in try s.auditEvents(AuditQuery(limit: 10_000)) }
            #expect(events.map(\.withoutSeq) == (0..<auditEntries).map { Self.v1Audit($0 + 1) })
            #expect(events.compactMap(\.seq) == (0..<auditEntries).map { Int64($0 + 1) })

            // The store appends to the migrated chain, and it still verifies.
            try await store.write { s in try s.appendAudit(Fixture.audit(at: 2_000_000_000_000, action: "after-migration")) }
            let after = try AuditVerifier.verify(databaseAt: path, publicKey: store.auditPublicKey)
            #expect(after.isIntact, "\(after.problem ?? "")")
            #expect(after.head?.seq == Int64(auditEntries + 1))
            let stranger = try AuditVerifier.verify(databaseAt: path, publicKey: MasterKey.random().auditSigningKey.publicKey)
            #expect(!stranger.isIntact, "control: another node's key does not verify the migrated log")

            // A report written by v2 with the same entity gets the same blind index as the migrated one.
            try await store.write { s in
                var other = Fixture.report("r-2", originator: "USA", createdBy: "m-usa", createdAt: 3)
                other.report.entities = [EntityMention(type: "person", value: Self.person.uppercased(), portion: 0)]
                try s.insertReport(other)
            }
            let migrated = try storedMentions(path, report: "r-1").first { $0.kind == "person" }?.entity
            #expect(migrated != nil)
            #expect(try storedMentions(path, report: "r-2").map(\.entity) == [migrated!])

            // The file: after a checkpoint, no text of the report remains anywhere (secure_delete is on).
            try FileBytes.checkpoint(path)
            #expect(try FileBytes.holding(Self.plainTopic, in: path) == ["v1.db"], "control: the plain topic is found in the file")
            try Self.expectNoSecrets(in: path, "after the migration and a checkpoint")

            // Reopening runs nothing twice and still reads the text.
            let reopened = try SQLiteStore(path: path, masterKey: testMasterKey)
            #expect(try await reopened.read { s in try s.report(id: "r-1") } == expected)
        }
    }

    @Test func aGapInTheV1LogIsNotLaunderedByTheMigration() async throws {
        // v1 had no append-only guard: an entry deleted before the upgrade must still show as missing.
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("v1.db").path
            try Self.makeV1(at: path, auditEntries: 9, skippingSeq: [4])
            let store = try SQLiteStore(path: path, masterKey: testMasterKey)
            let result = try AuditVerifier.verify(databaseAt: path, publicKey: store.auditPublicKey)
            #expect(!result.isIntact)
            #expect(result.firstBad == 4, "\(result.problem ?? "")")
            #expect(result.entries == 8)
            // Control: the text side of the migration is unaffected.
            #expect(try await store.read { s in try s.report(id: "r-1") } == Self.expectedReport)
        }
    }

    @Test func aV1DatabaseOpenedWithAWrongKeyLaterCannotBeRead() async throws {
        // The migration seals under the key it is opened with; that key, and only it, reads the text.
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("v1.db").path
            try Self.makeV1(at: path, auditEntries: 3)
            let migrating = try SQLiteStore(path: path, masterKey: testMasterKey)
            #expect(try await migrating.read { s in try s.report(id: "r-1") } == Self.expectedReport)
            let stranger = try SQLiteStore(path: path, masterKey: MasterKey.random())
            await #expect(throws: StoreError.corruptRow("report.sealed")) {
                try await stranger.read { s in try s.report(id: "r-1") }
            }
            await #expect(throws: StoreError.corruptRow("release.sealed")) {
                try await stranger.read { s in try s.releaseContent(id: "rel-1") }
            }
        }
    }
}
