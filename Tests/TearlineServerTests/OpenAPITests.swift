import Foundation
import Hummingbird
import HummingbirdTesting
import TearlineServer
import Testing

/// The committed OpenAPI document must describe what the server really does.
@Suite struct OpenAPITests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The routes the router registers, as "METHOD /path/{param}".
    /// The routes of the API: every registered route but the console's pages (which are HTML,
    /// not API, and are covered by ``ConsoleRouteTests``).
    static func registeredRoutes() async throws -> Set<String> {
        try await allRegisteredRoutes().subtracting(ConsoleRouteTests.routes)
    }

    /// Every route the router registers.
    static func allRegisteredRoutes() async throws -> Set<String> {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tearline-openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let service = try await TearlineService.open(databasePath: directory.appendingPathComponent("t.db").path)
        let router = buildRouter(service: service)
        // RouterPath prints a capture as {name}; older spellings with ":name" are converted too.
        return Set(router.routes.map { route in
            let path = route.path.description.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            return "\(route.method.rawValue.uppercased()) \(path)"
        })
    }

    /// The paths object of the served document.
    static func paths(_ document: [String: Any]) -> [String: [String: Any]] {
        (document["paths"] as? [String: [String: Any]]) ?? [:]
    }

    static func documentedRoutes(_ document: [String: Any]) -> Set<String> {
        var routes = Set<String>()
        for (path, item) in paths(document) {
            for method in item.keys where methods.contains(method) { routes.insert("\(method.uppercased()) \(path)") }
        }
        return routes
    }

    /// The documented operation a concrete request path falls under.
    static func operation(_ document: [String: Any], method: String, path: String) -> [String: Any]? {
        let parts = path.split(separator: "?")[0].split(separator: "/")
        for (template, item) in paths(document) {
            let pattern = template.split(separator: "/")
            guard pattern.count == parts.count else { continue }
            let matches = zip(pattern, parts).allSatisfy { p, s in p.hasPrefix("{") || p == s }
            if matches, let op = item[method.lowercased()] as? [String: Any] { return op }
        }
        return nil
    }

    @Test(arguments: TestBackend.allCases) func servedDocumentIsTheCommittedOpenAPI31Document(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let reply = try await w.get("/openapi.json", as: nil)
            #expect(reply.code == 200)
            #expect(reply.contentType == "application/json")
            #expect(reply.body == OpenAPIDocument.data())
            let version = reply.string("openapi")
            #expect(version?.hasPrefix("3.1") == true, "openapi.json is not an OpenAPI 3.1 document (placeholder?): \(reply.text.prefix(80))")
        }
    }

    @Test(arguments: TestBackend.allCases) func everyRegisteredRouteIsDocumentedAndViceVersa(backend: TestBackend) async throws {
        let registered = try await Self.registeredRoutes()
        #expect(registered.count >= 25, "the router registers the whole API")
        try await withWorld(backend) { w in
            let document = try await w.get("/openapi.json", as: nil).object
            let documented = Self.documentedRoutes(document)
            let undocumented = registered.subtracting(documented).sorted()
            let phantom = documented.subtracting(registered).sorted()
            #expect(undocumented.isEmpty, "routes the server has but openapi.json lacks: \(undocumented)")
            #expect(phantom.isEmpty, "routes openapi.json describes but the server lacks: \(phantom)")
        }
    }

    @Test(arguments: TestBackend.allCases) func everyPathParameterIsDeclared(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let document = try await w.get("/openapi.json", as: nil).object
            #expect(!Self.paths(document).isEmpty)
            for (path, item) in Self.paths(document) {
                let names = path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
                for (method, value) in item where Self.methods.contains(method) {
                    let op = value as? [String: Any] ?? [:]
                    let declared = ((op["parameters"] as? [[String: Any]]) ?? []) + ((item["parameters"] as? [[String: Any]]) ?? [])
                    let inPath = Set(declared.filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String })
                    #expect(inPath == Set(names), "\(method.uppercased()) \(path) declares path parameters \(inPath.sorted())")
                }
            }
        }
    }

    /// Operations that need a bearer token answer 401 without one; the open ones answer 200.
    @Test(arguments: TestBackend.allCases) func documentedSecurityMatchesTheServer(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let document = try await w.get("/openapi.json", as: nil).object
            let globalSecurity = (document["security"] as? [[String: Any]]) ?? []
            #expect(!Self.paths(document).isEmpty)
            for (path, item) in Self.paths(document) {
                for (method, value) in item where Self.methods.contains(method) {
                    let op = value as? [String: Any] ?? [:]
                    let security = (op["security"] as? [[String: Any]]) ?? globalSecurity
                    let concrete = path.replacingOccurrences(of: "{id}", with: "x").replacingOccurrences(of: "{holder}", with: "GBR")
                    let reply = try await w.send(HTTPRequest.Method(method.uppercased())!, concrete, as: nil,
                                                 raw: method == "get" ? nil : "{}")
                    if security.isEmpty {
                        #expect(reply.code == 200, "\(method.uppercased()) \(path) is documented as open: \(reply)")
                    } else {
                        #expect(reply.code == 401, "\(method.uppercased()) \(path) is documented as needing a token: \(reply)")
                    }
                }
            }
        }
    }

    /// Every status the server answers in the scenarios below is one the document lists for that
    /// operation, and every 4xx is documented as application/problem+json.
    @Test(arguments: TestBackend.allCases) func observedStatusesAreDocumented(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let document = try await w.get("/openapi.json", as: nil).object
            var observed: [(String, String, Reply)] = []
            func record(_ method: String, _ path: String, _ reply: Reply) { observed.append((method, path, reply)) }

            let report = try await w.createReport(reportBody(portions: [portion("(S//REL TO USA, GBR)", "x"), portion("(S//NF)", "y")]))
            let release = try await w.releaseId(report, to: "GBR")
            record("GET", "/healthz", try await w.get("/healthz", as: nil))
            record("GET", "/v1/me", try await w.get("/v1/me", as: "usa-analyst"))
            record("GET", "/v1/organizations", try await w.get("/v1/organizations", as: "usa-analyst"))
            record("GET", "/v1/organizations/GBR", try await w.get("/v1/organizations/GBR", as: "usa-analyst"))
            record("GET", "/v1/organizations/USA/members", try await w.get("/v1/organizations/USA/members", as: "usa-analyst"))
            record("POST", "/v1/organizations", try await w.post("/v1/organizations", as: "usa-senior", json: ["id": "NLD", "name": "n", "kind": "state"]))
            record("POST", "/v1/organizations", try await w.post("/v1/organizations", as: "admin", json: ["id": "USA", "name": "n", "kind": "state"]))
            record("POST", "/v1/partnerships", try await w.post("/v1/partnerships", as: "admin",
                                                                 json: ["organizations": ["USA", "GBR"], "kind": "peer", "trustLevel": "low"]))
            record("GET", "/v1/reports", try await w.get("/v1/reports", as: "usa-analyst"))
            record("GET", "/v1/reports", try await w.get("/v1/reports", as: "admin"))
            record("GET", "/v1/releases", try await w.get("/v1/releases", as: "admin"))
            record("GET", "/v1/consent-requests", try await w.get("/v1/consent-requests", as: "admin"))
            record("GET", "/v1/reports/\(report)", try await w.get("/v1/reports/\(report)", as: "gbr-analyst-secret"))
            record("POST", "/v1/reports/\(report)/releases", try await w.release(report, to: "GBR", as: "usa-analyst"))
            record("POST", "/v1/reports/\(report)/releases", try await w.release(report, to: "FRA"))
            record("GET", "/v1/reports/\(report)/releases", try await w.get("/v1/reports/\(report)/releases", as: "usa-analyst"))
            record("GET", "/v1/releases/\(release)", try await w.get("/v1/releases/\(release)", as: "gbr-analyst-secret"))
            record("POST", "/v1/releases/\(release)/forward", try await w.post("/v1/releases/\(release)/forward", as: "gbr-analyst-secret",
                                                                                json: ["recipient": "DEU"]))
            record("POST", "/v1/releases/\(release)/forward", try await w.post("/v1/releases/\(release)/forward", as: "usa-releaser",
                                                                                json: ["recipient": "DEU"]))
            record("POST", "/v1/releases/\(release)/revoke", try await w.post("/v1/releases/\(release)/revoke", as: "usa-analyst"))
            record("POST", "/v1/releases/\(release)/revoke", try await w.post("/v1/releases/\(release)/revoke", as: "usa-releaser"))
            record("POST", "/v1/releases/\(release)/revoke", try await w.post("/v1/releases/\(release)/revoke", as: "usa-releaser"))
            record("GET", "/v1/audit", try await w.get("/v1/audit", as: "usa-analyst"))
            record("GET", "/v1/audit", try await w.get("/v1/audit?limit=0", as: "usa-security"))
            record("GET", "/v1/receipts/DEU", try await w.get("/v1/receipts/DEU", as: "usa-liaison"))
            record("GET", "/v1/receipts/FRA", try await w.get("/v1/receipts/FRA", as: "usa-security"))
            record("GET", "/v1/receipts/DEU", try await w.get("/v1/receipts/DEU", as: "admin"))
            record("POST", "/v1/grants", try await w.post("/v1/grants", as: "usa-releaser", json: ["member": w.id("usa-analyst")]))
            record("PATCH", "/v1/members/\(w.id("usa-analyst"))", try await w.patch("/v1/members/\(w.id("usa-analyst"))", as: "usa-analyst-nohcs",
                                                                                   json: ["status": "suspended"]))
            record("POST", "/v1/reports", try await w.send(.post, "/v1/reports", as: "usa-releaser", raw: "{}", contentType: "text/plain"))

            for (method, path, reply) in observed {
                guard let op = Self.operation(document, method: method, path: path) else {
                    Issue.record("\(method) \(path) is not documented")
                    continue
                }
                let responses = (op["responses"] as? [String: Any]) ?? [:]
                let status = String(reply.code)
                #expect(responses[status] != nil || responses["default"] != nil,
                        "\(method) \(path) answered \(status), which openapi.json does not list (\(responses.keys.sorted()))")
                if reply.code >= 400, let documented = responses[status] as? [String: Any] {
                    let content = (documented["content"] as? [String: Any]) ?? [:]
                    #expect(content["application/problem+json"] != nil, "\(method) \(path) \(status) is not documented as a problem")
                    #expect(reply.isProblem)
                }
            }
        }
    }
}
