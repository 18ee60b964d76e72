import Foundation
import TearlineCore
@testable import TearlineStore
import Testing

/// Releases, received copies, access requests, feedback and trust on PostgreSQL read back what they wrote.
@Suite struct PostgresReleaseTests {
    /// A report row with a key and text, one portion and a mention row, written without the report repository.
    static func insertRawReport(_ id: String, originator: String, createdBy: String, link: PostgresLink) throws {
        try link.execute("""
            INSERT INTO report (id, originator, title, titleMarking, sourceGrade, topics, createdBy, createdAt, signature, dataKey, sealed)
            VALUES (?, ?, 'Title', 'U', 'B2', 'terrorism,drugs', ?, 1, ?, ?, ?)
            """, [.text(id), .text(originator), .text(createdBy), .bytes(Data([1])), .bytes(Data([2])), .bytes(Data([3]))])
        try link.execute("INSERT INTO portion (reportId, idx, marking, sourcesAndMethods, text) VALUES (?, 0, 'U', 0, 'text')", [.text(id)])
        let rowid = try #require(try link.row("SELECT rowid FROM report WHERE id = ?", [.text(id)])).int("rowid")
        try link.execute("INSERT INTO mention (report, mentions) VALUES (?, ?)", [.int(rowid), .bytes(Data([9]))])
    }

    @Test(.enabled(if: PostgresSchemaTests.url != nil)) func releasesPageRevokeAndDestroyReceivedCopies() async throws {
        try await withMigratedPostgres { database in
            let context = StoreContext(masterKey: testMasterKey)
            let content = ReleaseContent(title: "Courier network", portions: [0: "Text of r-1."], entities: [])
            var revocation = Fixture.release("l-2", report: "r-1", originator: "USA", recipient: "GBR", createdAt: 20)
            revocation.revokedAt = 30
            revocation.revokedBy = "m-usa"
            let revoked = revocation
            let releases = [Fixture.release("l-1", report: "r-1", originator: "USA", recipient: "GBR", createdAt: 10),
                            Fixture.release("l-2", report: "r-1", originator: "USA", recipient: "GBR", createdAt: 20),
                            Fixture.release("l-3", report: "r-1", originator: "USA", recipient: "GBR", createdAt: 20)]
            let (first, second, byReport, one, text, gone, raw) = try await database.transaction(readOnly: false) { link in
                let s = PostgresSession(link: link, context: context, readOnly: false)
                for id in ["USA", "GBR"] {
                    try s.insertOrganization(Fixture.organization(id))
                    try s.insertMember(Fixture.member("m-\(id.lowercased())", of: id))
                }
                try Self.insertRawReport("r-1", originator: "USA", createdBy: "m-usa", link: link)
                for r in releases { try s.insertRelease(r, content: content) }
                let first = try s.releases(recipient: "GBR", after: nil, limit: 2)
                let second = try s.releases(recipient: "GBR", after: first.next, limit: 2)
                let text = try s.releaseContent(id: "l-2")
                try s.updateRelease(revoked)
                let raw = try link.row("SELECT dataKey, sealed FROM release WHERE id = 'l-2'").map { try $0.optionalData("dataKey") == nil && $0.optionalData("sealed") == nil }
                return (first, second, try s.releases(report: "r-1"), try s.release(id: "l-2"), text, try s.releaseContent(id: "l-2"), raw)
            }
            #expect(first.items.map(\.id) == ["l-3", "l-2"] && first.next != nil)
            #expect(second.items == [releases[0]] && second.next == nil)
            #expect(byReport.map(\.id) == ["l-1", "l-2", "l-3"])
            #expect(one == revoked)
            #expect(text == content && gone == nil && raw == true)

            // A received copy: report r-9 of DEU, held by USA through release l-9 alone.
            let received = Fixture.release("l-9", report: "r-9", originator: "DEU", recipient: "USA", createdAt: 40)
            let (reportRow, portions, mentions, notes) = try await database.transaction(readOnly: false) { link in
                let s = PostgresSession(link: link, context: context, readOnly: false)
                try s.insertOrganization(Fixture.organization("DEU"))
                try s.insertMember(Fixture.member("m-deu", of: "DEU"))
                try Self.insertRawReport("r-9", originator: "DEU", createdBy: "m-deu", link: link)
                try s.insertRelease(received, content: content)
                try s.insertNotification(NotificationRecord(id: "n-1", member: "m-usa", kind: "correlation", detail: #"{"document":"l-9"}"#, createdAt: 1))
                try s.insertNotification(NotificationRecord(id: "n-2", member: "m-usa", kind: "correlation", detail: #"{"document":"l-1"}"#, createdAt: 2))
                try s.destroyReceivedCopy(of: received)
                try s.destroyReceivedCopy(of: received)
                // r-1 is shared by three releases: untouched.
                try s.destroyReceivedCopy(of: releases[0])
                let reportRow = try link.rows("SELECT id, title, topics FROM report WHERE dataKey IS NULL AND sealed IS NULL").map { try $0.string("id") }
                let portions = try link.rows("SELECT reportId FROM portion ORDER BY reportId").map { try $0.string("reportId") }
                let mentions = try link.row("SELECT COUNT(*) AS n FROM mention").map { try $0.int("n") }
                return (reportRow, portions, mentions, try s.notifications(member: "m-usa", limit: 10).map(\.id))
            }
            #expect(reportRow == ["r-9"] && portions == ["r-1"] && mentions == 1 && notes == ["n-2"])
        }
    }

    @Test(.enabled(if: PostgresSchemaTests.url != nil)) func accessRequestsFeedbackAndTrustRoundTrip() async throws {
        try await withMigratedPostgres { database in
            let context = StoreContext(masterKey: testMasterKey)
            let request = AccessRequestRecord(id: "q-1", requester: "m-gbr", requesterOrganization: "GBR", holder: "USA",
                                              entity: 1 << 40, reports: ["r-1", "r-2"], justification: "Port of Felixstowe", createdAt: 5)
            var decision = request
            decision.status = .granted
            decision.decidedBy = "m-usa"
            decision.decidedAt = 6
            decision.outcome = ["l-1"]
            let decided = decision
            let older = FeedbackRecord(id: "f-1", releaseId: "l-1", organization: "GBR", member: "m-gbr", verdict: .confirmed, note: "spot on", createdAt: 1)
            let newer = FeedbackRecord(id: "f-2", releaseId: "l-1", organization: "GBR", member: "m-gbr", verdict: .refuted, note: nil, createdAt: 2)
            let change = TrustChangeRecord(id: "t-1", partnership: "p-1", changedBy: "m-usa", organization: "USA", fromTrust: .high, toTrust: .low,
                                           fromStatus: .active, toStatus: .suspended, reason: "leak", at: 3)
            let breach = BreachRecord(id: "b-1", partnership: "p-1", against: "GBR", kind: .leakTraced, detail: "copy", response: "recommended",
                                      trust: .low, at: 4)
            let result = try await database.transaction(readOnly: false) { link in
                let s = PostgresSession(link: link, context: context, readOnly: false)
                for id in ["USA", "GBR"] {
                    try s.insertOrganization(Fixture.organization(id))
                    try s.insertMember(Fixture.member("m-\(id.lowercased())", of: id))
                }
                try Self.insertRawReport("r-1", originator: "USA", createdBy: "m-usa", link: link)
                try s.insertRelease(Fixture.release("l-1", report: "r-1", originator: "USA", recipient: "GBR", createdAt: 1), content: .none)
                try s.insertAccessRequest(request)
                let before = try s.accessRequest(id: "q-1")
                try s.updateAccessRequest(decided)
                let incoming = try s.accessRequests(holder: "USA", requesterOrganization: nil, limit: 5)
                let outgoing = try s.accessRequests(holder: nil, requesterOrganization: "GBR", limit: 5)
                try s.insertFeedback(older)
                try s.insertFeedback(newer)
                let unknown = (try? s.insertFeedback(FeedbackRecord(id: "f-3", releaseId: "l-x", organization: "GBR", member: "m-gbr",
                                                                    verdict: .confirmed, note: nil, createdAt: 3))) == nil
                try s.insertPartnership(PartnershipRecord(id: "p-1", first: "GBR", second: "USA", kind: .peer, dominant: nil,
                                                          firstStance: PartnershipStance(trust: .high, suspended: false),
                                                          secondStance: PartnershipStance(trust: .high, suspended: false), createdAt: 1, updatedAt: 1))
                try s.insertTrustChange(change)
                try s.insertBreach(breach)
                let responseBefore = try s.breachResponse(organization: "USA")
                try s.setBreachResponse(.automatic, organization: "USA")
                return (before, incoming, outgoing, try s.feedback(release: "l-1"), try s.feedbackReceived(originator: "USA", limit: 1),
                        try s.currentVerdicts(originator: "USA"), unknown, try s.trustChanges(partnership: "p-1"), try s.breaches(partnership: "p-1"),
                        responseBefore, try s.breachResponse(organization: "USA"), try s.breachResponse(organization: "XXX"))
            }
            #expect(result.0 == request && result.1 == [decided] && result.2 == [decided])
            #expect(result.3 == [older, newer] && result.4 == [newer])
            #expect(result.5 == [CurrentVerdict(releaseId: "l-1", verdict: .refuted, topics: ["terrorism", "drugs"], organization: "GBR")])
            #expect(result.6)
            #expect(result.7 == [change] && result.8 == [breach])
            #expect(result.9 == .recommend && result.10 == .automatic && result.11 == .recommend)
        }
    }
}
