import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TearlineCore
@testable import TearlineServer
import Testing

/// Authentication runs as middleware in front of every route but the few public ones: a request
/// without a valid credential never reaches a route, is answered 401 and leaves an `auth.denied`
/// record naming its path, and nothing else.
@Suite struct AuthenticationMiddlewareTests {
    @Test(arguments: TestBackend.allCases) func everyRouteButThePublicOnesRefusesAMissingOrForgedCredential(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let (report, release) = try await RestrictedMemberTests.seed(w)
            let before = try await RestrictedMemberTests.snapshot(w)
            let routes = RestrictedMemberTests.routes(w, who: "usa-senior", report: report, release: release)
                + [RestrictedMemberTests.Route(method: .get, pattern: "/v1/me", path: "/v1/me")]
            let covered = Set(routes.map(\.key))
            let registered = try await OpenAPITests.registeredRoutes().subtracting(Self.public)
            #expect(registered.subtracting(covered).isEmpty, "routes this test does not try: \(registered.subtracting(covered).sorted())")

            for route in routes {
                let path = String(route.path.split(separator: "?", maxSplits: 1)[0])
                let headers: HTTPFields = route.taxii ? [.accept: taxiiType] : [:]
                for authorization in [nil, "Bearer forged-\(UUID().uuidString)", "Bearer ", "Basic bm8tY29sb24="] {
                    var sent = headers
                    if let authorization { sent[.authorization] = authorization }
                    let auditedBefore = try await Self.denials(w, path: path)
                    let reply = try await w.send(route.method, route.path, as: nil, json: route.body.map { $0 as [String: Any] },
                                                 headers: sent, contentType: route.taxii ? taxiiType : "application/json")
                    let label = "\(route.key) with \(authorization ?? "no Authorization")"
                    #expect(reply.code == 401, "\(label): \(reply)")
                    if route.taxii {
                        #expect(reply.headers[.wwwAuthenticate] != nil, "\(label): a TAXII 401 says how to authenticate")
                    } else {
                        #expect(reply.problemType == "unauthorized", "\(label)")
                    }
                    #expect(try await Self.denials(w, path: path) == auditedBefore + 1, "\(label): one auth.denied record")
                }
            }
            #expect(try await RestrictedMemberTests.snapshot(w) == before, "refused requests changed nothing")
        }
    }

    @Test func aRouteOutsideTheAuthenticatedGroupsHasNoCallerAndIsRefused() async throws {
        let router = Router(context: TearlineRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        router.get("/unguarded") { _, context in
            let caller = try context.requireCaller()
            return caller.actorId
        }
        router.get("/no-token") { _, context in try context.requireToken() }
        let app = Application(router: router)
        try await app.test(.router) { client in
            for path in ["/unguarded", "/no-token"] {
                let status = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer anything"]) { $0.status }
                #expect(status == .unauthorized, "\(path): a route the middleware did not stand in front of denies")
            }
        }
    }

    /// The routes anyone may call: health, the OpenAPI document, and the federation exchange
    /// (which identifies a partner node by its pinned certificate instead).
    static let `public`: Set<String> = ["GET /healthz", "GET /readyz", "GET /openapi.json", "POST /federation/v1/exchange", "GET /federation/v1/discovery/set", "POST /federation/v1/discovery/evaluate"]

    static func denials(_ w: World, path: String) async throws -> Int {
        let object = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? path
        return try await w.audit(as: "admin", "action=auth.denied&object=\(object)&limit=200").count
    }
}
