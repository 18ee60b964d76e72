import Foundation
import NIOHTTP1
import TearlineCore
import TearlineStore
@testable import TearlineServer
import Testing

/// What a recipient node accepts from a partner's node, refusal by refusal, and what its members
/// may then do with a received copy. The objects are fetched from node A as B's node fetches them.
@Suite(.serialized) struct FederationArrivalTests {
    /// The federation objects node A serves B's node for GBR.
    static func served(_ nodes: TwoNodes) async throws -> [JSONValue] {
        let url = "\(nodes.urlA)/tearline/collections/\(TAXIICollectionKind.received.collectionId(organization: "GBR"))/objects/"
        let reply = try await nodes.clientOfB().get(url, headers: ["Accept": "application/taxii+json;version=2.1"])
        try #require(reply.status == 200)
        return try #require(try JSONValue.parse(reply.body).objectValue?["objects"]?.arrayValue)
    }

    /// `object` with the federation block's `key` replaced.
    static func changing(_ object: JSONValue, _ key: String, to value: JSONValue) throws -> JSONValue {
        var outer = try #require(object.objectValue)
        var extensions = try #require(outer["extensions"]?.objectValue)
        var body = try #require(extensions[STIXTearline.extensionID]?.objectValue)
        var release = try #require(body["release"]?.objectValue)
        release[key] = value
        body["release"] = .object(release)
        extensions[STIXTearline.extensionID] = .object(body)
        outer["extensions"] = .object(extensions)
        return .object(outer)
    }

    static func content(of object: JSONValue) throws -> String {
        let text = try #require(object.objectValue?["extensions"]?.objectValue?[STIXTearline.extensionID]?.objectValue?["release"]?.objectValue?["content"]?.stringValue)
        return String(decoding: try #require(Data(base64Encoded: text)), as: UTF8.self)
    }

    static func encoded(_ text: String) -> JSONValue { .string(Data(text.utf8).base64EncodedString()) }

    @Test func eachWayAReleaseCanBeWrongIsRefusedAndNothingIsStored() async throws {
        try await withTwoNodes { nodes in
            let releaseId = try await FederationStoryOneTests.releaseCourierReport(nodes)
            let object = try #require(try await Self.served(nodes).first)
            let text = try Self.content(of: object)
            let cases: [(String, JSONValue, String)] = [
                ("text changed in transit", try Self.changing(object, "content", to: Self.encoded(text.replacingOccurrences(of: "three exchange", with: "eight exchange"))),
                 "signature does not verify"),
                ("signature of another release", try Self.changing(object, "signature", to: .string(Data(repeating: 1, count: 64).base64EncodedString())),
                 "signature does not verify"),
                ("content not canonical", try Self.changing(object, "content", to: Self.encoded(text + "x")), "canonical content"),
                ("addressed to another organisation", try Self.changing(object, "content", to: Self.encoded(
                    text.replacingOccurrences(of: "recipient:3:GBR", with: "recipient:3:FRA"))), "content addressed from USA to FRA"),
                ("valid signed bytes served under another release id", try Self.changing(object, "id", to: .string("rel_other")),
                 "served as release rel_other but the signed bytes are release \(releaseId)"),
                ("no content", try Self.changing(object, "content", to: .null), "malformed"),
                ("not an object at all", .string("hello"), "malformed"),
            ]
            for (name, changed, reason) in cases {
                let summary = try await nodes.b.service.federation.receiveFederationPage(peer: "USA", organization: "GBR", objects: [changed]).summary
                #expect(summary.received == 0, "\(name)")
                #expect(summary.refused.count == 1 && summary.refused[0].reason.contains(reason), "\(name): \(summary.refused)")
                #expect(summary.refused.allSatisfy { !$0.reason.contains("not from USA to GBR") || $0.reason.contains("addressed from USA to FRA") },
                        "\(name): the reason names the real mismatch")
            }
            #expect(try await nodes.b.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret").code == 404, "none of them was stored")
            let refusals = try await nodes.b.audit(as: "gbr-security", "action=federation.receive")
            #expect(refusals.filter { $0["decision"] as? String == "deny" }.count == cases.count, "each refusal is audited")
            // The genuine object, after all that, is received once, and a repeat is only counted.
            #expect(try await nodes.b.service.federation.receiveFederationPage(peer: "USA", organization: "GBR", objects: [object]).summary.received == 1)
            #expect(try await nodes.b.service.federation.receiveFederationPage(peer: "USA", organization: "GBR", objects: [object]).summary.alreadyHeld == 1)
            #expect(try await nodes.b.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret").code == 200)
        }
    }

    /// A USA admin on node A; returns its bearer token.
    static func usaAdmin(_ nodes: TwoNodes) async throws -> String {
        let reply = try await nodes.a.post("/v1/organizations/USA/members", as: "admin", json: [
            "name": "usa-admin", "roles": ["admin"], "clearance": "SECRET", "compartments": [String](), "topics": [String](),
        ])
        return try #require(reply.string("token"))
    }

    static func setUSATrustInGBR(_ nodes: TwoNodes, _ level: String, token: String) async throws {
        let reply = try await nodes.a.send(.patch, "/v1/partnerships/\(nodes.a.partnership("USA", "GBR"))", as: nil,
                                           json: ["trustLevel": level, "reason": "test"], headers: [.authorization: "Bearer \(token)"])
        try #require(reply.code == 200, "\(reply)")
    }

    @Test func theRecipientNodeAppliesTheReleaseRuleToo() async throws {
        try await withTwoNodes { nodes in
            // B learns USA's trust in GBR from A (low: up to CONFIDENTIAL). USA raises it again on A
            // and releases a SECRET portion; B, still holding "low" when the page arrives, refuses it.
            let admin = try await Self.usaAdmin(nodes)
            try await Self.setUSATrustInGBR(nodes, "low", token: admin)
            #expect(try await nodes.pull().received == 0)
            try await Self.setUSATrustInGBR(nodes, "high", token: admin)
            let releaseId = try await FederationStoryOneTests.releaseCourierReport(nodes)
            let summary = try await nodes.pull()
            #expect(summary.received == 0)
            #expect(summary.refused.first?.reason.contains("trust-ceiling") == true, "\(summary.refused)")
            let audited = try await nodes.b.audit(as: "gbr-security", "action=federation.receive")
            #expect(audited.contains { $0["object"] as? String == releaseId && ($0["reasons"] as? [String])?.contains("trust-ceiling") == true })
            #expect(try await nodes.b.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret").code == 404)
        }
    }

    @Test func theRecipientNodeAppliesTheOriginatorsTrustInItsOrganisationNotItsOwn() async throws {
        try await withTwoNodes { nodes in
            let releaseId = try await FederationStoryOneTests.releaseCourierReport(nodes)
            _ = try await nodes.pull()
            #expect(try await nodes.b.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret").portionIndexes == [0, 1, 2])
            // GBR's own trust in USA, set on B, does not govern what GBR reads of USA's releases.
            let own = try await nodes.b.patch("/v1/partnerships/\(nodes.b.partnership("USA", "GBR"))", as: "admin", json: ["trustLevel": "minimal"])
            #expect(own.code == 200, "\(own)")
            #expect(own.object["trust"] as? [String: String] == ["GBR": "minimal", "USA": "high"])
            #expect(try await nodes.b.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret").portionIndexes == [0, 1, 2])
            // USA lowers its trust in GBR on A; after the next exchange B applies it at once.
            try await Self.setUSATrustInGBR(nodes, "low", token: try await Self.usaAdmin(nodes))
            _ = try await nodes.pull()
            #expect(try await nodes.b.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret").portionIndexes == [1, 2])
            // B's node admin cannot act for USA, which is hosted on A.
            let forUSA = try await nodes.b.patch("/v1/partnerships/\(nodes.b.partnership("USA", "GBR"))", as: "admin",
                                                 json: ["trustLevel": "full", "side": "USA"])
            #expect(forUSA.code == 400)
            let history = try await nodes.b.get("/v1/partnerships/\(nodes.b.partnership("USA", "GBR"))/history", as: "admin")
            #expect(history.objects("trustChanges").contains { $0["organization"] as? String == "USA" && $0["toTrust"] as? String == "low" })
        }
    }

    @Test func aReceivedCopyIsNeitherReleasedOnwardNorReadAsAReportNorSharedAsHoldings() async throws {
        try await withTwoNodes { nodes in
            let releaseId = try await FederationStoryOneTests.releaseCourierReport(nodes)
            _ = try await nodes.pull()
            let id = try #require(try await nodes.a.get("/v1/releases/\(releaseId)", as: "usa-releaser").string("reportId"))
            #expect(try await nodes.b.get("/v1/reports/\(id)", as: "gbr-analyst-secret").code == 404, "GBR holds the release, never the report")
            #expect(try await nodes.b.post("/v1/reports/\(id)/releases", as: "gbr-analyst-secret", json: ["recipient": "USA"]).code == 404)
            // B's members see that USA is hosted elsewhere, and GBR here.
            let organizations = try await nodes.b.get("/v1/organizations", as: "gbr-analyst-secret").array
            #expect(organizations.first { $0["id"] as? String == "USA" }?["hostedElsewhere"] as? Bool == true)
            #expect(organizations.first { $0["id"] as? String == "GBR" }?["hostedElsewhere"] as? Bool == false)
            // USA has no members on B: nobody can act as the remote originator there.
            let member = try await nodes.b.post("/v1/organizations/USA/members", as: "admin", json: [
                "name": "impostor", "roles": ["releaser"], "clearance": "TOP SECRET", "compartments": [String](), "topics": [String](),
            ])
            #expect(member.code == 409 && member.problemType == "remote-organization")
            // The node admin cannot turn a local organisation into a remote one, nor re-key a partner.
            await #expect(throws: ServiceError.self) {
                _ = try await nodes.b.service.federation.addPeer(PeerInput(organization: "GBR", name: "x", kind: "state",
                                                                publicKey: Curve25519Key.random(), url: "", pins: [nodes.pinA.description]), by: .nodeAdmin)
            }
            await #expect(throws: ServiceError.self) {
                _ = try await nodes.b.service.federation.addPeer(PeerInput(organization: "USA", name: "United States", kind: "state",
                                                                publicKey: Curve25519Key.random(), url: nodes.urlA, pins: [nodes.pinA.description]), by: .nodeAdmin)
            }
        }
    }

    @Test func aReceivedCopyIsFoundBySearchAndServedInTheTAXIICollectionThroughTheRule() async throws {
        try await withTwoNodes { nodes in
            let report = try await nodes.a.createReport(reportBody(title: "Calls", portions: [
                portion("(S//REL TO USA, GBR)", "The courier called 0044 (20) 7946-0958 twice."),
                portion("(C//REL TO USA, GBR)", "The calls were short."),
            ]))
            _ = try await nodes.a.releaseId(report, to: "GBR")
            _ = try await nodes.pull()
            let search = ["kind": "phone", "value": "+44 20 7946 0958"]
            let hit = try await nodes.b.post("/v1/entities/search", as: "gbr-analyst-secret", json: search)
            #expect(hit.code == 200 && hit.int("hitCount") == 1, "\(hit)")
            #expect(hit.text.contains("courier called"))
            // The CONFIDENTIAL analyst may not read the portion that mentions the number: no hit, no text.
            let lower = try await nodes.b.post("/v1/entities/search", as: "gbr-analyst-confidential", json: search)
            #expect(lower.int("hitCount") == 0 && !lower.text.contains("courier"), "\(lower)")
            let collection = "/tearline/collections/\(TAXIICollectionKind.received.collectionId(organization: "GBR"))/objects/"
            let taxii = try await nodes.b.send(.get, collection, as: "gbr-analyst-confidential", headers: [.accept: "application/taxii+json;version=2.1"])
            #expect(taxii.code == 200)
            #expect(taxii.text.contains("The calls were short.") && !taxii.text.contains("courier called"), "the rule, portion by portion")
        }
    }

    @Test func aPullPagesThroughEverythingOnceInOrder() async throws {
        try await withTwoNodes { nodes in
            let report = try await nodes.a.createReport(StoryOneTests.courierReport)
            var ids: [String] = []
            for _ in 0..<(FederationService.federationMaxLimit + 30) { ids.append(try await nodes.a.releaseId(report, to: "GBR")) }
            let summary = try await nodes.pull()
            #expect(summary.received == ids.count && summary.refused.isEmpty, "two pages in one pull")
            let more = try await nodes.a.releaseId(report, to: "GBR")
            let next = try await nodes.pull()
            #expect(next.received == 1 && next.alreadyHeld == 0, "only what is new")
            for id in [ids.first!, ids.last!, more] {
                #expect(try await nodes.b.get("/v1/releases/\(id)", as: "gbr-analyst-secret").code == 200)
            }
        }
    }

    @Test func consentGrantedOnTheOriginatorsNodeMakesItsOwnReleaseToTheThirdParty() async throws {
        try await withTwoNodes { nodes in
            try await nodes.a.createPartnership("USA", "FRA", trust: "high")
            let releaseId = try await FederationStoryOneTests.releaseCourierReport(nodes)
            _ = try await nodes.pull()
            let forward = try await nodes.b.post("/v1/releases/\(releaseId)/forward", as: "gbr-analyst-secret", json: ["recipient": "FRA"])
            let consentId = try #require(forward.string("consentRequestId"))
            #expect(try await nodes.pull().consentRequestsSent == 1)
            let grant = try await nodes.a.post("/v1/consent-requests/\(consentId)/decision", as: "usa-releaser", json: ["decision": "grant"])
            #expect(grant.code == 200, "\(grant)")
            let newRelease = try #require(grant.string("resultingReleaseId"))
            // FRA reads USA's release on A; GBR never became an originator of anything.
            let read = try await nodes.a.get("/v1/releases/\(newRelease)", as: "fra-releaser")
            #expect(read.code == 200 && read.string("originator") == "USA" && read.string("recipient") == "FRA")
            let summary = try await nodes.pull()
            #expect(summary.consentDecisions == 1)
            let onB = try await nodes.b.get("/v1/consent-requests", as: "gbr-analyst-secret")
            let request = try #require(onB.array.first { $0["id"] as? String == consentId })
            #expect(request["status"] as? String == "granted")
            #expect(request["resultingReleaseId"] as? String == newRelease)
            // The consent request is not sent again once decided.
            #expect(try await nodes.pull().consentRequestsSent == 0)
        }
    }
}
