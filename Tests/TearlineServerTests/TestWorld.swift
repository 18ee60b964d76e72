import Foundation
import Hummingbird
import HummingbirdTesting
import TearlineCore
import TearlineServer
import TearlineStore
import Testing

/// One HTTP answer, with its body kept as bytes so it can cross concurrency domains.
struct Reply: Sendable, CustomStringConvertible {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: Data

    var code: Int { status.code }
    var contentType: String? { headers[.contentType] }
    var text: String { String(decoding: body, as: UTF8.self) }
    var description: String { "\(code) \(text)" }

    /// The body as a JSON object, or empty when it is not one.
    var object: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
    /// The body as a JSON array of objects, or empty.
    var array: [[String: Any]] { ((try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]]) ?? [] }

    func string(_ key: String) -> String? { object[key] as? String }
    func int(_ key: String) -> Int? { object[key] as? Int }
    func strings(_ key: String) -> [String]? { object[key] as? [String] }
    func ints(_ key: String) -> [Int]? { object[key] as? [Int] }
    func objects(_ key: String) -> [[String: Any]] { (object[key] as? [[String: Any]]) ?? [] }

    /// The stable problem slug: the last component of the problem `type` URI.
    var problemType: String? {
        guard let uri = string("type") else { return nil }
        return uri.hasPrefix(problemTypePrefix) ? String(uri.dropFirst(problemTypePrefix.count)) : uri
    }

    /// Denial reasons of a problem document.
    var reasons: [String]? { strings("reasons") }

    /// The indexes of the portions a document view shows.
    var portionIndexes: [Int] { objects("portions").compactMap { $0["index"] as? Int } }

    var isProblem: Bool { contentType == "application/problem+json" }
}

let problemTypePrefix = "https://tearline.dev/problems/"

/// A portion of a report request.
func portion(_ marking: String, _ text: String, sourcesAndMethods: Bool? = nil) -> [String: Any] {
    var p: [String: Any] = ["marking": marking, "text": text]
    if let sourcesAndMethods { p["sourcesAndMethods"] = sourcesAndMethods }
    return p
}

/// A report request body.
func reportBody(
    title: String = "Test report", titleMarking: String = "(U)", sourceGrade: String = "B2",
    topics: [String] = ["counter-terrorism"], portions: [[String: Any]]
) -> [String: Any] {
    ["title": title, "titleMarking": titleMarking, "sourceGrade": sourceGrade, "topics": topics, "portions": portions]
}

/// The people of the test world: name, organisation, roles, clearance, compartments, topics, secondment.
let people: [(name: String, org: String, roles: [String], clearance: String, compartments: [String], topics: [String], seconded: String?)] = [
    ("usa-releaser", "USA", ["analyst", "releaser"], "TOP SECRET", ["HCS"], ["counter-terrorism", "soviet-union", "iran"], nil),
    ("usa-senior", "USA", ["analyst", "releaser", "admin"], "TOP SECRET", ["HCS"], ["counter-terrorism", "soviet-union", "iran"], nil),
    ("usa-security", "USA", ["security"], "TOP SECRET", [], ["counter-terrorism"], nil),
    ("usa-liaison", "USA", ["liaison"], "SECRET", [], ["soviet-union"], "DEU"),
    ("usa-analyst", "USA", ["analyst"], "SECRET", [], ["counter-terrorism"], nil),
    ("usa-analyst-nohcs", "USA", ["analyst"], "TOP SECRET", [], ["counter-terrorism"], nil),
    ("usa-analyst-economics", "USA", ["analyst"], "TOP SECRET", ["HCS"], ["economics"], nil),
    ("gbr-analyst-secret", "GBR", ["analyst"], "SECRET", [], ["counter-terrorism"], nil),
    ("gbr-analyst-confidential", "GBR", ["analyst"], "CONFIDENTIAL", [], ["counter-terrorism"], nil),
    ("gbr-security", "GBR", ["security"], "SECRET", [], ["counter-terrorism"], nil),
    ("deu-analyst", "DEU", ["analyst"], "SECRET", [], ["soviet-union"], nil),
    ("deu-admin", "DEU", ["analyst", "admin"], "SECRET", [], ["soviet-union"], nil),
    ("deu-security", "DEU", ["security"], "SECRET", [], ["soviet-union"], nil),
    ("isr-releaser", "ISR", ["analyst", "releaser", "admin"], "TOP SECRET", [], ["iran"], nil),
    ("isr-analyst", "ISR", ["analyst"], "TOP SECRET", [], ["iran"], nil),
    ("isr-security", "ISR", ["security"], "TOP SECRET", [], ["iran"], nil),
    ("rus-analyst", "RUS", ["analyst"], "TOP SECRET", [], ["iran"], nil),
    ("rus-security", "RUS", ["security"], "TOP SECRET", [], ["iran"], nil),
    ("fra-releaser", "FRA", ["analyst", "releaser"], "SECRET", [], ["counter-terrorism"], nil),
]

/// The world every server test starts from, built through the HTTP API with bearer tokens:
/// USA, GBR, DEU, ISR, RUS, FRA; USA–GBR peer (high), USA–DEU hierarchical with USA dominant
/// (low), ISR–USA peer (high). FRA and RUS have no partnership with anyone.
struct World: Sendable {
    let client: any TestClientProtocol
    let service: TearlineService
    /// The SQLite file, on the file backend; `nil` on a backend without one.
    let databaseFile: String?
    let adminToken: String
    let tokens: [String: String]
    let memberIds: [String: String]
    let partnershipIds: [String: String]

    /// The SQLite file. Only a test run with `withWorld(.sqliteFile)` has one: a test that reads
    /// the file is about SQLite, not about the store's contract.
    var databasePath: String {
        guard let databaseFile else { preconditionFailure("this test reads the database file: run it on .sqliteFile only") }
        return databaseFile
    }

    /// The token of a person of the world, or of the node admin for `"admin"`.
    func token(_ who: String) -> String {
        who == "admin" ? adminToken : tokens[who]!
    }

    func id(_ who: String) -> String { memberIds[who]! }

    /// The partnership id for two organisations, in either order.
    func partnership(_ a: String, _ b: String) -> String {
        partnershipIds[[a, b].sorted().joined(separator: "-")]!
    }

    /// Sends a request; `as` names the caller (or `nil` for no token), `json` is serialised.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, as who: String?, json: Any? = nil,
        raw: String? = nil, headers extra: HTTPFields = [:], contentType: String? = "application/json"
    ) async throws -> Reply {
        var headers = extra
        if let who { headers[.authorization] = "Bearer \(token(who))" }
        var buffer: ByteBuffer?
        if let json {
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
        } else if let raw {
            buffer = ByteBuffer(string: raw)
        }
        if buffer != nil, let contentType, headers[.contentType] == nil { headers[.contentType] = contentType }
        return try await client.execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            Reply(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
        }
    }

    func get(_ uri: String, as who: String?) async throws -> Reply { try await send(.get, uri, as: who) }
    func post(_ uri: String, as who: String?, json: Any = [String: Any]()) async throws -> Reply {
        try await send(.post, uri, as: who, json: json)
    }
    func patch(_ uri: String, as who: String?, json: Any) async throws -> Reply { try await send(.patch, uri, as: who, json: json) }

    /// Creates a report and returns its id; the creation must succeed.
    func createReport(as who: String = "usa-releaser", _ body: [String: Any]) async throws -> String {
        let reply = try await post("/v1/reports", as: who, json: body)
        try #require(reply.code == 201, "creating a report failed: \(reply)")
        return try #require(reply.string("id"))
    }

    /// Releases a report; the caller checks the answer.
    func release(_ reportId: String, to recipient: String, as who: String = "usa-releaser", approveOrcon: Bool? = nil) async throws -> Reply {
        var body: [String: Any] = ["recipient": recipient]
        if let approveOrcon { body["approveOrcon"] = approveOrcon }
        return try await post("/v1/reports/\(reportId)/releases", as: who, json: body)
    }

    /// Releases a report and returns the release id; the release must succeed.
    func releaseId(_ reportId: String, to recipient: String, as who: String = "usa-releaser", approveOrcon: Bool? = nil) async throws -> String {
        let reply = try await release(reportId, to: recipient, as: who, approveOrcon: approveOrcon)
        try #require(reply.code == 201, "releasing failed: \(reply)")
        return try #require(reply.string("id"))
    }

    /// The audit events a security member sees, filtered by query parameters.
    func audit(as who: String, _ query: String = "") async throws -> [[String: Any]] {
        let reply = try await get("/v1/audit" + (query.isEmpty ? "" : "?" + query), as: who)
        try #require(reply.code == 200, "reading the audit log failed: \(reply)")
        return reply.objects("items")
    }

    /// The reasons of the last denied event with `action` on `object`, as `who` (a security member) sees it.
    func deniedReasons(action: String, object: String, as who: String) async throws -> [String]? {
        let events = try await audit(as: who, "action=\(action)&object=\(object)")
        return events.last(where: { $0["decision"] as? String == "deny" })?["reasons"] as? [String]
    }

    /// Changes a partnership's status as `who`; must succeed.
    func setPartnership(_ a: String, _ b: String, _ change: [String: Any], as who: String) async throws {
        let reply = try await patch("/v1/partnerships/\(partnership(a, b))", as: who, json: change)
        try #require(reply.code == 200, "changing the partnership failed: \(reply)")
    }

    /// Creates a partnership through the API as the node admin; returns its id.
    @discardableResult
    func createPartnership(_ a: String, _ b: String, kind: String = "peer", dominant: String? = nil, trust: String) async throws -> String {
        var body: [String: Any] = ["organizations": [a, b], "kind": kind, "trustLevel": trust]
        if let dominant { body["dominant"] = dominant }
        let reply = try await post("/v1/partnerships", as: "admin", json: body)
        try #require(reply.code == 201, "creating partnership \(a)–\(b) failed: \(reply)")
        return try #require(reply.string("id"))
    }
}

/// The backends the HTTP tests of the stories run against: each such test takes one
/// (`@Test(arguments: TestBackend.allCases)`) and passes it to ``withWorld(_:limits:passwordChecks:_:)``.
/// A new backend is one more case here and one more branch in ``withService(in:limits:passwordChecks:_:)``;
/// no test is copied. Tests that read the SQLite file itself run on `.sqliteFile` only.
enum TestBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// SQLiteStore on a file in WAL mode, with its master key file beside it (what a node runs).
    case sqliteFile
    /// SQLiteStore on an in-memory database, with a random master key.
    case sqliteMemory
    /// PostgresStore in a schema of its own, with its master key file in the test's directory,
    /// when `TEARLINE_TEST_DATABASE_URL` names a server (`.ci/run` starts a throwaway cluster).
    case postgres

    var testDescription: String { rawValue }

    static var allCases: [TestBackend] { postgresURL == nil ? [.sqliteFile, .sqliteMemory] : [.sqliteFile, .sqliteMemory, .postgres] }

    static let postgresURL: PostgresURL? = ProcessInfo.processInfo.environment["TEARLINE_TEST_DATABASE_URL"].flatMap { try? PostgresURL($0) }

    /// Runs `body` with a fresh node on this backend. `directory` is an empty temporary directory
    /// it may use; `databaseFile` is the SQLite file's path when the backend has one.
    func withService(in directory: URL, limits: ThrottleLimits, passwordChecks: PasswordCheckPool,
                     _ body: (_ service: TearlineService, _ databaseFile: String?) async throws -> Void) async throws {
        switch self {
        case .sqliteFile:
            let path = directory.appendingPathComponent("tearline.db").path
            try await body(try await TearlineService.open(databasePath: path, limits: limits, passwordChecks: passwordChecks), path)
        case .sqliteMemory:
            try await body(try await TearlineService.open(.memory, limits: limits, passwordChecks: passwordChecks), nil)
        case .postgres:
            try await PostgresScratchSchema.with(at: try #require(TestBackend.postgresURL)) { url in
                let service = try await TearlineService.open(.postgres(url), keyFile: directory.appendingPathComponent("master.key").path,
                                                             limits: limits, passwordChecks: passwordChecks)
                try await body(service, nil)
            }
        }
    }
}

/// Runs `body` against a fresh node on `backend` (in its own temporary directory), with the
/// node-admin token and the standard world built over HTTP.
func withWorld(_ backend: TestBackend, limits: ThrottleLimits = .standard, passwordChecks: PasswordCheckPool = .shared,
               _ body: @Sendable (World) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tearline-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await backend.withService(in: directory, limits: limits, passwordChecks: passwordChecks) { service, databaseFile in
        try await play(service, databaseFile: databaseFile, body)
    }
}

/// Builds the standard world on `service` over HTTP and runs `body` in it.
private func play(_ service: TearlineService, databaseFile: String?, _ body: @Sendable (World) async throws -> Void) async throws {
    let adminToken = try #require(try await service.members.bootstrapNodeAdmin())
    let app = Application(router: buildRouter(service: service))
    try await app.test(.router) { client in
        let bare = World(client: client, service: service, databaseFile: databaseFile, adminToken: adminToken,
                         tokens: [:], memberIds: [:], partnershipIds: [:])
        for (id, name) in [("USA", "United States"), ("GBR", "United Kingdom"), ("DEU", "West Germany"),
                           ("ISR", "Israel"), ("RUS", "Russia"), ("FRA", "France")] {
            let reply = try await bare.post("/v1/organizations", as: "admin", json: ["id": id, "name": name, "kind": "state"])
            try #require(reply.code == 201, "creating \(id) failed: \(reply)")
        }
        var tokens: [String: String] = [:]
        var memberIds: [String: String] = [:]
        for person in people {
            var json: [String: Any] = [
                "name": person.name, "roles": person.roles, "clearance": person.clearance,
                "compartments": person.compartments, "topics": person.topics,
            ]
            if let seconded = person.seconded { json["secondedTo"] = seconded }
            let reply = try await bare.post("/v1/organizations/\(person.org)/members", as: "admin", json: json)
            try #require(reply.code == 201, "creating \(person.name) failed: \(reply)")
            let token: String = try #require(reply.string("token"))
            let memberId: String = try #require((reply.object["member"] as? [String: Any])?["id"] as? String)
            tokens[person.name] = token
            memberIds[person.name] = memberId
        }
        var partnerships: [String: String] = [:]
        for (a, b, kind, dominant, trust) in [("USA", "GBR", "peer", nil, "high"), ("USA", "DEU", "hierarchical", "USA", "low"),
                                              ("ISR", "USA", "peer", nil, "high")] as [(String, String, String, String?, String)] {
            let id = try await bare.createPartnership(a, b, kind: kind, dominant: dominant, trust: trust)
            partnerships[[a, b].sorted().joined(separator: "-")] = id
        }
        let world = World(client: client, service: service, databaseFile: databaseFile, adminToken: adminToken,
                          tokens: tokens, memberIds: memberIds, partnershipIds: partnerships)
        try await body(world)
    }
}
