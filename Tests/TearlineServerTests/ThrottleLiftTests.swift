import Testing
import TearlineCore
import TearlineServer

/// A throttle is lifted only by a security member who is not the throttled member and whom the
/// throttled member neither created nor gave a role (directly or through its own appointees).
/// The node administrator can always lift it, audited.
@Suite struct ThrottleLiftTests {
    static let limits = ThrottleLimits(distinctReads: 2, searchResults: 100_000, exports: 50, deniedReads: 10_000, window: StoryFiveTests.hour)

    /// Throttles `who` by reading three distinct reports.
    static func throttle(_ w: World, _ who: String) async throws {
        let ids = try await StoryFiveTests.seed(w, count: 3)
        for id in ids { _ = try await w.get("/v1/reports/\(id)", as: who) }
        let me = try await w.get("/v1/me", as: who)
        try #require((me.object["member"] as? [String: Any])?["throttled"] as? Bool == true, "\(me)")
    }

    /// Creates a member as `creator` (a name of the world, or a raw token) and returns its token.
    static func create(_ w: World, in org: String, name: String, roles: [String], byToken token: String) async throws -> (id: String, token: String) {
        let reply = try await w.send(.post, "/v1/organizations/\(org)/members", as: nil,
                                     json: ["name": name, "roles": roles, "clearance": "SECRET", "topics": ["counter-terrorism"]],
                                     headers: [.authorization: "Bearer \(token)"])
        try #require(reply.code == 201, "\(reply)")
        let id = try #require((reply.object["member"] as? [String: Any])?["id"] as? String)
        return (id, try #require(reply.string("token")))
    }

    static func lift(_ w: World, _ who: String, withToken token: String) async throws -> Reply {
        try await w.send(.post, "/v1/members/\(w.id(who))/lift-throttle", as: nil, json: [String: Any](), headers: [.authorization: "Bearer \(token)"])
    }

    @Test(arguments: TestBackend.allCases) func aSecurityMemberTheThrottledAdminCreatedDoesNotLiftItsThrottle(backend: TestBackend) async throws {
        try await withWorld(backend, limits: Self.limits) { w in
            // Before being throttled, the admin appoints a security member of its own.
            let helper = try await Self.create(w, in: "USA", name: "helper", roles: ["security"], byToken: w.token("usa-senior"))
            try await Self.throttle(w, "usa-senior")
            // Throttled, it can appoint no one now.
            let another = try await w.post("/v1/organizations/USA/members", as: "usa-senior",
                                           json: ["name": "h2", "roles": ["security"], "clearance": "SECRET"])
            #expect(another.code == 429)

            let refused = try await Self.lift(w, "usa-senior", withToken: helper.token)
            #expect(refused.code == 403, "\(refused)")
            #expect(refused.reasons == ["conflict-of-interest"])
            #expect(try await w.get("/v1/reports", as: "usa-senior").code == 429, "the refused lift changed nothing")
            #expect(try await w.deniedReasons(action: "member.unthrottle", object: w.id("usa-senior"), as: "usa-security") == ["conflict-of-interest"])

            // An independent security member (created by the node admin) lifts it.
            let lifted = try await w.post("/v1/members/\(w.id("usa-senior"))/lift-throttle", as: "usa-security")
            #expect(lifted.code == 200, "\(lifted)")
            #expect(try await w.get("/v1/reports", as: "usa-senior").code == 200)
        }
    }

    @Test(arguments: TestBackend.allCases) func noLiftThroughAChainOfAppointees(backend: TestBackend) async throws {
        try await withWorld(backend, limits: Self.limits) { w in
            let deputy = try await Self.create(w, in: "USA", name: "deputy", roles: ["admin"], byToken: w.token("usa-senior"))
            let helper = try await Self.create(w, in: "USA", name: "helper", roles: ["security"], byToken: deputy.token)
            try await Self.throttle(w, "usa-senior")
            let refused = try await Self.lift(w, "usa-senior", withToken: helper.token)
            #expect(refused.code == 403, "\(refused)")
            #expect(refused.reasons == ["conflict-of-interest"])
            // The helper may lift the throttle of someone the chain did not appoint.
            try await Self.throttle(w, "usa-analyst")
            #expect(try await Self.lift(w, "usa-analyst", withToken: helper.token).code == 200)
        }
    }

    @Test(arguments: TestBackend.allCases) func theNodeAdministratorAlwaysLiftsAudited(backend: TestBackend) async throws {
        try await withWorld(backend, limits: Self.limits) { w in
            // An organisation's only security member is throttled: the node administrator recovers it.
            try await Self.throttle(w, "usa-security")
            let lifted = try await w.post("/v1/members/\(w.id("usa-security"))/lift-throttle", as: "admin")
            #expect(lifted.code == 200, "\(lifted)")
            let events = try await w.audit(as: "admin", "action=member.unthrottle&object=\(w.id("usa-security"))")
            #expect(events.last?["decision"] as? String == "allow")
            #expect((events.last?["detail"] as? String)?.contains("exempt=node-admin") == true, "\(events)")
        }
    }
}
