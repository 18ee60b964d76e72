import Foundation
import NIOHTTP1
import TearlineCore
import TearlineStore
@testable import TearlineServer
import Testing

/// A pinned partner node that probes — names releases made to others, speaks for an organisation
/// its key is not pinned for, sends what the protocol does not allow — is refused, and every
/// refusal stands in the originator's trail with the node's pin and the organisation it spoke
/// for; past a threshold its partners' security members are alerted, once.
@Suite(.serialized) struct FederationProbingTests {
    static let json: HTTPHeaders = ["Content-Type": "application/json"]

    static func exchange(_ nodes: TwoNodes, _ body: String) async throws -> Int {
        try await nodes.clientOfB().post(nodes.urlA + "/federation/v1/exchange", headers: json, body: Array(body.utf8)).status
    }

    static func refusals(_ nodes: TwoNodes) async throws -> [[String: Any]] {
        try await nodes.a.audit(as: "usa-security", "action=\(FederationService.federationRequestRefused.rawValue)")
    }

    @Test func everyRefusedRequestOfAPinnedNodeIsAuditedForItsPartnersAndAlertedOnce() async throws {
        try await withTwoNodes { nodes in
            let releaseId = try await FederationStoryOneTests.releaseCourierReport(nodes)
            try await nodes.a.createPartnership("USA", "FRA", trust: "high")
            let fraRelease = try await nodes.a.releaseId(try await nodes.a.createReport(StoryOneTests.courierReport), to: "FRA")
            let pin = nodes.nodeB.pin.description
            #expect(try await Self.refusals(nodes).isEmpty)

            // A good exchange is not a refusal.
            #expect(try await Self.exchange(nodes, #"{"organization":"GBR","receipts":[],"feedback":[],"consentRequests":[],"refused":[]}"#) == 200)
            #expect(try await Self.refusals(nodes).isEmpty, "an accepted exchange is not recorded as refused")

            // 1. Feedback on a release made to FRA: refused whole, nothing written, audited.
            let smuggled = """
                {"organization":"GBR","receipts":[],"consentRequests":[],"refused":[],
                 "feedback":[{"id":"fbk_ok","release":"\(releaseId)","verdict":"refuted","at":1},{"id":"fbk_x","release":"\(fraRelease)","verdict":"refuted","at":1}]}
                """
            #expect(try await Self.exchange(nodes, smuggled) == 400)
            #expect(!(try await nodes.a.get("/v1/feedback", as: "usa-releaser")).text.contains("fbk_ok"), "nothing of the refused exchange is written")
            var refused = try await Self.refusals(nodes)
            #expect(refused.count == 1)
            let first = try #require(refused.first)
            #expect(first["decision"] as? String == "deny")
            #expect(first["object"] as? String == "exchange")
            let detail = try #require(first["detail"] as? String)
            #expect(detail.contains("pin=\(pin)") && detail.contains("spokeFor=GBR") && detail.contains("pinnedFor=GBR") && detail.contains(fraRelease), "\(detail)")
            #expect(!(try await nodes.a.get("/v1/alerts", as: "usa-security")).text.contains("federation-probing"), "one refusal is below the threshold")

            // 2. Speaking for FRA with GBR's key.
            #expect(try await Self.exchange(nodes, #"{"organization":"FRA","receipts":[],"feedback":[],"consentRequests":[],"refused":[]}"#) == 404)
            // 3. A body the protocol does not have.
            #expect(try await Self.exchange(nodes, #"{"organization":"GBR","receipts":[],"feedback":[],"consentRequests":[],"refused":[],"revoke":[]}"#) == 400)
            // 4. A pull the node protocol does not allow.
            let objects = "\(nodes.urlA)/tearline/collections/\(TAXIICollectionKind.received.collectionId(organization: "GBR"))/objects/"
            #expect(try await nodes.clientOfB().get(objects + "?limit=0", headers: ["Accept": "application/taxii+json;version=2.1"]).status == 400)
            refused = try await Self.refusals(nodes)
            #expect(refused.count == 4, "\(refused)")
            let details = refused.compactMap { $0["detail"] as? String }
            #expect(details.allSatisfy { $0.contains("pin=\(pin)") && $0.contains("pinnedFor=GBR") })
            #expect(details.contains { $0.contains("spokeFor=FRA") && $0.contains("status=404") })
            #expect(details.contains { $0.contains("spokeFor=-") && $0.contains("status=400") })
            #expect(refused.contains { $0["object"] as? String == "pull" })
            #expect(!(try await nodes.a.get("/v1/alerts", as: "usa-security")).text.contains("federation-probing"))

            // 5. The fifth refusal within the window alerts USA's security members; the sixth does not again.
            #expect(try await Self.exchange(nodes, smuggled) == 400)
            var alerts = try await nodes.a.get("/v1/alerts", as: "usa-security")
            #expect(alerts.text.components(separatedBy: "federation-probing").count - 1 == 1, "\(alerts)")
            #expect(alerts.text.replacingOccurrences(of: "\\/", with: "/").contains(pin))
            #expect(try await Self.exchange(nodes, smuggled) == 400)
            alerts = try await nodes.a.get("/v1/alerts", as: "usa-security")
            #expect(alerts.text.components(separatedBy: "federation-probing").count - 1 == 1, "one alert per window: \(alerts)")
            #expect(try await Self.refusals(nodes).count == 6)
        }
    }
}
