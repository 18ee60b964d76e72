import Foundation
import HTTPTypes
import TearlineCore
import TearlineServer
import Testing

/// A throttled or suspended member is cut off everywhere: every route answers 429 (throttled) or
/// 403 (suspended), administrative and TAXII ones included, with nothing served and nothing
/// written but the audit record of the refusal. Only `GET /v1/me` answers, saying why.
@Suite struct RestrictedMemberTests {
    /// One route of the router: its documented pattern and a concrete request.
    struct Route: Sendable {
        var method: HTTPRequest.Method
        var pattern: String
        var path: String
        var body: [String: any Sendable]? = nil
        var taxii: Bool { !pattern.hasPrefix("/v1") && !pattern.hasPrefix("/misp/") }
        var key: String { "\(method.rawValue) \(pattern)" }
    }

    /// Routes no member token reaches: open ones, the node-to-node exchange, and `GET /v1/me`.
    static let ungated: Set<String> = ["GET /healthz", "GET /readyz", "GET /openapi.json", "POST /federation/v1/exchange", "GET /federation/v1/discovery/set", "POST /federation/v1/discovery/evaluate", "GET /v1/me"]

    /// Every gated route, with a concrete request made as `who`. Where the issue named a route,
    /// the body is one that would succeed without the gate.
    static func routes(_ w: World, who: String, report: String, release: String) -> [Route] {
        let me = w.id(who), usaGbr = w.partnership("USA", "GBR")
        let object = "indicator--00000000-0000-4000-8000-000000000001"
        let c = "/tearline/collections/col"
        return [
            Route(method: .post, pattern: "/v1/organizations", path: "/v1/organizations", body: ["id": "NLD", "name": "n", "kind": "state"]),
            Route(method: .get, pattern: "/v1/organizations", path: "/v1/organizations"),
            Route(method: .get, pattern: "/misp/feed/manifest.json", path: "/misp/feed/manifest.json"),
            Route(method: .get, pattern: "/misp/feed/hashes.csv", path: "/misp/feed/hashes.csv"),
            Route(method: .get, pattern: "/misp/feed/{file}", path: "/misp/feed/00000000-0000-4000-8000-000000000001.json"),
            Route(method: .get, pattern: "/v1/organizations/{id}", path: "/v1/organizations/USA"),
            Route(method: .post, pattern: "/v1/organizations/{id}/members", path: "/v1/organizations/USA/members",
                  body: ["name": "helper", "roles": ["security"], "clearance": "SECRET"]),
            Route(method: .get, pattern: "/v1/organizations/{id}/members", path: "/v1/organizations/USA/members"),
            Route(method: .patch, pattern: "/v1/members/{id}", path: "/v1/members/\(w.id("usa-analyst"))", body: ["status": "suspended"]),
            Route(method: .post, pattern: "/v1/members/{id}/lift-throttle", path: "/v1/members/\(me)/lift-throttle"),
            Route(method: .post, pattern: "/v1/partnerships", path: "/v1/partnerships",
                  body: ["organizations": ["USA", "FRA"], "kind": "peer", "trustLevel": "low"]),
            Route(method: .get, pattern: "/v1/partnerships", path: "/v1/partnerships"),
            Route(method: .patch, pattern: "/v1/partnerships/{id}", path: "/v1/partnerships/\(usaGbr)", body: ["status": "suspended"]),
            Route(method: .get, pattern: "/v1/partnerships/{id}/history", path: "/v1/partnerships/\(usaGbr)/history"),
            Route(method: .post, pattern: "/v1/partnerships/{id}/breaches", path: "/v1/partnerships/\(usaGbr)/breaches"),
            Route(method: .get, pattern: "/v1/partnerships/{id}/what-if", path: "/v1/partnerships/\(usaGbr)/what-if"),
            Route(method: .post, pattern: "/v1/reports", path: "/v1/reports", body: ["title": "t", "titleMarking": "(U)", "sourceGrade": "B2",
                                                                                   "topics": ["counter-terrorism"], "portions": [["marking": "(U)", "text": "x"]]]),
            Route(method: .get, pattern: "/v1/reports", path: "/v1/reports"),
            Route(method: .get, pattern: "/v1/reports/{id}", path: "/v1/reports/\(report)"),
            Route(method: .get, pattern: "/v1/reports/{id}/export", path: "/v1/reports/\(report)/export"),
            Route(method: .get, pattern: "/v1/reports/{id}/verify", path: "/v1/reports/\(report)/verify"),
            Route(method: .post, pattern: "/v1/reports/{id}/releases", path: "/v1/reports/\(report)/releases", body: ["recipient": "GBR"]),
            Route(method: .get, pattern: "/v1/reports/{id}/releases", path: "/v1/reports/\(report)/releases"),
            Route(method: .get, pattern: "/v1/reports/{id}/release-preview", path: "/v1/reports/\(report)/release-preview?recipient=GBR"),
            Route(method: .put, pattern: "/v1/reports/{id}/discoverability", path: "/v1/reports/\(report)/discoverability",
                  body: ["discoverability": "all-partners"]),
            Route(method: .get, pattern: "/v1/releases", path: "/v1/releases"),
            Route(method: .get, pattern: "/v1/releases/{id}", path: "/v1/releases/\(release)"),
            Route(method: .get, pattern: "/v1/releases/{id}/export", path: "/v1/releases/\(release)/export"),
            Route(method: .get, pattern: "/v1/releases/{id}/verify", path: "/v1/releases/\(release)/verify"),
            Route(method: .post, pattern: "/v1/releases/{id}/revoke", path: "/v1/releases/\(release)/revoke"),
            Route(method: .post, pattern: "/v1/releases/{id}/forward", path: "/v1/releases/\(release)/forward", body: ["recipient": "FRA"]),
            Route(method: .post, pattern: "/v1/releases/{id}/feedback", path: "/v1/releases/\(release)/feedback", body: ["assessment": "confirmed"]),
            Route(method: .get, pattern: "/v1/releases/{id}/feedback", path: "/v1/releases/\(release)/feedback"),
            Route(method: .get, pattern: "/v1/feedback", path: "/v1/feedback"),
            Route(method: .get, pattern: "/v1/consent-requests", path: "/v1/consent-requests"),
            Route(method: .post, pattern: "/v1/consent-requests/{id}/decision", path: "/v1/consent-requests/csr_x/decision", body: ["decision": "deny"]),
            Route(method: .post, pattern: "/v1/grants", path: "/v1/grants", body: ["member": w.id("usa-analyst"), "report": report]),
            Route(method: .get, pattern: "/v1/audit", path: "/v1/audit"),
            Route(method: .get, pattern: "/v1/alerts", path: "/v1/alerts"),
            Route(method: .post, pattern: "/v1/trace", path: "/v1/trace", body: ["text": "x"]),
            Route(method: .post, pattern: "/v1/entities/search", path: "/v1/entities/search", body: ["kind": "person", "value": "Jane Doe"]),
            Route(method: .post, pattern: "/v1/entities/partner-search", path: "/v1/entities/partner-search", body: ["kind": "phone", "value": "+44 20 7946 0958"]),
            Route(method: .post, pattern: "/v1/entities/related", path: "/v1/entities/related", body: ["kind": "person", "value": "Jane Doe"]),
            Route(method: .post, pattern: "/v1/entities/chains", path: "/v1/entities/chains", body: ["kind": "person", "value": "Jane Doe"]),
            Route(method: .post, pattern: "/v1/access-requests", path: "/v1/access-requests", body: ["handle": "h", "justification": "j"]),
            Route(method: .get, pattern: "/v1/access-requests", path: "/v1/access-requests"),
            Route(method: .get, pattern: "/v1/access-requests/{id}", path: "/v1/access-requests/acr_x"),
            Route(method: .post, pattern: "/v1/access-requests/{id}/grant", path: "/v1/access-requests/acr_x/grant"),
            Route(method: .post, pattern: "/v1/access-requests/{id}/deny", path: "/v1/access-requests/acr_x/deny"),
            Route(method: .get, pattern: "/v1/notifications", path: "/v1/notifications"),
            Route(method: .get, pattern: "/v1/organizations/{id}/track-record", path: "/v1/organizations/GBR/track-record"),
            Route(method: .put, pattern: "/v1/organizations/{id}/breach-policy", path: "/v1/organizations/USA/breach-policy", body: ["response": "automatic"]),
            Route(method: .put, pattern: "/v1/organizations/{id}/interests", path: "/v1/organizations/USA/interests", body: ["interests": [String]()]),
            Route(method: .patch, pattern: "/v1/terms/{id}", path: "/v1/terms/trm_x", body: ["status": "met"]),
            Route(method: .post, pattern: "/v1/rfis", path: "/v1/rfis", body: ["to": "GBR", "question": "q"]),
            Route(method: .get, pattern: "/v1/rfis", path: "/v1/rfis"),
            Route(method: .post, pattern: "/v1/rfis/{id}/answer", path: "/v1/rfis/rfi_x/answer", body: ["answer": "a"]),
            Route(method: .get, pattern: "/v1/partners", path: "/v1/partners"),
            Route(method: .get, pattern: "/v1/partners/{id}/series", path: "/v1/partners/GBR/series"),
            Route(method: .get, pattern: "/v1/partners/{id}/suggestions", path: "/v1/partners/GBR/suggestions"),
            Route(method: .get, pattern: "/v1/receipts/{holder}", path: "/v1/receipts/GBR"),
            Route(method: .get, pattern: "/taxii2", path: "/taxii2/"),
            Route(method: .get, pattern: "/{root}", path: "/tearline/"),
            Route(method: .get, pattern: "/{root}/status/{status}", path: "/tearline/status/s/"),
            Route(method: .get, pattern: "/{root}/collections", path: "/tearline/collections/"),
            Route(method: .get, pattern: "/{root}/collections/{collection}", path: "\(c)/"),
            Route(method: .get, pattern: "/{root}/collections/{collection}/objects", path: "\(c)/objects/"),
            Route(method: .post, pattern: "/{root}/collections/{collection}/objects", path: "\(c)/objects/", body: ["objects": [String]()]),
            Route(method: .get, pattern: "/{root}/collections/{collection}/objects/{object}", path: "\(c)/objects/\(object)/"),
            Route(method: .delete, pattern: "/{root}/collections/{collection}/objects/{object}", path: "\(c)/objects/\(object)/"),
            Route(method: .get, pattern: "/{root}/collections/{collection}/objects/{object}/versions", path: "\(c)/objects/\(object)/versions/"),
            Route(method: .get, pattern: "/{root}/collections/{collection}/manifest", path: "\(c)/manifest/"),
        ]
    }

    /// Sends a route as `who` (TAXII routes with the TAXII media type).
    static func send(_ w: World, _ route: Route, as who: String) async throws -> Reply {
        let headers: HTTPFields = route.taxii ? [.accept: taxiiType] : [:]
        let contentType = route.taxii ? taxiiType : "application/json"
        if route.method == .get || route.method == .delete {
            return try await w.send(route.method, route.path, as: who, headers: headers)
        }
        return try await w.send(route.method, route.path, as: who, json: route.body.map { $0 as [String: Any] } ?? [String: Any](), headers: headers, contentType: contentType)
    }

    /// A report and its release to GBR, made before the member is restricted.
    static func seed(_ w: World) async throws -> (report: String, release: String) {
        let report = try await w.createReport(reportBody(portions: [portion("(S//REL TO USA, GBR)", "Jane Doe was seen at the port.")]))
        return (report, try await w.releaseId(report, to: "GBR"))
    }

    /// What the state of the node looks like, to show that refused requests wrote nothing.
    static func snapshot(_ w: World) async throws -> [String] {
        [try await w.get("/v1/reports", as: "usa-releaser").text,
         try await w.get("/v1/organizations/USA/members", as: "admin").text,
         try await w.get("/v1/partnerships", as: "admin").text,
         try await w.get("/v1/releases", as: "gbr-analyst-secret").text,
         try await w.get("/v1/consent-requests", as: "usa-releaser").text]
    }

    /// The routes that resolve the token in their own transaction, and the action their refusal is audited under.
    static let inTransaction: [String: String] = [
        "GET /v1/reports/{id}": "report.read", "GET /v1/reports/{id}/export": "report.export",
        "GET /v1/releases/{id}": "release.read", "GET /v1/releases/{id}/export": "release.export",
    ]

    /// Checks that every refusal of `routes` (plus `extra` more at the general gate) is audited with `reason`.
    static func expectAudited(_ w: World, _ routes: [Route], extra: Int, reason: String) async throws {
        let refusals = try await StoryFiveTests.events(w, member: "usa-senior", action: "request.refused", as: "usa-security")
        let general = routes.filter { Self.inTransaction[$0.key] == nil }
        #expect(refusals.count == general.count + extra, "every refusal at the gate is audited")
        #expect(refusals.allSatisfy { $0["decision"] as? String == "deny" && $0["reasons"] as? [String] == [reason] })
        for (key, action) in Self.inTransaction {
            let events = try await StoryFiveTests.events(w, member: "usa-senior", action: action, as: "usa-security")
                .filter { $0["detail"] as? String == "gate" }
            #expect(events.count == 1, "\(key) is audited as \(action)")
            #expect(events.first?["reasons"] as? [String] == [reason])
        }
    }

    @Test(arguments: TestBackend.allCases) func theTableCoversEveryGatedRoute(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let table = Set(Self.routes(w, who: "usa-senior", report: "r", release: "r").map(\.key))
            let registered = try await OpenAPITests.registeredRoutes().subtracting(Self.ungated)
            #expect(registered.subtracting(table).isEmpty, "routes missing from the table: \(registered.subtracting(table).sorted())")
            #expect(table.subtracting(registered).isEmpty, "routes the router lacks: \(table.subtracting(registered).sorted())")
        }
    }

    @Test(arguments: TestBackend.allCases) func aThrottledMemberGets429EverywhereAndNothingIsWritten(backend: TestBackend) async throws {
        let limits = ThrottleLimits(distinctReads: 2, searchResults: 100_000, exports: 50, deniedReads: 10_000, window: StoryFiveTests.hour)
        try await withWorld(backend, limits: limits) { w in
            let (report, release) = try await Self.seed(w)
            let extra = try await w.createReport(reportBody(portions: [portion("(S)", "x")]))
            let third = try await w.createReport(reportBody(portions: [portion("(S)", "y")]))
            for id in [report, extra] { #expect(try await w.get("/v1/reports/\(id)", as: "usa-senior").code == 200) }
            #expect(try await w.get("/v1/reports/\(third)", as: "usa-senior").code == 429, "the third distinct read throttles the admin")
            _ = try await w.service.taxii.setPassword(member: w.id("usa-senior"), login: "usa.senior", password: "correct horse battery", by: .nodeAdmin)
            let before = try await Self.snapshot(w)

            let routes = Self.routes(w, who: "usa-senior", report: report, release: release)
            for route in routes {
                let reply = try await Self.send(w, route, as: "usa-senior")
                #expect(reply.code == 429, "\(route.key): \(reply)")
                #expect(reply.headers[.retryAfter] != nil, "\(route.key) has no Retry-After")
                if !route.taxii {
                    #expect(reply.problemType == "member-throttled", "\(route.key)")
                    #expect(reply.reasons == ["member-throttled"], "\(route.key)")
                }
            }
            // HTTP Basic (TAXII) is gated too.
            let basic = try await w.taxii("/taxii2/", as: nil, basic: ("usa.senior", "correct horse battery"))
            #expect(basic.code == 429, "\(basic)")

            #expect(try await Self.snapshot(w) == before, "a refused request wrote nothing")
            try await Self.expectAudited(w, routes, extra: 1, reason: "member-throttled")

            // Only GET /v1/me answers, saying why.
            let me = try await w.get("/v1/me", as: "usa-senior")
            #expect(me.code == 200)
            #expect(me.object["restricted"] as? Bool == true)
            #expect(me.string("restriction")?.hasPrefix("throttled") == true, "\(me)")
            #expect((me.object["member"] as? [String: Any])?["throttled"] as? Bool == true)
            let free = try await w.get("/v1/me", as: "usa-analyst")
            #expect(free.object["restricted"] as? Bool == false)
            #expect(free.object["restriction"] == nil)
        }
    }

    @Test(arguments: TestBackend.allCases) func aSuspendedMemberGets403EverywhereAndNothingIsWritten(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let (report, release) = try await Self.seed(w)
            _ = try await w.service.taxii.setPassword(member: w.id("usa-senior"), login: "usa.senior", password: "correct horse battery", by: .nodeAdmin)
            try await SuspensionTests.suspend(w, "usa-senior", by: "admin")
            let before = try await Self.snapshot(w)

            let routes = Self.routes(w, who: "usa-senior", report: report, release: release)
            for route in routes {
                let reply = try await Self.send(w, route, as: "usa-senior")
                #expect(reply.code == 403, "\(route.key): \(reply)")
                if !route.taxii { #expect(reply.reasons == ["member-suspended"], "\(route.key)") }
            }
            let basic = try await w.taxii("/tearline/collections/", as: nil, basic: ("usa.senior", "correct horse battery"))
            #expect(basic.code == 403, "\(basic)")

            #expect(try await Self.snapshot(w) == before, "a refused request wrote nothing")
            try await Self.expectAudited(w, routes, extra: 1, reason: "member-suspended")

            let me = try await w.get("/v1/me", as: "usa-senior")
            #expect(me.code == 200)
            #expect(me.object["restricted"] as? Bool == true)
            #expect(me.string("restriction")?.hasPrefix("suspended") == true, "\(me)")
        }
    }

    /// The issue's case: a suspended analyst searched entities (getting pointers and handles) and
    /// filed access requests that notified the holder's releasers.
    @Test(arguments: TestBackend.allCases) func aSuspendedAnalystNeitherSearchesNorRequestsAccess(backend: TestBackend) async throws {
        try await withWorld(backend) { world in
            let agencies = try await StorySixTests.agencies(world)
            _ = try await agencies.ciaReport()
            let found = try await agencies.search("vasily petrov")
            let handle = try #require(found.objects("pointers").first?["handle"] as? String)
            let fbi = try #require(try await world.get("/v1/organizations/\(StorySixTests.fbi)/members", as: "admin").array
                .first { $0["name"] as? String == "fbi-analyst" }?["id"] as? String)
            let suspend = try await world.patch("/v1/members/\(fbi)", as: "admin", json: ["status": "suspended"])
            try #require(suspend.code == 200)

            let search = try await agencies.search("vasily petrov")
            #expect(search.code == 403)
            #expect(search.reasons == ["member-suspended"])
            #expect(search.objects("pointers").isEmpty && !search.text.contains("handle"), "no pointer, no handle")
            let request = try await agencies.send(.post, "/v1/access-requests", as: "fbi-analyst", json: ["handle": handle, "justification": "j"])
            #expect(request.code == 403)
            #expect(request.reasons == ["member-suspended"])
            #expect(try await agencies.send(.get, "/v1/notifications", as: "cia-releaser").array.isEmpty, "the holder's releasers hear nothing")
            #expect(try await agencies.send(.get, "/v1/access-requests?direction=incoming", as: "cia-releaser").array.isEmpty)
        }
    }
}

/// Refused forwards count as refused reads: the one that crosses the limit throttles the member.
@Suite struct ForwardThrottleTests {
    @Test(arguments: TestBackend.allCases) func probingForwardsOfUnknownReleasesThrottleTheMember(backend: TestBackend) async throws {
        let limits = ThrottleLimits(distinctReads: 300, searchResults: 100_000, exports: 50, deniedReads: 2, window: StoryFiveTests.hour)
        try await withWorld(backend, limits: limits) { w in
            for n in 1...2 {
                let reply = try await w.post("/v1/releases/rel_unknown\(n)/forward", as: "gbr-analyst-secret", json: ["recipient": "DEU"])
                #expect(reply.code == 404, "refusal \(n): \(reply)")
            }
            let crossing = try await w.post("/v1/releases/rel_unknown3/forward", as: "gbr-analyst-secret", json: ["recipient": "DEU"])
            #expect(crossing.code == 429, "the refusal that crosses the limit: \(crossing)")
            let after = try await w.get("/v1/releases", as: "gbr-analyst-secret")
            #expect(after.code == 429 && after.problemType == "member-throttled", "the member is now throttled everywhere: \(after)")
            let me = try await w.get("/v1/me", as: "gbr-analyst-secret")
            #expect(me.code == 200 && me.string("restriction")?.hasPrefix("throttled") == true)
        }
    }
}
