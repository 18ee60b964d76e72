import Foundation
import TearlineCore
@testable import TearlineStore
import Testing

/// The schema is created once, by whichever instance comes first, and a database of another
/// version is refused; the audit tables refuse edits from anyone.
@Suite struct PostgresSchemaTests {
    static let url = ProcessInfo.processInfo.environment["TEARLINE_TEST_DATABASE_URL"]

    @Test(.enabled(if: url != nil)) func twoInstancesMigrateAtOnceAndTheAuditTrailIsAppendOnly() async throws {
        let url = try PostgresURL(try #require(Self.url))
        let admin = PostgresDatabase(url: url, connections: 2)
        defer { admin.shutdown() }
        let schema = "t_\(UUID().uuidString.prefix(8).lowercased())"
        try await admin.transaction(readOnly: false) { link in try link.execute("CREATE SCHEMA \(schema)") }
        var scoped = url
        scoped.searchPath = schema
        let a = PostgresDatabase(url: scoped, connections: 2), b = PostgresDatabase(url: scoped, connections: 2)
        defer { a.shutdown(); b.shutdown() }
        async let first: Void = a.migrate()
        async let second: Void = b.migrate()
        _ = try await (first, second)
        let tables = try await a.transaction(readOnly: true) { link in
            try link.row("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = ?", [.text(schema)]).map { try $0.int("n") }
        }
        #expect(tables == 43, "the tables of v1–v15, the shared ones and the schema version")
        try await a.transaction(readOnly: false) { link in
            try link.execute("INSERT INTO auditHead VALUES (1, 5, ?, 1, ?)", [.bytes(Data([1])), .bytes(Data([2]))])
        }
        await #expect(throws: (any Error).self, "the head only moves forward") {
            try await a.transaction(readOnly: false) { link in try link.execute("UPDATE auditHead SET seq = 4") }
        }
        await #expect(throws: (any Error).self, "the head is never deleted") {
            try await a.transaction(readOnly: false) { link in try link.execute("DELETE FROM auditHead") }
        }
        try await admin.transaction(readOnly: false) { link in try link.execute("DROP SCHEMA \(schema) CASCADE") }
    }
}

/// The first repositories on PostgreSQL read back what they wrote, field for field.
@Suite struct PostgresSessionTests {
    @Test(.enabled(if: PostgresSchemaTests.url != nil)) func organisationsAndMembersRoundTrip() async throws {
        try await withMigratedPostgres { database in
        let context = StoreContext(masterKey: testMasterKey)
        let member = Fixture.member("m-usa", of: "USA")
        let (orgs, found, byToken, listed, exists, count) = try await database.transaction(readOnly: false) { link in
            let s = PostgresSession(link: link, context: context, readOnly: false)
            try s.insertOrganization(Fixture.organization("USA"))
            try s.insertOrganization(Fixture.organization("GBR", kind: .agency))
            try s.insertMember(member)
            try s.insertNodeCredential(tokenHash: Fixture.tokenHash("node"), createdAt: 1)
            return (try s.organizations(), try s.member(id: "m-usa"), try s.member(tokenHash: member.tokenHash), try s.members(organization: "USA"),
                    try s.nodeCredentialExists(tokenHash: Fixture.tokenHash("node")), try s.nodeCredentialCount())
        }
        #expect(orgs == [Fixture.organization("GBR", kind: .agency), Fixture.organization("USA")])
        #expect(found == member && byToken == member && listed == [member])
        #expect(exists && count == 1)
        await #expect(throws: (any Error).self, "a duplicate organisation is refused and nothing of the transaction stays") {
            try await database.transaction(readOnly: false) { link in
                let s = PostgresSession(link: link, context: context, readOnly: false)
                try s.insertOrganization(Fixture.organization("FRA"))
                try s.insertOrganization(Fixture.organization("USA"))
            }
        }
        let after = try await database.transaction(readOnly: true) { link in
            try PostgresSession(link: link, context: context, readOnly: true).organizations().map(\.id)
        }
        #expect(after == ["GBR", "USA"])
        }
    }
}

extension PostgresSessionTests {
    @Test(.enabled(if: PostgresSchemaTests.url != nil)) func partnershipsAndAlertsRoundTrip() async throws {
        try await withMigratedPostgres { database in
        let context = StoreContext(masterKey: testMasterKey)
        let original = PartnershipRecord(id: "p-1", first: "GBR", second: "USA", kind: .peer, dominant: nil,
                                            firstStance: PartnershipStance(trust: .high, suspended: false),
                                            secondStance: PartnershipStance(trust: .limited, suspended: true), createdAt: 1, updatedAt: 1)
        var changed = original
        changed.sides = PartnershipSides(first: "GBR", second: "USA", firstStance: PartnershipStance(trust: .low, suspended: true),
                                         secondStance: original.sides.secondStance)
        changed.updatedAt = 2
        let partnership = changed
        let alert = AlertRecord(id: "a-1", organization: "USA", subject: "m-usa", kind: "member-throttled", detail: "limit=reads", createdAt: 5)
        let (between, involving, open, resolved, openAfter) = try await database.transaction(readOnly: false) { link in
            let s = PostgresSession(link: link, context: context, readOnly: false)
            for id in ["USA", "GBR", "DEU"] { try s.insertOrganization(Fixture.organization(id)) }
            try s.insertMember(Fixture.member("m-usa", of: "USA"))
            try s.insertPartnership(original)
            try s.updatePartnership(partnership)
            try s.insertAlert(alert)
            let open = try s.alerts(organization: "USA", openOnly: true, limit: 10)
            let resolved = try s.resolveAlerts(subject: "m-usa", by: "m-sec", at: 6)
            return (try s.partnership(between: "USA", and: "GBR"), try s.partnerships(involving: "DEU"), open, resolved,
                    try s.alerts(organization: "USA", openOnly: true, limit: 10))
        }
        #expect(between == partnership, "read back in either order, with each side's own stance")
        #expect(involving.isEmpty)
        #expect(open == [alert] && resolved == 1 && openAfter.isEmpty)
        let note = NotificationRecord(id: "n-1", member: "m-usa", kind: "correlation", detail: "Jane Doe at the port", createdAt: 7)
        let (notes, raw) = try await database.transaction(readOnly: false) { link in
            let s = PostgresSession(link: link, context: context, readOnly: false)
            try s.insertNotification(note)
            return (try s.notifications(member: "m-usa", limit: 5), try link.row("SELECT sealedDetail FROM notification").map { try $0.data("sealedDetail") })
        }
        #expect(notes == [note])
        let sealed = try #require(raw)
        #expect(sealed.range(of: Data("Jane Doe".utf8)) == nil, "a notification's detail is sealed at rest")
        }
    }
}
