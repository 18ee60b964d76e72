import Testing

/// Nobody grants more than they hold: the clearance and compartments given to a new member are at
/// most the granting admin's own. The node administrator is exempt, and the exemption is audited.
@Suite struct MemberGrantTests {
    static func member(_ name: String, roles: [String] = ["analyst"], clearance: String, compartments: [String] = [],
                       topics: [String] = ["counter-terrorism"]) -> [String: Any] {
        ["name": name, "roles": roles, "clearance": clearance, "compartments": compartments, "topics": topics]
    }

    static func memberCount(_ w: World, _ org: String) async throws -> Int {
        let reply = try await w.get("/v1/organizations/\(org)/members", as: "admin")
        try #require(reply.code == 200, "\(reply)")
        return reply.array.count
    }

    @Test(arguments: TestBackend.allCases) func aSecretAdminCannotMakeATopSecretHCSMemberWhoReadsTSHCS(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            // The case: an admin cleared SECRET, and a (TS//HCS) report in its organisation.
            let made = try await w.post("/v1/organizations/USA/members", as: "admin",
                                        json: Self.member("usa-admin-secret", roles: ["admin"], clearance: "SECRET"))
            try #require(made.code == 201, "\(made)")
            let adminToken = try #require(made.string("token"))
            let report = try await w.createReport(reportBody(portions: [portion("(TS//HCS)", "The crown jewels.")]))
            let before = try await Self.memberCount(w, "USA")

            for body in [Self.member("escalated", clearance: "TOP SECRET", compartments: ["HCS"]),
                         Self.member("escalated", clearance: "TOP SECRET"),
                         Self.member("escalated", clearance: "SECRET", compartments: ["HCS"])] {
                let reply = try await w.send(.post, "/v1/organizations/USA/members", as: nil, json: body,
                                             headers: [.authorization: "Bearer \(adminToken)"])
                #expect(reply.code == 403, "\(reply)")
                #expect(reply.problemType == "denied")
                #expect(reply.reasons == ["grant-above-granter"])
                #expect(reply.string("token") == nil)
            }
            #expect(try await Self.memberCount(w, "USA") == before, "no member was created")
            let denials = try await w.audit(as: "usa-security", "action=member.create")
                .filter { ($0["reasons"] as? [String]) == ["grant-above-granter"] }
            #expect(denials.count == 3, "every refusal is audited")

            // Within the admin's own clearance it works, and the member reads nothing above it.
            let within = try await w.send(.post, "/v1/organizations/USA/members", as: nil, json: Self.member("within", clearance: "SECRET"),
                                          headers: [.authorization: "Bearer \(adminToken)"])
            #expect(within.code == 201, "\(within)")
            let token = try #require(within.string("token"))
            let read = try await w.send(.get, "/v1/reports/\(report)", as: nil, headers: [.authorization: "Bearer \(token)"])
            #expect(read.code == 404)
        }
    }

    @Test(arguments: TestBackend.allCases) func anAdminStaffsRolesItDoesNotHoldWithinItsClearance(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            // deu-admin (analyst, admin; SECRET) appoints a security member at SECRET.
            let reply = try await w.post("/v1/organizations/DEU/members", as: "deu-admin",
                                         json: Self.member("deu-officer", roles: ["security"], clearance: "SECRET", topics: ["soviet-union"]))
            #expect(reply.code == 201, "\(reply)")
            let above = try await w.post("/v1/organizations/DEU/members", as: "deu-admin",
                                         json: Self.member("deu-officer-2", roles: ["security"], clearance: "TOP SECRET"))
            #expect(above.code == 403)
            #expect(above.reasons == ["grant-above-granter"])
        }
    }

    @Test(arguments: TestBackend.allCases) func theNodeAdministratorIsExemptAndTheExemptionIsAudited(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let reply = try await w.post("/v1/organizations/DEU/members", as: "admin",
                                         json: Self.member("deu-ts", clearance: "TOP SECRET", compartments: ["HCS"]))
            #expect(reply.code == 201, "\(reply)")
            let id = try #require((reply.object["member"] as? [String: Any])?["id"] as? String)
            let events = try await w.audit(as: "admin", "action=member.create&object=\(id)")
            #expect(events.count == 1)
            #expect((events.first?["detail"] as? String)?.contains("exempt=node-admin") == true, "\(events)")
            // The organisation's security member sees it too.
            let seen = try await w.audit(as: "deu-security", "action=member.create&object=\(id)")
            #expect((seen.first?["detail"] as? String)?.contains("exempt=node-admin") == true, "\(seen)")
        }
    }

    @Test(arguments: TestBackend.allCases) func aNonAdminCreatesNobody(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let before = try await Self.memberCount(w, "USA")
            let reply = try await w.post("/v1/organizations/USA/members", as: "usa-security", json: Self.member("x", clearance: "UNCLASSIFIED"))
            #expect(reply.code == 403)
            #expect(reply.reasons == ["role-required"])
            #expect(try await Self.memberCount(w, "USA") == before)
        }
    }
}
