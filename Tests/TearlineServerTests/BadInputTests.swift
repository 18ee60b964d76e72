import Foundation
import Hummingbird
import Testing

/// Malformed requests get a 4xx problem with a stable type and a message that says what is
/// wrong, and they write nothing.
@Suite struct BadInputTests {
    static var validReport: [String: Any] {
        reportBody(portions: [portion("(S//REL TO USA, GBR)", "Secret portion."), portion("(U)", "Open portion.")])
    }

    /// `validReport` serialised and edited, for bodies that JSONSerialization would not write.
    static func reportJSON(_ edit: (inout [String: Any]) -> Void) throws -> String {
        var body = validReport
        edit(&body)
        return String(decoding: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Asserts a problem answer.
    static func expectProblem(
        _ reply: Reply, _ status: Int, _ type: String, detailContains: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(reply.code == status, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.contentType == "application/problem+json", sourceLocation: sourceLocation)
        #expect(reply.problemType == type, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.string("type") == problemTypePrefix + type, sourceLocation: sourceLocation)
        #expect(reply.int("status") == status, sourceLocation: sourceLocation)
        if let detailContains {
            #expect(reply.string("detail")?.contains(detailContains) == true, "detail: \(reply.string("detail") ?? "none")",
                    sourceLocation: sourceLocation)
        }
    }

    /// Asserts that USA still holds no report: a refused report creation wrote nothing.
    static func expectNoReports(_ w: World, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let list = try await w.get("/v1/reports", as: "usa-senior")
        #expect(list.code == 200, sourceLocation: sourceLocation)
        #expect(list.objects("items").isEmpty, "a refused request wrote a report", sourceLocation: sourceLocation)
        let events = try await w.audit(as: "usa-security", "action=report.create")
        #expect(events.filter { $0["decision"] as? String == "allow" }.isEmpty, sourceLocation: sourceLocation)
    }

    @Test(arguments: TestBackend.allCases) func malformedJSON(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            for raw in ["{ \"title\": ", "not json", "", "{\"title\": \"x\",}"] {
                let reply = try await w.send(.post, "/v1/reports", as: "usa-releaser", raw: raw)
                Self.expectProblem(reply, 400, "invalid-request")
            }
            try await Self.expectNoReports(w)
        }
    }

    @Test(arguments: TestBackend.allCases) func bodyThatIsNotAnObject(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            for raw in ["[]", "null", "\"report\"", "42"] {
                let reply = try await w.send(.post, "/v1/reports", as: "usa-releaser", raw: raw)
                Self.expectProblem(reply, 400, "invalid-request", detailContains: "the body")
            }
            try await Self.expectNoReports(w)
        }
    }

    @Test(arguments: TestBackend.allCases) func unknownTopLevelField(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            var body = Self.validReport
            body["classification"] = "SECRET"
            let reply = try await w.post("/v1/reports", as: "usa-releaser", json: body)
            Self.expectProblem(reply, 400, "invalid-request", detailContains: "Unknown field \"classification\"")
            try await Self.expectNoReports(w)
            // Also on a create-organisation request: nothing created.
            let org = try await w.post("/v1/organizations", as: "admin", json: ["id": "NLD", "name": "Netherlands", "kind": "state", "colour": "orange"])
            Self.expectProblem(org, 400, "invalid-request", detailContains: "colour")
            #expect(try await w.get("/v1/organizations/NLD", as: "admin").code == 404)
        }
    }

    @Test(arguments: TestBackend.allCases) func unknownFieldNestedInPortions(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            var body = Self.validReport
            body["portions"] = [portion("(U)", "x"), ["marking": "(U)", "text": "y", "classified": true]]
            let reply = try await w.post("/v1/reports", as: "usa-releaser", json: body)
            Self.expectProblem(reply, 400, "invalid-request", detailContains: "portions[1].classified")
            try await Self.expectNoReports(w)
        }
    }

    @Test(arguments: TestBackend.allCases) func wrongTypes(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let cases: [(String, (inout [String: Any]) -> Void)] = [
                ("topics", { $0["topics"] = "counter-terrorism" }),
                ("title", { $0["title"] = 42 }),
                ("portions[0].sourcesAndMethods", { $0["portions"] = [["marking": "(U)", "text": "x", "sourcesAndMethods": "yes"]] }),
                ("portions[0].text", { $0["portions"] = [["marking": "(U)", "text": ["x"]]] }),
                ("portions", { $0["portions"] = ["marking": "(U)", "text": "x"] }),
            ]
            for (field, edit) in cases {
                let reply = try await w.send(.post, "/v1/reports", as: "usa-releaser", raw: try Self.reportJSON(edit))
                Self.expectProblem(reply, 400, "invalid-request", detailContains: field)
            }
            try await Self.expectNoReports(w)
        }
    }

    @Test(arguments: TestBackend.allCases) func missingFields(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            for field in ["title", "titleMarking", "sourceGrade", "topics", "portions"] {
                var body = Self.validReport
                body[field] = nil
                let reply = try await w.post("/v1/reports", as: "usa-releaser", json: body)
                Self.expectProblem(reply, 400, "invalid-request", detailContains: "Missing field \"\(field)\"")
            }
            let noText = try await w.post("/v1/reports", as: "usa-releaser", json: reportBody(portions: [["marking": "(U)"]]))
            Self.expectProblem(noText, 400, "invalid-request", detailContains: "text")
            let empty = try await w.post("/v1/reports", as: "usa-releaser", json: reportBody(portions: []))
            Self.expectProblem(empty, 400, "invalid-request", detailContains: "portions")
            try await Self.expectNoReports(w)
        }
    }

    @Test(arguments: TestBackend.allCases) func badMarkingsNameTheBadPart(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let cases: [(marking: String, part: String)] = [
                ("(S//REL TO usa)", "usa"),
                ("(SECRET)", "SECRET"),
                ("(S//NOFORN)", "NOFORN"),
                ("(S//REL TO USA, GBR", "(S//REL TO USA, GBR"),
                ("(X)", "X"),
                ("(U//TLP:PURPLE)", "TLP:PURPLE"),
            ]
            for (marking, part) in cases {
                let reply = try await w.post("/v1/reports", as: "usa-releaser",
                                             json: reportBody(portions: [portion("(U)", "x"), portion(marking, "y")]))
                Self.expectProblem(reply, 400, "invalid-marking", detailContains: "portions[1].marking")
                #expect(reply.string("part") == part, "\(marking): \(reply)")
            }
            let title = try await w.post("/v1/reports", as: "usa-releaser", json: reportBody(titleMarking: "(S//REL TO)", portions: [portion("(U)", "x")]))
            Self.expectProblem(title, 400, "invalid-marking", detailContains: "titleMarking")
            try await Self.expectNoReports(w)
        }
    }

    @Test(arguments: TestBackend.allCases) func badSourceGrade(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            for grade in ["Z9", "A7", "", "B", "b2", "B22"] {
                let reply = try await w.post("/v1/reports", as: "usa-releaser", json: reportBody(sourceGrade: grade, portions: [portion("(U)", "x")]))
                Self.expectProblem(reply, 400, "invalid-request", detailContains: "sourceGrade")
            }
            try await Self.expectNoReports(w)
        }
    }

    @Test(arguments: TestBackend.allCases) func oversizedBody(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let huge = String(repeating: "a", count: (1 << 20) + 1)
            let reply = try await w.post("/v1/reports", as: "usa-releaser", json: reportBody(portions: [portion("(U)", huge)]))
            Self.expectProblem(reply, 413, "body-too-large")
            try await Self.expectNoReports(w)
        }
    }

    @Test(arguments: TestBackend.allCases) func unknownIds(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let absent = "00000000000000000000000000000000"
            for path in ["/v1/reports/rpt_\(absent)", "/v1/releases/rel_\(absent)", "/v1/reports/rpt_\(absent)/releases",
                         "/v1/releases/rel_\(absent)/verify", "/v1/reports/rpt_\(absent)/verify", "/v1/organizations/NOPE"] {
                Self.expectProblem(try await w.get(path, as: "usa-senior"), 404, "not-found")
            }
            Self.expectProblem(try await w.patch("/v1/partnerships/pts_\(absent)", as: "usa-senior", json: ["status": "suspended"]), 404, "not-found")
            Self.expectProblem(try await w.patch("/v1/members/mem_\(absent)", as: "usa-senior", json: ["status": "suspended"]), 404, "not-found")
            Self.expectProblem(try await w.post("/v1/consent-requests/csr_\(absent)/decision", as: "isr-releaser", json: ["decision": "grant"]),
                               404, "not-found")
            Self.expectProblem(try await w.post("/v1/reports/rpt_\(absent)/releases", as: "usa-releaser", json: ["recipient": "GBR"]), 404, "not-found")
            Self.expectProblem(try await w.post("/v1/releases/rel_\(absent)/revoke", as: "usa-releaser"), 404, "not-found")
            Self.expectProblem(try await w.post("/v1/grants", as: "usa-releaser", json: ["member": w.id("usa-analyst"), "report": "rpt_\(absent)"]),
                               404, "not-found")

            // A member of an organisation that does not exist is not created.
            let member = try await w.post("/v1/organizations/NOPE/members", as: "admin", json: ["name": "x", "roles": ["analyst"], "clearance": "SECRET"])
            Self.expectProblem(member, 404, "not-found")
            #expect(try await w.audit(as: "admin", "action=member.create").count == people.count)
            try await Self.expectNoReports(w)
        }
    }

    @Test(arguments: TestBackend.allCases) func missingToken(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let reply = try await w.post("/v1/organizations", as: nil, json: ["id": "NLD", "name": "Netherlands", "kind": "state"])
            Self.expectProblem(reply, 401, "unauthorized")
            Self.expectProblem(try await w.get("/v1/reports", as: nil), 401, "unauthorized")
            let notBearer = try await w.send(.get, "/v1/reports", as: nil, headers: [.authorization: "Basic dXNlcjpwYXNz"])
            Self.expectProblem(notBearer, 401, "unauthorized")
            let emptyBearer = try await w.send(.get, "/v1/reports", as: nil, headers: [.authorization: "Bearer "])
            Self.expectProblem(emptyBearer, 401, "unauthorized")
            #expect(try await w.get("/v1/organizations/NLD", as: "admin").code == 404)
            // The failed attempts are audited.
            let denied = try await w.audit(as: "admin", "action=auth.denied")
            #expect(denied.count == 4)
            #expect(denied.allSatisfy { $0["reasons"] as? [String] == ["unauthenticated"] })
        }
    }

    @Test(arguments: TestBackend.allCases) func forgedToken(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let real = w.token("usa-releaser")
            let forged = String(real.dropLast()) + (real.hasSuffix("A") ? "B" : "A")
            for token in [forged, "tln_forged", String(repeating: "x", count: 300), w.adminToken + "x"] {
                let reply = try await w.send(.post, "/v1/reports", as: nil, json: Self.validReport,
                                             headers: [.authorization: "Bearer \(token)"])
                Self.expectProblem(reply, 401, "unauthorized")
            }
            let org = try await w.send(.post, "/v1/organizations", as: nil, json: ["id": "NLD", "name": "Netherlands", "kind": "state"],
                                       headers: [.authorization: "Bearer \(forged)"])
            Self.expectProblem(org, 401, "unauthorized")
            #expect(try await w.get("/v1/organizations/NLD", as: "admin").code == 404)
            try await Self.expectNoReports(w)
        }
    }

    @Test(arguments: TestBackend.allCases) func wrongContentType(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let json = String(decoding: try JSONSerialization.data(withJSONObject: Self.validReport), as: UTF8.self)
            for type in ["text/plain", "application/x-www-form-urlencoded", "application/xml"] {
                let reply = try await w.send(.post, "/v1/reports", as: "usa-releaser", raw: json, contentType: type)
                Self.expectProblem(reply, 415, "unsupported-media-type")
            }
            try await Self.expectNoReports(w)
        }
    }

    @Test(arguments: TestBackend.allCases) func badCursorAndLimit(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            for query in ["cursor=garbage", "limit=0", "limit=201", "limit=abc", "limit=-1"] {
                Self.expectProblem(try await w.get("/v1/reports?\(query)", as: "usa-releaser"), 400, "invalid-request")
                Self.expectProblem(try await w.get("/v1/releases?\(query)", as: "gbr-analyst-secret"), 400, "invalid-request")
                Self.expectProblem(try await w.get("/v1/audit?\(query)", as: "usa-security"), 400, "invalid-request")
            }
            Self.expectProblem(try await w.get("/v1/audit?since=yesterday", as: "usa-security"), 400, "invalid-request", detailContains: "since")
            Self.expectProblem(try await w.get("/v1/audit?until=2020-13-45", as: "usa-security"), 400, "invalid-request", detailContains: "until")
            // A listing writes nothing but its own audit event; no report appeared.
            try await Self.expectNoReports(w)
        }
    }

    @Test(arguments: TestBackend.allCases) func badValuesInOtherRequests(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let org = try await w.post("/v1/organizations", as: "admin", json: ["id": "nl", "name": "Netherlands", "kind": "state"])
            Self.expectProblem(org, 400, "invalid-request", detailContains: "id")
            let kind = try await w.post("/v1/organizations", as: "admin", json: ["id": "NLD", "name": "Netherlands", "kind": "kingdom"])
            Self.expectProblem(kind, 400, "invalid-request", detailContains: "kind")
            #expect(try await w.get("/v1/organizations/NLD", as: "admin").code == 404)

            let clearance = try await w.post("/v1/organizations/USA/members", as: "admin", json: ["name": "x", "roles": ["analyst"], "clearance": "COSMIC"])
            Self.expectProblem(clearance, 400, "invalid-request", detailContains: "clearance")
            let role = try await w.post("/v1/organizations/USA/members", as: "admin", json: ["name": "x", "roles": ["spy"], "clearance": "SECRET"])
            Self.expectProblem(role, 400, "invalid-request", detailContains: "spy")
            let members = try await w.get("/v1/organizations/USA/members", as: "admin")
            #expect(members.array.count == people.filter { $0.org == "USA" }.count)

            let trust = try await w.patch("/v1/partnerships/\(w.partnership("USA", "GBR"))", as: "usa-senior", json: ["trustLevel": "absolute"])
            Self.expectProblem(trust, 400, "invalid-request", detailContains: "trustLevel")
            let nothing = try await w.patch("/v1/partnerships/\(w.partnership("USA", "GBR"))", as: "usa-senior", json: [String: Any]())
            Self.expectProblem(nothing, 400, "invalid-request")
            let partnerships = try await w.get("/v1/partnerships", as: "usa-senior")
            let usaGBR = partnerships.array.first { $0["id"] as? String == w.partnership("USA", "GBR") }
            #expect(usaGBR?["trustLevel"] as? String == "high")
            #expect(usaGBR?["status"] as? String == "active")

            let decision = try await w.post("/v1/consent-requests/csr_x/decision", as: "isr-releaser", json: ["decision": "maybe"])
            Self.expectProblem(decision, 400, "invalid-request", detailContains: "decision")
            let recipient = try await w.post("/v1/reports/rpt_x/releases", as: "usa-releaser", json: ["recipient": "gbr"])
            Self.expectProblem(recipient, 400, "invalid-request", detailContains: "recipient")
        }
    }

    @Test(arguments: TestBackend.allCases) func deeplyNestedJSONIsRefusedWithoutCrashing(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let depth = 100_000
            let raw = "{\"title\": " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
            let reply = try await w.send(.post, "/v1/reports", as: "usa-releaser", raw: raw)
            Self.expectProblem(reply, 400, "invalid-request")
            try await Self.expectNoReports(w)
        }
    }

    @Test(arguments: TestBackend.allCases) func unknownRouteAndMethod(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let route = try await w.get("/v1/nothing-here", as: "usa-releaser")
            #expect(route.code == 404)
            #expect(route.isProblem, "\(route.headers)")
            #expect(route.problemType == "not-found")
            let method = try await w.send(.delete, "/v1/reports", as: "usa-releaser")
            #expect(method.code == 404 || method.code == 405)
            #expect(method.isProblem, "\(method.headers)")
            try await Self.expectNoReports(w)
        }
    }
}
