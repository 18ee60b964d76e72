import Foundation
import Hummingbird
import Testing

/// Story 6 — connecting the dots: USA-FBI and USA-CIA each hold a report on the same person.
/// The FBI analyst sees their own hit and a pointer to the CIA holding, requests access, the CIA
/// grants it, and the analyst reads it.
@Suite struct StorySixTests {
    static let cia = "USA-CIA"
    static let fbi = "USA-FBI"
    static let ciaTitle = "CIA-HOLDING-5512 courier network"
    static let ciaText = "CIA-PORTION-7781 Vasily Petrov met the courier at the port"
    static let ciaSecret = "CIA-SOURCE-0042 the source is the port master"

    /// Adds the two agencies (peer, high trust) and their members to the standard world.
    static func agencies(_ world: World) async throws -> Agencies {
        for id in [cia, fbi] {
            let reply = try await world.post("/v1/organizations", as: "admin", json: ["id": id, "name": id, "kind": "agency"])
            try #require(reply.code == 201, "\(reply)")
        }
        var tokens: [String: String] = [:]
        for (name, org, roles, topics) in [
            ("cia-releaser", cia, ["analyst", "releaser"], ["counter-intelligence"]),
            ("cia-security", cia, ["security"], ["counter-intelligence"]),
            ("fbi-analyst", fbi, ["analyst"], ["counter-intelligence"]),
            ("fbi-other", fbi, ["analyst"], ["fraud"]),
            ("fbi-releaser", fbi, ["analyst", "releaser"], ["counter-intelligence", "fraud"]),
            ("fbi-security", fbi, ["security"], ["counter-intelligence"]),
        ] {
            let reply = try await world.post("/v1/organizations/\(org)/members", as: "admin", json: [
                "name": name, "roles": roles, "clearance": "TOP SECRET", "compartments": [String](), "topics": topics,
            ])
            try #require(reply.code == 201, "\(reply)")
            tokens[name] = reply.string("token")
        }
        let partnership = try await world.createPartnership(cia, fbi, trust: "full")
        return Agencies(world: world, tokens: tokens, partnership: partnership)
    }

    struct Agencies: Sendable {
        let world: World
        let tokens: [String: String]
        let partnership: String

        func send(_ method: HTTPRequest.Method, _ uri: String, as who: String, json: Any? = nil) async throws -> Reply {
            try await world.send(method, uri, as: nil, json: json, headers: [.authorization: "Bearer \(tokens[who]!)"])
        }

        func search(_ value: String, kind: String = "person", as who: String = "fbi-analyst") async throws -> Reply {
            try await send(.post, "/v1/entities/search", as: who, json: ["kind": kind, "value": value])
        }

        /// Writes a report as `who`; returns its id.
        func report(as who: String, title: String, portions: [[String: Any]], entities: [[String: Any]],
                    topics: [String] = ["counter-intelligence"], discoverability: String? = nil, discoverableTo: [String]? = nil) async throws -> String {
            var body = reportBody(title: title, topics: topics, portions: portions)
            body["entities"] = entities
            if let discoverability { body["discoverability"] = discoverability }
            if let discoverableTo { body["discoverableTo"] = discoverableTo }
            let reply = try await send(.post, "/v1/reports", as: who, json: body)
            try #require(reply.code == 201, "\(reply)")
            return try #require(reply.string("id"))
        }

        func ciaReport(discoverability: String? = "all-partners", discoverableTo: [String]? = nil, sourcesAndMethodsOnly: Bool = false) async throws -> String {
            let portions = sourcesAndMethodsOnly
                ? [portion("(S)", StorySixTests.ciaSecret, sourcesAndMethods: true), portion("(S)", "unrelated")]
                : [portion("(S//REL TO USA-CIA, USA-FBI)", StorySixTests.ciaText), portion("(S)", StorySixTests.ciaSecret, sourcesAndMethods: true)]
            return try await report(as: "cia-releaser", title: StorySixTests.ciaTitle, portions: portions,
                                    entities: [["type": "person", "value": "Vasily Petrov", "portion": 0],
                                               ["type": "vessel", "value": "MV Northern Star", "portion": 0]],
                                    discoverability: discoverability, discoverableTo: discoverableTo)
        }

        func fbiReport() async throws -> String {
            try await report(as: "fbi-analyst", title: "FBI file on Petrov",
                             portions: [portion("(S)", "VASILY  PETROV called +44 20 7946 0958 from 198.51.100[.]7")],
                             entities: [["type": "person", "value": "VASILY  PETROV", "portion": 0]])
        }
    }

    @Test(arguments: TestBackend.allCases) func theAnalystSeesTheirHitAndAPointerRequestsAccessAndReadsIt(backend: TestBackend) async throws {
        try await withWorld(backend) { world in
            let agencies = try await Self.agencies(world)
            let fbiReport = try await agencies.fbiReport()
            let ciaReport = try await agencies.ciaReport()

            // The search: one own hit, with the mentioning portion; one pointer to the CIA.
            let found = try await agencies.search("vasily petrov")
            #expect(found.code == 200, "\(found)")
            let hits = found.objects("hits")
            #expect(hits.map { $0["id"] as? String } == [fbiReport])
            #expect((hits.first?["portions"] as? [[String: Any]])?.map { $0["index"] as? Int } == [0])
            #expect(found.int("hitCount") == 1)
            let pointers = found.objects("pointers")
            #expect(pointers.count == 1)
            #expect(pointers.first?["holder"] as? String == Self.cia)
            #expect(pointers.first?["count"] as? Int == 1)
            // Discovery without disclosure: nothing of the CIA holding but its holder and count.
            for secret in [Self.ciaTitle, Self.ciaText, Self.ciaSecret, ciaReport, "SECRET", "(S)"] where secret != "(S)" {
                #expect(!found.text.contains(secret), "the answer leaks \(secret)")
            }
            let handle = try #require(pointers.first?["handle"] as? String)

            // The request, and the CIA releaser sees it with the entity and the covered report.
            let request = try await agencies.send(.post, "/v1/access-requests", as: "fbi-analyst",
                                                  json: ["handle": handle, "justification": "Petrov is in our case 12"])
            #expect(request.code == 201, "\(request)")
            #expect(request.string("status") == "pending")
            #expect(request.object["reports"] == nil, "the requester does not learn report ids")
            let requestId = try #require(request.string("id"))
            let again = try await agencies.send(.post, "/v1/access-requests", as: "fbi-analyst", json: ["handle": handle, "justification": "again"])
            #expect(again.code == 409, "one pending request per pointer: \(again)")
            let received = try await agencies.send(.get, "/v1/notifications", as: "cia-releaser")
            #expect(received.array.map { $0["kind"] as? String } == ["access-request.received"])
            let incoming = try await agencies.send(.get, "/v1/access-requests?direction=incoming", as: "cia-releaser")
            #expect(incoming.array.first?["reports"] as? [String] == [ciaReport])
            #expect((incoming.array.first?["entity"] as? [String: Any])?["value"] as? String == "vasily petrov")
            // Only the holder's releaser decides.
            let notReleaser = try await agencies.send(.post, "/v1/access-requests/\(requestId)/grant", as: "cia-security")
            #expect(notReleaser.code == 403)
            let stranger = try await agencies.send(.post, "/v1/access-requests/\(requestId)/grant", as: "fbi-releaser")
            #expect(stranger.code == 404, "the requester's side cannot grant")

            // The grant releases the report to the FBI, without the sources-and-methods portion.
            let granted = try await agencies.send(.post, "/v1/access-requests/\(requestId)/grant", as: "cia-releaser")
            #expect(granted.code == 200, "\(granted)")
            #expect(granted.string("status") == "granted")
            let releaseId = try #require(granted.strings("releases")?.first)
            let twice = try await agencies.send(.post, "/v1/access-requests/\(requestId)/grant", as: "cia-releaser")
            #expect(twice.code == 409)

            // The analyst is told and reads it.
            let told = try await agencies.send(.get, "/v1/notifications", as: "fbi-analyst")
            let outcome = try #require(told.array.first { $0["kind"] as? String == "access-request.granted" })
            #expect((outcome["detail"] as? [String: Any])?["releases"] as? [String] == [releaseId])
            let status = try await agencies.send(.get, "/v1/access-requests/\(requestId)", as: "fbi-analyst")
            #expect(status.string("status") == "granted")
            #expect(status.strings("releases") == [releaseId])
            let read = try await agencies.send(.get, "/v1/releases/\(releaseId)", as: "fbi-analyst")
            #expect(read.code == 200, "\(read)")
            #expect(read.portionIndexes == [0])
            #expect(!read.text.contains(Self.ciaSecret), "sources and methods never leave the originator")
            #expect((read.object["corroboration"] as? [String: Any])?["originators"] as? [String] == [Self.fbi],
                    "the FBI's own report corroborates the CIA's")

            // Now the search gives two hits and no pointer.
            let after = try await agencies.search("Vasily Petrov")
            #expect(Set(after.objects("hits").compactMap { $0["id"] as? String }) == [fbiReport, releaseId])
            #expect(after.objects("pointers").isEmpty)

            // Audited on both sides.
            let ciaLog = try await agencies.send(.get, "/v1/audit?object=\(requestId)", as: "cia-security")
            #expect(Set(ciaLog.objects("items").compactMap { $0["action"] as? String }) == ["access-request.create", "access-request.grant"])
            let fbiLog = try await agencies.send(.get, "/v1/audit?action=entity.search", as: "fbi-security")
            #expect(fbiLog.objects("items").count == 2)
            #expect(!fbiLog.text.lowercased().contains("petrov"), "the log names entities by blind identifier only")
        }
    }

    /// Searches once before the CIA holding exists, then after it exists in a form the FBI may not discover.
    func expectNoTrace(on backend: TestBackend, _ change: @escaping @Sendable (Agencies) async throws -> Void) async throws {
        try await withWorld(backend) { world in
            let agencies = try await Self.agencies(world)
            _ = try await agencies.fbiReport()
            let before = try await agencies.search("Vasily Petrov")
            try #require(before.code == 200)
            try await change(agencies)
            let after = try await agencies.search("Vasily Petrov")
            #expect(after.code == 200)
            #expect(after.text == before.text, "a holding the asker may not discover leaves no trace")
        }
    }

    @Test(arguments: TestBackend.allCases) func aHoldingNotDiscoverableToTheAskerLeavesNoTrace(backend: TestBackend) async throws {
        try await expectNoTrace(on: backend) { a in _ = try await a.ciaReport(discoverability: nil) }  // own-organisation, the default
        try await expectNoTrace(on: backend) { a in _ = try await a.ciaReport(discoverability: "none") }
        try await expectNoTrace(on: backend) { a in _ = try await a.ciaReport(discoverability: "partners", discoverableTo: ["GBR"]) }
        try await expectNoTrace(on: backend) { a in _ = try await a.ciaReport(sourcesAndMethodsOnly: true) }
        try await expectNoTrace(on: backend) { a in  // classified and not REL TO the asker: it could never be released to it
            _ = try await a.report(as: "cia-releaser", title: StorySixTests.ciaTitle, portions: [portion("(S)", StorySixTests.ciaText)],
                                   entities: [["type": "person", "value": "Vasily Petrov", "portion": 0]], discoverability: "all-partners")
        }
        try await expectNoTrace(on: backend) { a in
            _ = try await a.ciaReport()
            let reply = try await a.world.patch("/v1/partnerships/\(a.partnership)", as: "admin",
                                                json: ["status": "suspended", "side": StorySixTests.cia])
            try #require(reply.code == 200, "\(reply)")
        }
        try await expectNoTrace(on: backend) { a in
            let id = try await a.ciaReport()
            let reply = try await a.send(.put, "/v1/reports/\(id)/discoverability", as: "cia-releaser", json: ["discoverability": "none"])
            try #require(reply.code == 200, "\(reply)")
        }
    }

    @Test(arguments: TestBackend.allCases) func discoverabilityToANamedPartnerGivesThePointer(backend: TestBackend) async throws {
        try await withWorld(backend) { world in
            let agencies = try await Self.agencies(world)
            _ = try await agencies.ciaReport(discoverability: "partners", discoverableTo: [Self.fbi])
            let found = try await agencies.search("vasily petrov")
            #expect(found.objects("pointers").map { $0["holder"] as? String } == [Self.cia])
            #expect(found.objects("hits").isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases) func onlyTheOriginatorsReleaserOrTheAuthorSetsDiscoverability(backend: TestBackend) async throws {
        try await withWorld(backend) { world in
            let agencies = try await Self.agencies(world)
            let id = try await agencies.fbiReport()  // written by fbi-analyst
            let body: [String: Any] = ["discoverability": "none"]
            #expect(try await agencies.send(.put, "/v1/reports/\(id)/discoverability", as: "fbi-other", json: body).code == 404,
                    "a colleague who may not read the report does not learn it exists")
            #expect(try await agencies.send(.put, "/v1/reports/\(id)/discoverability", as: "cia-releaser", json: body).code == 404)
            #expect(try await agencies.send(.put, "/v1/reports/\(id)/discoverability", as: "fbi-security", json: body).code == 403,
                    "neither releaser nor author")
            #expect(try await agencies.send(.put, "/v1/reports/\(id)/discoverability", as: "fbi-analyst",
                                            json: ["discoverability": "partners"]).code == 400, "partners needs discoverableTo")
            // The refusals changed nothing: fbi-other (no need-to-know) still gets the own-organisation pointer.
            #expect(try await agencies.search("vasily petrov", as: "fbi-other").objects("pointers").map { $0["holder"] as? String } == [Self.fbi])
            let set = try await agencies.send(.put, "/v1/reports/\(id)/discoverability", as: "fbi-analyst", json: body)
            #expect(set.code == 200, "\(set)")
            #expect(try await agencies.search("vasily petrov", as: "fbi-other").objects("pointers").isEmpty, "the author's change takes effect")
            let deep = try await agencies.send(.post, "/v1/entities/chains", as: "fbi-analyst", json: [
                "from": ["kind": "person", "value": "a"], "to": ["kind": "person", "value": "b"], "maxDepth": 5])
            #expect(deep.code == 400, "chains go 4 links deep at most")
        }
    }

    @Test(arguments: TestBackend.allCases) func aDeniedRequestGivesNothingAndTheAskerIsTold(backend: TestBackend) async throws {
        try await withWorld(backend) { world in
            let agencies = try await Self.agencies(world)
            _ = try await agencies.ciaReport()
            let handle = try #require(try await agencies.search("vasily petrov").objects("pointers").first?["handle"] as? String)
            let request = try await agencies.send(.post, "/v1/access-requests", as: "fbi-analyst", json: ["handle": handle, "justification": "case 12"])
            let id = try #require(request.string("id"))
            let denied = try await agencies.send(.post, "/v1/access-requests/\(id)/deny", as: "cia-releaser")
            #expect(denied.code == 200)
            #expect(denied.string("status") == "denied")
            let told = try await agencies.send(.get, "/v1/notifications", as: "fbi-analyst")
            #expect(told.array.contains { $0["kind"] as? String == "access-request.denied" })
            let inbox = try await agencies.send(.get, "/v1/releases", as: "fbi-analyst")
            #expect(inbox.objects("items").isEmpty, "a denial releases nothing")
            #expect(try await agencies.search("vasily petrov").objects("pointers").count == 1, "the pointer remains")
        }
    }

    @Test(arguments: TestBackend.allCases) func aHandleWorksOnlyForItsOrganisationAndCannotBeForged(backend: TestBackend) async throws {
        try await withWorld(backend) { world in
            let agencies = try await Self.agencies(world)
            _ = try await agencies.ciaReport()
            let handle = try #require(try await agencies.search("vasily petrov").objects("pointers").first?["handle"] as? String)
            // Another organisation's member (GBR) cannot use it.
            let borrowed = try await world.post("/v1/access-requests", as: "gbr-analyst-secret", json: ["handle": handle, "justification": "x"])
            #expect(borrowed.code == 404)
            var tampered = Array(handle)
            tampered[tampered.count / 2] = tampered[tampered.count / 2] == "A" ? "B" : "A"
            for bad in [String(tampered), "ptr_AAAA", "garbage"] {
                let reply = try await agencies.send(.post, "/v1/access-requests", as: "fbi-analyst", json: ["handle": bad, "justification": "x"])
                #expect(reply.code == 404, "\(bad): \(reply)")
            }
            // Control: the real handle works for its own organisation.
            let real = try await agencies.send(.post, "/v1/access-requests", as: "fbi-analyst", json: ["handle": handle, "justification": "x"])
            #expect(real.code == 201)
        }
    }

    @Test(arguments: TestBackend.allCases) func insideOneOrganisationAGrantGivesNeedToKnow(backend: TestBackend) async throws {
        try await withWorld(backend) { world in
            let agencies = try await Self.agencies(world)
            // fbi-other (topics: fraud) cannot read the FBI report (counter-intelligence): a pointer to its own organisation.
            let fbiReport = try await agencies.fbiReport()
            let found = try await agencies.search("vasily petrov", as: "fbi-other")
            #expect(found.objects("hits").isEmpty)
            #expect(found.objects("pointers").map { $0["holder"] as? String } == [Self.fbi])
            let handle = try #require(found.objects("pointers").first?["handle"] as? String)
            let request = try await agencies.send(.post, "/v1/access-requests", as: "fbi-other", json: ["handle": handle, "justification": "fraud link"])
            let id = try #require(request.string("id"))
            #expect(try await agencies.send(.get, "/v1/reports/\(fbiReport)", as: "fbi-other").code == 404)
            let granted = try await agencies.send(.post, "/v1/access-requests/\(id)/grant", as: "fbi-releaser")
            #expect(granted.code == 200, "\(granted)")
            #expect(granted.strings("grantedReports") == [fbiReport])
            #expect(try await agencies.send(.get, "/v1/reports/\(fbiReport)", as: "fbi-other").code == 200)
        }
    }

    @Test(arguments: TestBackend.allCases) func observablesAreFoundInTheTextAndNormalised(backend: TestBackend) async throws {
        try await withWorld(backend) { world in
            let agencies = try await Self.agencies(world)
            let id = try await agencies.fbiReport()
            for (kind, value) in [("phone", "0044 (20) 7946-0958"), ("ipv4", "198.51.100.7")] {
                let found = try await agencies.search(value, kind: kind)
                #expect(found.objects("hits").map { $0["id"] as? String } == [id], "\(kind) \(value): \(found)")
            }
            let bad = try await agencies.search("07946 0958", kind: "phone")
            #expect(bad.code == 400, "a phone number without its country code cannot be matched")
            let unknown = try await agencies.search("x", kind: "Person!")
            #expect(unknown.code == 400)
        }
    }

    @Test(arguments: TestBackend.allCases) func aNewDiscoverableHoldingAlertsTheMembersWhoHoldTheEntity(backend: TestBackend) async throws {
        try await withWorld(backend) { world in
            let agencies = try await Self.agencies(world)
            _ = try await agencies.fbiReport()
            // Not discoverable to the FBI: no alert.
            _ = try await agencies.ciaReport(discoverability: nil)
            #expect(try await agencies.send(.get, "/v1/notifications", as: "fbi-analyst").array.isEmpty)
            _ = try await agencies.ciaReport()
            let alerts = try await agencies.send(.get, "/v1/notifications", as: "fbi-analyst").array
            #expect(alerts.count == 1)
            let detail = try #require(alerts.first?["detail"] as? [String: Any])
            #expect(alerts.first?["kind"] as? String == "correlation")
            #expect((detail["pointers"] as? [[String: Any]])?.map { $0["holder"] as? String } == [Self.cia])
            #expect((detail["entity"] as? [String: Any])?["value"] as? String == "vasily petrov")
            let text = try await agencies.send(.get, "/v1/notifications", as: "fbi-analyst").text
            for secret in [Self.ciaTitle, Self.ciaText, Self.ciaSecret] { #expect(!text.contains(secret)) }
            // fbi-other cannot read the FBI report on Petrov: not told.
            #expect(try await agencies.send(.get, "/v1/notifications", as: "fbi-other").array.isEmpty)
            // The CIA author learns of its own earlier report, but not of the FBI's, which is not discoverable to the CIA.
            let ciaAlerts = try await agencies.send(.get, "/v1/notifications", as: "cia-releaser").array
            #expect(!ciaAlerts.isEmpty)
            #expect(!ciaAlerts.contains { (($0["detail"] as? [String: Any])?["pointers"] as? [[String: Any]] ?? []).contains { $0["holder"] as? String == Self.fbi } })
        }
    }

    @Test(arguments: TestBackend.allCases) func linkAnalysisCountsCoOccurrencesAndFindsChainsThroughPointers(backend: TestBackend) async throws {
        try await withWorld(backend) { world in
            let agencies = try await Self.agencies(world)
            _ = try await agencies.fbiReport()
            // A second FBI report links the vessel to an e-mail address.
            let second = try await agencies.report(as: "fbi-analyst", title: "Vessel",
                                                    portions: [portion("(S)", "MV Northern Star, agent ops@example.org")],
                                                    entities: [["type": "vessel", "value": "mv northern star", "portion": 0]])
            let related = try await agencies.send(.post, "/v1/entities/related", as: "fbi-analyst", json: ["kind": "person", "value": "Vasily Petrov"])
            let names = Set(related.objects("related").compactMap { ($0["entity"] as? [String: Any])?["value"] as? String })
            #expect(names == ["+442079460958", "198.51.100.7"], "\(related)")
            // Without the CIA holding, Petrov and the e-mail address are not linked.
            let chainBody: [String: Any] = ["from": ["kind": "person", "value": "Vasily Petrov"], "to": ["kind": "email", "value": "OPS@example.org"]]
            let none = try await agencies.send(.post, "/v1/entities/chains", as: "fbi-analyst", json: chainBody)
            #expect(none.code == 200, "\(none)")
            #expect(none.objects("chains").isEmpty)
            // The CIA report links Petrov and the vessel: the chain runs through a pointer, then the FBI's own report.
            _ = try await agencies.ciaReport()
            let chained = try await agencies.send(.post, "/v1/entities/chains", as: "fbi-analyst", json: chainBody)
            #expect(chained.int("length") == 2, "\(chained)")
            let chain = try #require((chained.object["chains"] as? [[[String: Any]]])?.first)
            #expect(chain.map { $0["via"] as? String } == ["pointer", "document"])
            #expect((chain[0]["pointer"] as? [String: Any])?["holder"] as? String == Self.cia)
            #expect(chain[0]["documentId"] == nil)
            #expect(chain[1]["documentId"] as? String == second)
            for secret in [Self.ciaTitle, Self.ciaText, Self.ciaSecret] { #expect(!chained.text.contains(secret)) }
        }
    }
}
