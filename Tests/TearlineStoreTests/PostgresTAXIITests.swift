import Foundation
import TearlineCore
@testable import TearlineStore
import Testing

/// The TAXII, federation and ledger repositories on PostgreSQL read back what they wrote, in the SQLite order.
@Suite struct PostgresTAXIITests {
    private static func object(_ stixId: String, version: Int64, added: Int64, owner: String = "USA", type: String = "indicator",
                               collection: String) -> TAXIIObjectRecord {
        TAXIIObjectRecord(collection: collection, stixId: stixId, type: type, version: version, specVersion: "2.1", dateAdded: added,
                          owner: owner, postedBy: owner == "USA" ? "m-usa" : nil, marking: "UNCLASSIFIED", body: Data("{\"id\":\"\(stixId)\",\"v\":\(version)}".utf8))
    }

    @Test(.enabled(if: PostgresSchemaTests.url != nil)) func taxiiRoundTrip() async throws {
        try await withMigratedPostgres { database in
            let context = StoreContext(masterKey: testMasterKey)
            let holdings = TAXIICollectionKind.holdings.collectionId(organization: "USA")
            let a = "indicator--a", b = "indicator--b"
            let objects = [Self.object(a, version: 1, added: 10, collection: holdings), Self.object(a, version: 2, added: 20, collection: holdings),
                           Self.object(a, version: 3, added: 30, owner: "GBR", collection: holdings),
                           Self.object(b, version: 1, added: 15, type: "malware", collection: holdings)]
            try await database.transaction(readOnly: false) { link in
                let s = PostgresSession(link: link, context: context, readOnly: false)
                try s.insertOrganization(Fixture.organization("USA"))
                try s.insertOrganization(Fixture.organization("GBR"))
                try s.insertMember(Fixture.member("m-usa", of: "USA"))
                for o in objects { #expect(try s.insertObject(o)) }
                #expect(try s.insertObject(objects[0]) == false, "the same owner, id and version is already held")
                try s.insertApiRoot(TAXIIApiRootRecord(name: "extra", title: "Extra", description: "d", maxContentLength: 1000, createdAt: 5))
                try s.insertCollection(TAXIICollectionRecord(id: "c-comm", apiRoot: "extra", kind: .community, organization: nil, title: "C",
                                                             description: "D", alias: "comm", readers: ["USA", "GBR"], writers: ["USA"],
                                                             topics: ["terrorism"], defaultMarking: "UNCLASSIFIED", createdAt: 6))
                try s.insertStatus(TAXIIStatusRecord(id: "st-1", apiRoot: "extra", member: "m-usa", requestTimestamp: 7, total: 2,
                                                     successes: ["{\"id\":1}", "{\"id\":2}"], failures: [], pendings: []))
                try s.setCredential(MemberCredentialRecord(member: "m-usa", login: "usa", passwordHash: "h1", updatedAt: 1))
                try s.setCredential(MemberCredentialRecord(member: "m-usa", login: "usa2", passwordHash: "h2", updatedAt: 2))
            }
            try await database.transaction(readOnly: true) { link in
                let s = PostgresSession(link: link, context: context, readOnly: true)
                #expect(try s.apiRoots().map(\.name) == ["extra", MigrationV7.defaultRoot], "by creation time")
                #expect(try s.apiRoot(name: "extra") == TAXIIApiRootRecord(name: "extra", title: "Extra", description: "d", maxContentLength: 1000, createdAt: 5))
                #expect(try s.collections(apiRoot: MigrationV7.defaultRoot).count == 4)
                #expect(try s.collection(kind: .holdings, organization: "USA")?.id == holdings)
                let community = try #require(try s.collection(id: "c-comm"))
                #expect(community.organization == nil && community.alias == "comm" && community.readers == ["USA", "GBR"] && community.topics == ["terrorism"])
                let all = try s.objects(TAXIIObjectQuery(collection: holdings, versions: [.all], limit: 10))
                #expect(all == [objects[0], objects[3], objects[1], objects[2]], "date added, id, version; bodies opened")
                let last = try s.objects(TAXIIObjectQuery(collection: holdings, limit: 10))
                #expect(last.map { "\($0.stixId)@\($0.version)/\($0.owner)" } == ["\(b)@1/USA", "\(a)@2/USA", "\(a)@3/GBR"], "last per owner")
                let first = try s.objects(TAXIIObjectQuery(collection: holdings, ids: [a], versions: [.first, .at(2)], owner: "USA", limit: 10))
                #expect(first.map(\.version) == [1, 2])
                let after = try s.objects(TAXIIObjectQuery(collection: holdings, after: objects[3].position, versions: [.all], limit: 1))
                #expect(after == [objects[1]])
                #expect(try s.objects(TAXIIObjectQuery(collection: holdings, addedAfter: 20, versions: [.all], limit: 10)) == [objects[2]])
                #expect(try s.objects(TAXIIObjectQuery(collection: holdings, types: ["malware"], specVersions: ["2.1"], versions: [.all], limit: 10)) == [objects[3]])
                #expect(try s.status(id: "st-1")?.successes == ["{\"id\":1}", "{\"id\":2}"])
                #expect(try s.status(id: "st-1")?.failures == [])
                #expect(try s.credential(login: "usa") == nil)
                #expect(try s.credential(member: "m-usa") == MemberCredentialRecord(member: "m-usa", login: "usa2", passwordHash: "h2", updatedAt: 2))
            }
            let (deleted, left) = try await database.transaction(readOnly: false) { link in
                let s = PostgresSession(link: link, context: context, readOnly: false)
                let n = try s.deleteObjects(collection: holdings, stixId: a, owner: "USA", versions: [.all], specVersions: [])
                return (n, try s.objects(TAXIIObjectQuery(collection: holdings, ids: [a], versions: [.all], limit: 10)))
            }
            #expect(deleted == 2 && left == [objects[2]], "only the owner's versions are deleted")
        }
    }

    @Test(.enabled(if: PostgresSchemaTests.url != nil)) func federationAndLedgerRoundTrip() async throws {
        try await withMigratedPostgres { database in
            let context = StoreContext(masterKey: testMasterKey)
            let releases = [Fixture.release("rel-2", report: "r-1", originator: "GBR", recipient: "USA", createdAt: 2),
                            Fixture.release("rel-1", report: "r-1", originator: "GBR", recipient: "USA", createdAt: 2),
                            Fixture.release("rel-3", report: "r-1", originator: "GBR", recipient: "USA", createdAt: 3)]
            let term = TermRecord(id: "t-1", partnership: "p-1", askedBy: "GBR", owedBy: "USA", releaseId: "rel-1", rfiId: nil,
                                  text: "Share the follow-up", createdAt: 5, updatedAt: 5)
            let rfi1 = RFIRecord(id: "q-1", partnership: "p-1", requester: "USA", responder: "GBR", requestedBy: "m-usa", question: "Who?", createdAt: 4)
            let rfi2 = RFIRecord(id: "q-2", partnership: "p-1", requester: "GBR", responder: "USA", requestedBy: "m-usa", question: "Where?", createdAt: 4)
            try await database.transaction(readOnly: false) { link in
                let s = PostgresSession(link: link, context: context, readOnly: false)
                for id in ["USA", "GBR"] { try s.insertOrganization(Fixture.organization(id)) }
                try s.insertMember(Fixture.member("m-usa", of: "USA"))
                try link.execute("""
                    INSERT INTO report (id, originator, title, titleMarking, sourceGrade, topics, createdBy, createdAt, signature)
                    VALUES ('r-1', 'GBR', 't', 'U', 'B2', '', 'm-usa', 1, '\\x00')
                    """)
                for r in releases {
                    try link.execute("""
                        INSERT INTO release (id, reportId, originator, recipient, portions, banner, orconApproved, createdBy, createdAt, signature)
                        VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
                        """, [.text(r.id), .text(r.reportId), .text(r.originator), .text(r.recipient), .text(SQLiteSession.encode(r.portions)),
                              .text(r.banner.banner), .text(r.createdBy), .int(r.createdAt), .bytes(r.signature)])
                }
                try link.execute("UPDATE release SET revokedAt = 9, revokedBy = 'm-gbr' WHERE id = 'rel-3'")
                try s.insertPeer(PeerRecord(organization: "GBR", url: "https://gbr:8443", pins: ["a", "b"], createdAt: 1, updatedAt: 1))
                try s.updatePeer(PeerRecord(organization: "GBR", url: "https://gbr:9443", pins: ["c"], createdAt: 1, updatedAt: 2))
                try s.saveFederationCursor(FederationCursor(peer: "GBR", organization: "USA", pulledAfter: "x", pushedAuditSeq: 3, pushedFeedbackAt: 4))
                try s.saveFederationCursor(FederationCursor(peer: "GBR", organization: "USA", pulledAfter: "y", pushedAuditSeq: 5, pushedFeedbackAt: 6))
                try s.insertPartnership(PartnershipRecord(id: "p-1", first: "GBR", second: "USA", kind: .peer, dominant: nil,
                                                          firstStance: PartnershipStance(trust: .high, suspended: false),
                                                          secondStance: PartnershipStance(trust: .high, suspended: false), createdAt: 1, updatedAt: 1))
                try s.setInterests(["b", "a", "a"], organization: "USA")
                try s.setInterests(["z", "c"], organization: "USA")
                try s.insertLedgerEntry(LedgerEntryRecord(id: "l-2", partnership: "p-1", giver: "GBR", receiver: "USA", releaseId: "rel-2", value: 1.5, at: 3))
                try s.insertLedgerEntry(LedgerEntryRecord(id: "l-1", partnership: "p-1", giver: "GBR", receiver: "USA", releaseId: "rel-1", value: 0.25, at: 3))
                try s.insertRFI(rfi1)
                try s.insertRFI(rfi2)
                try s.insertTerm(term)
            }
            try await database.transaction(readOnly: false) { link in
                let s = PostgresSession(link: link, context: context, readOnly: false)
                #expect(try s.peers() == [PeerRecord(organization: "GBR", url: "https://gbr:9443", pins: ["c"], createdAt: 1, updatedAt: 2)])
                #expect(try s.peer(organization: "USA") == nil)
                #expect(try s.federationCursor(peer: "GBR", organization: "USA")
                        == FederationCursor(peer: "GBR", organization: "USA", pulledAfter: "y", pushedAuditSeq: 5, pushedFeedbackAt: 6))
                #expect(try s.federationCursor(peer: "GBR", organization: "GBR") == FederationCursor(peer: "GBR", organization: "GBR"))
                #expect(try s.releases(recipient: "USA", originators: ["GBR", "DEU"], after: nil, limit: 10).map(\.id) == ["rel-1", "rel-2"])
                #expect(try s.releases(recipient: "USA", originators: ["GBR"], after: (2, "rel-1"), limit: 10) == [releases[0]])
                #expect(try s.releases(recipient: "USA", originators: [], after: nil, limit: 10).isEmpty)
                #expect(try s.revokedReleases(recipient: "USA", originators: ["GBR"]).map(\.revokedAt) == [9])
                #expect(try s.interests(organization: "USA") == ["c", "z"])
                #expect(try s.ledger(partnership: "p-1").map(\.id) == ["l-1", "l-2"])
                #expect(try s.ledger(partnership: "p-1").map(\.value) == [0.25, 1.5])
                #expect(try s.term(id: "t-1") == term)
                var met = term
                met.status = "met"
                met.updatedAt = 8
                try s.updateTerm(met)
                #expect(try s.terms(partnership: "p-1") == [met])
                #expect(try s.rfis(involving: "USA") == [rfi2, rfi1], "newest first, then id descending")
                var answered = rfi1
                answered.status = "answered"
                answered.answerReleaseId = "rel-1"
                answered.answeredAt = 9
                try s.updateRFI(answered)
                #expect(try s.rfi(id: "q-1") == answered)
                let raw = try link.row("SELECT sealedQuestion FROM rfi WHERE id = 'q-2'").map { try $0.data("sealedQuestion") }
                #expect(try #require(raw).range(of: Data("Where?".utf8)) == nil)
            }
        }
    }
}
