import Foundation
import NIOHTTP1
import TearlineCore
import TearlineStore
@testable import TearlineServer
import Testing

/// Private discovery between partner nodes: story 6 across nodes. USA (node A) holds a report
/// on a phone number and makes it discoverable to its partners; a GBR analyst (node B) searches
/// the number privately (blinded, evaluated on A, unblinded and matched on B), finds a pointer,
/// asks for access, USA's releaser grants on A, and the analyst reads the release on B. A never
/// sees the number asked nor whether it matched; a holding A does not make discoverable leaves no
/// trace in anything B receives.
@Suite(.serialized) struct PartnerDiscoveryTests {
    static let phone = "+44 20 7946 0958"
    static let text = "The courier called 0044 (20) 7946-0958 twice from the port."

    static func usaReport(_ nodes: TwoNodes, discoverability: String = "all-partners", marking: String = "(S//REL TO USA, GBR)",
                          text: String = text, sourcesAndMethods: Bool = false) async throws -> String {
        var body = reportBody(title: "Courier calls", topics: ["counter-terrorism"], portions: [portion(marking, text, sourcesAndMethods: sourcesAndMethods)])
        body["discoverability"] = discoverability
        return try await nodes.a.createReport(body)
    }

    /// B calls A for its members' private searches with its node certificate.
    static func dial(_ nodes: TwoNodes) throws {
        nodes.b.service.nodeDialer.configure(NodeDialer.Credentials(identity: try nodes.nodeB.identity(), trustRoots: nodes.caA))
    }

    static func search(_ nodes: TwoNodes, _ value: String = phone, kind: String = "phone", as who: String = "gbr-analyst-secret") async throws -> Reply {
        try await nodes.b.post("/v1/entities/partner-search", as: who, json: ["kind": kind, "value": value])
    }

    static func pointers(_ reply: Reply) -> [String] {
        reply.objects("pointers").map { "\($0["node"] as? String ?? "?")/\($0["holder"] as? String ?? "?"):\($0["count"] as? Int ?? -1)" }
    }

    static func statuses(_ reply: Reply) -> [String] {
        reply.objects("nodes").map { "\($0["node"] as? String ?? "?"):\($0["status"] as? String ?? "?")" }
    }

    /// One page of the set A offers GBR, exactly as B's node receives it.
    static func setBytes(_ nodes: TwoNodes, epoch: Int64? = nil, after: Int64 = 0) async throws -> NodeClient.Response {
        var url = "\(nodes.urlA)/federation/v1/discovery/set?organization=GBR"
        if let epoch { url += "&epoch=\(epoch)&after=\(after)" }
        return try await nodes.clientOfB().get(url)
    }

    @Test(arguments: TestBackend.allCases.filter { $0 != .sqliteMemory })
    func storySixAcrossNodes(backend: TestBackend) async throws {
        try await withTwoNodes(backend: backend) { nodes in
            try Self.dial(nodes)
            _ = try await Self.usaReport(nodes)
            let pulled = try await nodes.pull()
            #expect(pulled.discoveryEpoch == 1 && pulled.discoveryEntries == 1, "\(pulled)")
            #expect(pulled.discoveryError == nil)

            let found = try await Self.search(nodes)
            #expect(found.code == 200, "\(found)")
            #expect(Self.pointers(found) == ["USA/USA:1"])
            #expect(Self.statuses(found) == ["USA:searched"])
            #expect(!found.text.contains("courier") && !found.text.contains("Courier"), "a pointer carries no report text")
            let miss = try await Self.search(nodes, "+44 20 7946 0999")
            #expect(miss.code == 200 && Self.pointers(miss).isEmpty && Self.statuses(miss) == ["USA:searched"])

            // A never saw the number: not in its audit trail, not in what it logged of the evaluations.
            let evaluations = try await nodes.a.audit(as: "admin", "action=discovery.evaluate")
            #expect(evaluations.count == 2, "each search costs one evaluation on A")
            let trailA = try await nodes.a.get("/v1/audit?limit=500", as: "admin").text
            #expect(!trailA.contains("7946") && !trailA.contains("442079460958"))

            let handle = try #require(found.objects("pointers").first?["handle"] as? String)
            let request = try await nodes.b.post("/v1/access-requests", as: "gbr-analyst-secret", json: ["handle": handle, "justification": "case 7: the courier"])
            #expect(request.code == 201, "\(request)")
            let requestId = try #require(request.string("id"))
            #expect(request.string("status") == "pending")
            let twice = try await nodes.b.post("/v1/access-requests", as: "gbr-analyst-secret", json: ["handle": handle, "justification": "again"])
            #expect(twice.code == 409)

            let sent = try await nodes.pull()
            #expect(sent.accessRequestsSent == 1)
            let incoming = try await nodes.a.get("/v1/access-requests?direction=incoming", as: "usa-releaser")
            let onA = try #require(incoming.array.first { $0["id"] as? String == requestId } ?? incoming.objects("items").first { $0["id"] as? String == requestId },
                                   "the request reached USA's releasers: \(incoming)")
            #expect(onA["requesterOrganization"] as? String == "GBR")
            #expect((onA["justification"] as? String)?.contains("case 7: the courier") == true)
            #expect((onA["entity"] as? [String: Any])?["value"] as? String == "+442079460958", "the holder sees which of its entities is asked about")

            let grant = try await nodes.a.post("/v1/access-requests/\(requestId)/grant", as: "usa-releaser")
            #expect(grant.code == 200, "\(grant)")
            let releaseId = try #require(grant.strings("releases")?.first)

            let back = try await nodes.pull()
            #expect(back.received == 1 && back.accessDecisions == 1, "\(back)")
            let status = try await nodes.b.get("/v1/access-requests/\(requestId)", as: "gbr-analyst-secret")
            #expect(status.string("status") == "granted")
            #expect(status.strings("releases") == [releaseId])
            let read = try await nodes.b.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret")
            #expect(read.code == 200)
            #expect(read.text.contains("twice from the port"))
            let notes = try await nodes.b.get("/v1/notifications", as: "gbr-analyst-secret")
            #expect(notes.text.contains("access-request.granted"))
        }
    }

    @Test func anUndiscoverableHoldingLeavesNoTraceInWhatThePartnerReceives() async throws {
        try await withTwoNodes { nodes in
            try Self.dial(nodes)
            _ = try await Self.usaReport(nodes)
            _ = try await nodes.pull()
            let before = try await Self.setBytes(nodes)
            let incrementBefore = try await Self.setBytes(nodes, epoch: 1, after: 1)
            let element = try DiscoveryQuery(NormalizedEntity(kind: .phone, key: "+442079460958"), publicKey: try DiscoverySetPage.decode(before.body).publicKey)
            let evaluateBody = Array(try JSONEncoder().encode(DiscoveryEvaluateRequest(organization: "GBR", epoch: 1, elements: [element.blindedElement.base64EncodedString()])))
            let answerBefore = try await nodes.clientOfB().post("\(nodes.urlA)/federation/v1/discovery/evaluate", headers: ["Content-Type": "application/json"], body: evaluateBody)

            // Holdings the rule keeps from GBR, on the same number and on new ones.
            _ = try await Self.usaReport(nodes, discoverability: "own-organisation")
            _ = try await Self.usaReport(nodes, discoverability: "none", text: "Second line +44 20 7946 0111.")
            _ = try await Self.usaReport(nodes, marking: "(S//NF)", text: "Third line +44 20 7946 0222.")
            _ = try await Self.usaReport(nodes, marking: "(S//REL TO USA, FRA)", text: "Fourth line +44 20 7946 0333.")
            _ = try await Self.usaReport(nodes, text: "Fifth line +44 20 7946 0444.", sourcesAndMethods: true)

            let after = try await Self.setBytes(nodes)
            let incrementAfter = try await Self.setBytes(nodes, epoch: 1, after: 1)
            let answerAfter = try await nodes.clientOfB().post("\(nodes.urlA)/federation/v1/discovery/evaluate", headers: ["Content-Type": "application/json"], body: evaluateBody)
            #expect(before.status == 200 && after.status == 200)
            #expect(before.body == after.body, "the whole set is byte for byte the same")
            #expect(incrementBefore.body == incrementAfter.body, "and so is the increment after it")
            let replyBefore = try JSONDecoder().decode(DiscoveryEvaluateReply.self, from: Data(answerBefore.body))
            let replyAfter = try JSONDecoder().decode(DiscoveryEvaluateReply.self, from: Data(answerAfter.body))
            // why the element only: RFC 9497's proof takes a fresh random scalar on every answer, holdings or not; the
            // evaluated element is the key times the blinded element and nothing else.
            let elementBefore = try #require(Data(base64Encoded: replyBefore.evaluations[0])).prefix(DiscoveryOPRF.elementBytes)
            let elementAfter = try #require(Data(base64Encoded: replyAfter.evaluations[0])).prefix(DiscoveryOPRF.elementBytes)
            #expect(elementBefore == elementAfter)
            #expect(replyBefore.epoch == replyAfter.epoch)
            #expect(throws: Never.self) { _ = try element.finish(evaluation: Data(base64Encoded: replyAfter.evaluations[0])!) }

            for value in ["+44 20 7946 0111", "+44 20 7946 0222", "+44 20 7946 0333", "+44 20 7946 0444"] {
                let reply = try await Self.search(nodes, value)
                #expect(reply.code == 200 && Self.pointers(reply).isEmpty, "\(value): \(reply)")
            }
            #expect(Self.pointers(try await Self.search(nodes)) == ["USA/USA:1"], "the count is the discoverable holding's alone")
        }
    }

    @Test func aWithdrawnHoldingLeavesThePartnerOnItsNextPull() async throws {
        try await withTwoNodes { nodes in
            try Self.dial(nodes)
            let report = try await Self.usaReport(nodes)
            _ = try await nodes.pull()
            let found = try await Self.search(nodes)
            let handle = try #require(found.objects("pointers").first?["handle"] as? String)

            let withdraw = try await nodes.a.send(.put, "/v1/reports/\(report)/discoverability", as: "usa-releaser", json: ["discoverability": "own-organisation"])
            #expect(withdraw.code == 200, "\(withdraw)")
            let pulled = try await nodes.pull()
            #expect(pulled.discoveryEpoch == 2, "a withdrawal replaces the key and the whole set")
            #expect(pulled.discoveryEntries == 0)
            let rotations = try await nodes.a.audit(as: "admin", "action=discovery.rotate")
            #expect(rotations.contains { ($0["detail"] as? String)?.contains("reason=withdrawn") == true })

            let after = try await Self.search(nodes)
            #expect(after.code == 200 && Self.pointers(after).isEmpty)
            let stale = try await nodes.b.post("/v1/access-requests", as: "gbr-analyst-secret", json: ["handle": handle, "justification": "late"])
            #expect(stale.code == 404, "the old pointer names nothing now")
        }
    }

    @Test func anExhaustedBudgetIsRefusedAuditedAndAlerted() async throws {
        try await withTwoNodes { nodes in
            try Self.dial(nodes)
            _ = try await Self.usaReport(nodes)
            _ = try await nodes.pull()
            _ = try await nodes.a.service.federation.setDiscoveryBudget(partner: "GBR", budget: DiscoveryBudget(perDay: 2, alertAt: 2), by: .nodeAdmin)
            #expect(Self.pointers(try await Self.search(nodes)) == ["USA/USA:1"])
            #expect(Self.pointers(try await Self.search(nodes, "+44 20 7946 0999")).isEmpty)
            let refused = try await Self.search(nodes)
            #expect(refused.code == 200)
            #expect(Self.statuses(refused) == ["USA:budget-exhausted"])
            #expect(Self.pointers(refused).isEmpty, "no evaluation, no pointer")

            let denied = try await nodes.a.audit(as: "admin", "action=discovery.evaluate")
            #expect(denied.filter { $0["decision"] as? String == "deny" }.count == 1)
            #expect(denied.filter { $0["decision"] as? String == "allow" }.count == 2)
            let alerts = try await nodes.a.get("/v1/alerts", as: "usa-security")
            let kinds = (alerts.array + alerts.objects("items")).compactMap { $0["kind"] as? String }
            #expect(kinds.filter { $0 == "discovery-budget" }.count == 2, "the threshold and the exhaustion, once each: \(alerts)")
            // A non-admin cannot raise the budget.
            await #expect(throws: ServiceError.self) {
                _ = try await nodes.a.service.federation.setDiscoveryBudget(partner: "GBR", budget: DiscoveryBudget(perDay: 100, alertAt: 50),
                                                                             by: .member(try #require(try await nodes.a.service.store.read { try $0.member(id: nodes.a.id("usa-releaser")) })))
            }
        }
    }

    @Test func aForgedOrReplayedEvaluationIsRefused() async throws {
        try await withTwoNodes { nodes in
            try Self.dial(nodes)
            _ = try await Self.usaReport(nodes)
            _ = try await nodes.pull()
            let entity = NormalizedEntity(kind: .phone, key: "+442079460958")
            let set = try #require(try await nodes.b.service.store.read { try $0.remoteDiscoverySet(peer: "USA", organization: "GBR") })

            // Replayed: A's genuine answer to one query offered for another.
            let first = try DiscoveryQuery(entity, publicKey: set.publicKey)
            let body = Array(try JSONEncoder().encode(DiscoveryEvaluateRequest(organization: "GBR", epoch: set.epoch, elements: [first.blindedElement.base64EncodedString()])))
            let answer = try await nodes.clientOfB().post("\(nodes.urlA)/federation/v1/discovery/evaluate", headers: ["Content-Type": "application/json"], body: body)
            let evaluation = try #require(Data(base64Encoded: try JSONDecoder().decode(DiscoveryEvaluateReply.self, from: Data(answer.body)).evaluations[0]))
            guard case .output = PartnerDiscovery.finish(first, evaluation: evaluation) else { Issue.record("the genuine answer verifies"); return }
            guard case .refused = PartnerDiscovery.finish(try DiscoveryQuery(entity, publicKey: set.publicKey), evaluation: evaluation) else {
                Issue.record("a replayed evaluation must not verify"); return
            }

            // Forged: the node evaluates under a key other than the one it published.
            var forged = set
            forged.publicKey = DiscoveryKey().publicKey
            let replaced = forged
            try await nodes.b.service.store.write { try $0.saveRemoteDiscoverySet(replaced) }
            let reply = try await Self.search(nodes)
            #expect(Self.statuses(reply) == ["USA:refused-evaluation"])
            #expect(Self.pointers(reply).isEmpty)
            let alerts = try await nodes.b.get("/v1/alerts", as: "gbr-security")
            #expect((alerts.array + alerts.objects("items")).contains { $0["kind"] as? String == "discovery-refused" }, "\(alerts)")
            let trail = try await nodes.b.audit(as: "admin", "action=discovery.refused")
            #expect(trail.count == 1)
        }
    }

    @Test func aNodeThatIsNotPinnedGetsNothing() async throws {
        try await withTwoNodes { nodes in
            _ = try await Self.usaReport(nodes)
            // A node certificate from B's CA whose key A never pinned: the handshake is refused.
            let caB = try NodePKI.makeCA(name: "Another CA")
            let stranger = try TestNodeCertificate(name: "stranger", ca: caB)
            let client = try NodeClient(identity: try stranger.identity(), trustRoots: nodes.caA, pins: [nodes.pinA.description])
            await #expect(throws: (any Error).self) { _ = try await client.get("\(nodes.urlA)/federation/v1/discovery/set?organization=GBR") }
            // B's pinned key speaking for an organisation it is not pinned for is answered like an unknown one.
            let asFRA = try await nodes.clientOfB().get("\(nodes.urlA)/federation/v1/discovery/set?organization=FRA")
            #expect(asFRA.status == 404)
            let asUSA = try await nodes.clientOfB().post("\(nodes.urlA)/federation/v1/discovery/evaluate", headers: ["Content-Type": "application/json"],
                                                         body: Array(#"{"organization":"USA","epoch":1,"elements":["\#(Data(repeating: 2, count: 49).base64EncodedString())"]}"#.utf8))
            #expect(asUSA.status == 404)
            let refusals = try await nodes.a.audit(as: "admin", "action=federation.request-refused")
            #expect(refusals.count >= 2)
            // B dialling a node whose key it did not pin: refused inside the handshake, before any byte of the query.
            let unpinned = try NodeClient(identity: try nodes.nodeB.identity(), trustRoots: nodes.caA, pins: [stranger.pin.description])
            await #expect(throws: FederationError.self) { _ = try await unpinned.get("\(nodes.urlA)/federation/v1/discovery/set?organization=GBR") }
        }
    }

    @Test func badEvaluationRequestsAreRefusedWithoutCharge() async throws {
        try await withTwoNodes { nodes in
            _ = try await Self.usaReport(nodes)
            try Self.dial(nodes)
            _ = try await nodes.pull()
            let client = try nodes.clientOfB()
            func post(_ json: String) async throws -> NodeClient.Response {
                try await client.post("\(nodes.urlA)/federation/v1/discovery/evaluate", headers: ["Content-Type": "application/json"], body: Array(json.utf8))
            }
            #expect(try await post(#"{"organization":"GBR","epoch":1,"elements":[]}"#).status == 400)
            #expect(try await post(#"{"organization":"GBR","epoch":1,"elements":["AAAA"]}"#).status == 400)
            let seventeen = Array(repeating: "\"\(Data(repeating: 2, count: 49).base64EncodedString())\"", count: 17).joined(separator: ",")
            #expect(try await post(#"{"organization":"GBR","epoch":1,"elements":[\#(seventeen)]}"#).status == 400)
            #expect(try await post(#"{"organization":"GBR","epoch":1}"#).status == 400)
            let stale = try await post(#"{"organization":"GBR","epoch":9,"elements":["\#(Data(repeating: 2, count: 49).base64EncodedString())"]}"#)
            #expect(stale.status == 409)
            let key = try #require(try await nodes.a.service.store.read { try $0.discoveryKey(partner: "GBR") })
            #expect(key.spent.used == 0, "nothing refused was charged")
        }
    }
}
