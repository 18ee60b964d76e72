import Foundation
import NIOHTTP1
import TearlineCore
import TearlineStore
@testable import TearlineServer
import Testing

/// Story 1 across two nodes: USA on node A releases a SECRET//REL TO USA, GBR report to GBR on
/// node B. B pulls it over TAXII and mutual TLS, verifies USA's signature, and its analysts read
/// what their clearance allows. Feedback, receipts and a consent request travel back to A;
/// A's decisions, revocations and suspension travel to B. Every refusal is tested too.
@Suite(.serialized) struct FederationStoryOneTests {
    /// Releases the story's report from USA to GBR on node A; returns the release id.
    static func releaseCourierReport(_ nodes: TwoNodes) async throws -> String {
        let report = try await nodes.a.createReport(StoryOneTests.courierReport)
        return try await nodes.a.releaseId(report, to: "GBR")
    }

    /// Both nodes on each backend that keeps its data: federation works on PostgreSQL as on SQLite.
    @Test(arguments: TestBackend.allCases.filter { $0 != .sqliteMemory })
    func gbrPullsTheReleaseAndReadsItAsOnOneNode(backend: TestBackend) async throws {
        try await withTwoNodes(backend: backend) { nodes in
            let releaseId = try await Self.releaseCourierReport(nodes)
            #expect(try await nodes.b.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret").code == 404, "nothing on B before the pull")

            let summary = try await nodes.pull()
            #expect(summary.received == 1)
            #expect(summary.refused.isEmpty)
            #expect(summary.partnershipStatus == "active")

            let cleared = try await nodes.b.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret")
            #expect(cleared.code == 200)
            #expect(cleared.string("originator") == "USA")
            #expect(cleared.string("recipient") == "GBR")
            #expect(cleared.string("title") == "Courier network in the Gulf")
            #expect(cleared.portionIndexes == [0, 1, 2])
            #expect(cleared.string("banner") == "SECRET//REL TO USA, GBR")
            #expect(!cleared.text.contains("recruited employee"), "sources and methods never leave node A")

            let lower = try await nodes.b.get("/v1/releases/\(releaseId)", as: "gbr-analyst-confidential")
            #expect(lower.code == 200)
            #expect(lower.portionIndexes == [1, 2], "a CONFIDENTIAL analyst on B sees only the portions at their level")
            #expect(!lower.text.contains("three exchange houses"))

            let verify = try await nodes.b.get("/v1/releases/\(releaseId)/verify", as: "gbr-analyst-secret")
            #expect(verify.object["valid"] as? Bool == true, "B verifies USA's signature with the key registered for USA")
            #expect(verify.string("publicKey") == (try await nodes.a.get("/v1/organizations/USA", as: "admin").string("publicKey")))

            let inbox = try await nodes.b.get("/v1/releases", as: "gbr-analyst-secret")
            #expect(inbox.objects("items").compactMap { $0["id"] as? String } == [releaseId])

            let again = try await nodes.pull()
            #expect(again.received == 0 && again.alreadyHeld == 0, "the cursor moved past what was pulled")
        }
    }

    @Test func feedbackReceiptsAndConsentRequestsTravelBackAndDecisionsReturn() async throws {
        try await withTwoNodes { nodes in
            let releaseId = try await Self.releaseCourierReport(nodes)
            _ = try await nodes.pull()
            #expect(try await nodes.b.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret").code == 200)
            #expect(try await nodes.b.get("/v1/releases/\(releaseId)", as: "gbr-analyst-confidential").code == 200)
            let feedback = try await nodes.b.post("/v1/releases/\(releaseId)/feedback", as: "gbr-analyst-secret", json: ["verdict": "confirmed"])
            #expect(feedback.code == 201)
            // The third-party rule on B: a forward of USA's release to FRA is refused and a consent request opened.
            let forward = try await nodes.b.post("/v1/releases/\(releaseId)/forward", as: "gbr-analyst-secret", json: ["recipient": "FRA"])
            #expect(forward.code == 403)
            #expect(forward.problemType == "third-party-rule")
            let consentId = try #require(forward.string("consentRequestId"))

            let summary = try await nodes.pull()
            #expect(summary.feedbackSent == 1)
            #expect(summary.consentRequestsSent == 1)
            #expect(summary.receiptsSent >= 2, "at least the two reads")

            // On A: USA's feedback, track record, receipts and the consent request.
            let received = try await nodes.a.get("/v1/feedback", as: "usa-releaser")
            #expect(received.code == 200)
            let verdicts = (received.object["items"] as? [[String: Any]] ?? received.array).compactMap { $0["verdict"] as? String }
            #expect(verdicts == ["confirmed"], "\(received)")
            let receipts = try await nodes.a.get("/v1/receipts/GBR", as: "usa-security")
            #expect(receipts.code == 200)
            let counts = receipts.object["counts"] as? [String: Int] ?? [:]
            #expect((counts["release.read:allow"] ?? 0) >= 2, "\(receipts)")
            let requests = try await nodes.a.get("/v1/consent-requests", as: "usa-releaser")
            let request = try #require(requests.array.first { $0["id"] as? String == consentId })
            #expect(request["holder"] as? String == "GBR")
            #expect(request["target"] as? String == "FRA")
            #expect(request["status"] as? String == "pending")
            let forwardsOnA = try await nodes.a.audit(as: "usa-security", "action=release.forward")
            #expect(forwardsOnA.contains { $0["object"] as? String == releaseId && $0["decision"] as? String == "deny" }, "the attempt stands in A's trail")

            // USA denies; B learns of it on its next exchange.
            let deny = try await nodes.a.post("/v1/consent-requests/\(consentId)/decision", as: "usa-releaser", json: ["decision": "deny"])
            #expect(deny.code == 200)
            let next = try await nodes.pull()
            #expect(next.consentDecisions == 1)
            let onB = try await nodes.b.get("/v1/consent-requests", as: "gbr-analyst-secret")
            #expect(onB.array.first { $0["id"] as? String == consentId }?["status"] as? String == "denied")
            // Receipts are not sent twice.
            let countsAfter = try await nodes.a.get("/v1/receipts/GBR", as: "usa-security").object["counts"] as? [String: Int] ?? [:]
            #expect(countsAfter["release.read:allow"] == counts["release.read:allow"])
        }
    }

    @Test func revocationAndSuspensionOnAReachEveryCopyOnB() async throws {
        try await withTwoNodes { nodes in
            let first = try await Self.releaseCourierReport(nodes)
            let second = try await Self.releaseCourierReport(nodes)
            #expect(try await nodes.pull().received == 2)
            let revoke = try await nodes.a.post("/v1/releases/\(first)/revoke", as: "usa-releaser")
            #expect(revoke.code == 200)
            #expect(try await nodes.pull().revoked == 1)
            #expect(try await nodes.b.get("/v1/releases/\(first)", as: "gbr-analyst-secret").code == 404, "a revoked copy is gone on B")
            #expect(try await nodes.b.get("/v1/releases/\(second)", as: "gbr-analyst-secret").code == 200)

            let third = try await Self.releaseCourierReport(nodes)
            let usaAdmin = try await nodes.a.post("/v1/organizations/USA/members", as: "admin", json: [
                "name": "usa-admin", "roles": ["admin"], "clearance": "SECRET", "compartments": [String](), "topics": [String](),
            ])
            let adminToken = try #require(usaAdmin.string("token"))
            let suspend = try await nodes.a.send(.patch, "/v1/partnerships/\(nodes.a.partnership("USA", "GBR"))", as: nil, json: ["status": "suspended"],
                                                 headers: [.authorization: "Bearer \(adminToken)"])
            #expect(suspend.code == 200, "\(suspend)")
            let summary = try await nodes.pull()
            #expect(summary.partnershipStatus == "suspended")
            #expect(summary.received == 0, "nothing goes over a suspended partnership")
            #expect(try await nodes.b.get("/v1/releases/\(second)", as: "gbr-analyst-secret").code == 404, "B loses every USA release at once")
            #expect(try await nodes.b.get("/v1/releases/\(third)", as: "gbr-analyst-secret").code == 404)
        }
    }

    @Test func aSuspensionDecidedOnTheRecipientsNodeIsNotUndoneByTheOriginatorsNode() async throws {
        try await withTwoNodes { nodes in
            let releaseId = try await Self.releaseCourierReport(nodes)
            _ = try await nodes.pull()
            let partnership = "/v1/partnerships/\(nodes.b.partnership("USA", "GBR"))"
            #expect(try await nodes.b.patch(partnership, as: "admin", json: ["status": "suspended"]).code == 200)
            #expect(try await nodes.pull().partnershipStatus == "active", "A still reports its side active")
            #expect(try await nodes.b.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret").code == 404, "GBR's own suspension holds on B")
            #expect(try await nodes.b.patch(partnership, as: "admin", json: ["status": "active"]).code == 200)
            #expect(try await nodes.b.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret").code == 200)
        }
    }

    @Test func aReleaseWhoseSignatureDoesNotVerifyIsRefusedAuditedAlertedAndReported() async throws {
        try await withTwoNodes(usaKeyOnB: Curve25519Key.random()) { nodes in
            let releaseId = try await Self.releaseCourierReport(nodes)
            let summary = try await nodes.pull()
            #expect(summary.received == 0)
            #expect(summary.refused.map(\.release) == [releaseId])
            #expect(summary.refused.first?.reason.contains("signature does not verify") == true)
            #expect(try await nodes.b.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret").code == 404, "nothing of it is stored")
            let denied = try await nodes.b.audit(as: "gbr-security", "action=federation.receive")
            #expect(denied.contains { $0["object"] as? String == releaseId && ($0["reasons"] as? [String]) == ["bad-signature"] })
            let alertsB = try await nodes.b.get("/v1/alerts", as: "gbr-security")
            #expect(alertsB.text.contains("federation-refused"))
            // The originator hears of it.
            let alertsA = try await nodes.a.get("/v1/alerts", as: "usa-security")
            #expect(alertsA.text.contains("federation-refused") && alertsA.text.contains(releaseId), "\(alertsA)")
            let onA = try await nodes.a.audit(as: "usa-security", "action=federation.refused")
            #expect(onA.contains { $0["object"] as? String == releaseId })
        }
    }

    @Test func aPartnerNodeReadsOnlyItsOwnOrganisationsReleasesAndSpeaksOnlyForIt() async throws {
        try await withTwoNodes { nodes in
            let releaseId = try await Self.releaseCourierReport(nodes)
            let client = try nodes.clientOfB()
            let accept: HTTPHeaders = ["Accept": "application/taxii+json;version=2.1"]
            func objects(of organization: String) -> String {
                "\(nodes.urlA)/tearline/collections/\(TAXIICollectionKind.received.collectionId(organization: organization))/objects/"
            }
            let own = try await client.get(objects(of: "GBR"), headers: accept)
            #expect(own.status == 200)
            #expect(String(decoding: own.body, as: UTF8.self).contains(releaseId))
            // The node's pull speaks TAXII: another media type, a forged next, a filter it does not offer are refused.
            #expect(try await client.get(objects(of: "GBR"), headers: ["Accept": "application/json"]).status == 406)
            #expect(try await client.get(objects(of: "GBR") + "?next=not-a-cursor", headers: accept).status == 400)
            #expect(try await client.get(objects(of: "GBR") + "?match%5Btype%5D=report", headers: accept).status == 400)
            #expect(try await client.get(objects(of: "GBR") + "?limit=0", headers: accept).status == 400)
            // FRA's releases are not GBR's: without a member's credentials that is simply unauthenticated.
            let fra = try await client.get(objects(of: "FRA"), headers: accept)
            #expect(fra.status == 401)
            // Other TAXII resources want a member: the node certificate opens only the pull.
            #expect(try await client.get(nodes.urlA + "/tearline/collections/", headers: accept).status == 401)
            // The exchange speaks only for the organisation the presented key is pinned for.
            let claim = #"{"organization":"FRA","receipts":[],"feedback":[],"consentRequests":[],"refused":[]}"#
            let asFRA = try await client.post(nodes.urlA + "/federation/v1/exchange", headers: ["Content-Type": "application/json"], body: Array(claim.utf8))
            #expect(asFRA.status == 404)
            // A feedback on a release not made to GBR is refused whole, and nothing is written.
            let other = try await nodes.a.createReport(StoryOneTests.courierReport)
            try await nodes.a.createPartnership("USA", "FRA", trust: "high")
            let fraRelease = try await nodes.a.releaseId(other, to: "FRA")
            let smuggled = """
                {"organization":"GBR","receipts":[],"consentRequests":[],"refused":[],
                 "feedback":[{"id":"fbk_ok","release":"\(releaseId)","verdict":"refuted","at":1},{"id":"fbk_x","release":"\(fraRelease)","verdict":"refuted","at":1}]}
                """
            let refused = try await client.post(nodes.urlA + "/federation/v1/exchange", headers: ["Content-Type": "application/json"], body: Array(smuggled.utf8))
            #expect(refused.status == 400)
            let feedback = try await nodes.a.get("/v1/feedback", as: "usa-releaser")
            #expect(!feedback.text.contains("fbk_ok") && !feedback.text.contains("refuted"), "all or nothing: \(feedback)")
            // Oversized fields are refused whole.
            let longReason = String(repeating: "x", count: 65)
            let oversized = """
                {"organization":"GBR","feedback":[],"consentRequests":[],"refused":[],
                 "receipts":[{"seq":1,"at":1,"actor":"m","action":"release.read","release":"\(releaseId)","decision":"allow","reasons":["\(longReason)"]}]}
                """
            #expect(try await client.post(nodes.urlA + "/federation/v1/exchange", headers: ["Content-Type": "application/json"], body: Array(oversized.utf8)).status == 400)
            // Unknown members of the body are refused like everywhere else.
            let typo = #"{"organization":"GBR","receipts":[],"feedback":[],"consentRequests":[],"refused":[],"revoke":[]}"#
            #expect(try await client.post(nodes.urlA + "/federation/v1/exchange", headers: ["Content-Type": "application/json"], body: Array(typo.utf8)).status == 400)
        }
    }

    @Test func theExchangeOverPlainHTTPOrWithoutACertificateIsUnauthenticated() async throws {
        try await withTwoNodes { nodes in
            let reply = try await nodes.a.send(.post, "/federation/v1/exchange", as: nil,
                                               raw: #"{"organization":"GBR","receipts":[],"feedback":[],"consentRequests":[],"refused":[]}"#)
            #expect(reply.code == 401)
            let gbrObjects = "/tearline/collections/\(TAXIICollectionKind.received.collectionId(organization: "GBR"))/objects/"
            #expect(try await nodes.a.send(.get, gbrObjects, as: nil, headers: [.accept: "application/taxii+json;version=2.1"]).code == 401)
        }
    }
}

/// A random Ed25519 public key, base64: a key that signed nothing.
enum Curve25519Key {
    static func random() -> String {
        Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }
}
