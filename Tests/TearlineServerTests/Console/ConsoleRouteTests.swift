import Foundation
import Hummingbird
import TearlineServer
import Testing

/// The console's routes: every one is listed here (a new page must be added, and so tested),
/// and every page but the public ones asks to sign in without a session.
@Suite struct ConsoleRouteTests {
    /// The console's routes that need no session.
    static let open: Set<String> = ["GET /", "GET /sign-in", "POST /sign-in", "GET /static/{name}"]
    /// The console's pages, behind a session (the path used to try each).
    static let signedIn: [String: String] = [
        "GET /inbox": "/inbox", "GET /holdings": "/holdings", "GET /compose": "/compose", "POST /compose": "/compose",
        "GET /reports/{id}": "/reports/rpt_x", "GET /releases/{id}": "/releases/rel_x", "POST /sign-out": "/sign-out",
        "GET /reports/{id}/release": "/reports/rpt_x/release?recipient=GBR", "POST /reports/{id}/release": "/reports/rpt_x/release",
        "POST /releases/{id}/forward": "/releases/rel_x/forward", "GET /consent": "/consent", "POST /consent/{id}": "/consent/csr_x",
        "GET /search": "/search", "POST /search": "/search", "POST /chains": "/chains", "GET /access": "/access",
        "POST /access-requests": "/access-requests", "POST /access-requests/{id}": "/access-requests/acr_x",
        "POST /releases/{id}/feedback": "/releases/rel_x/feedback",
        "GET /partners": "/partners", "GET /partners/{id}": "/partners/GBR", "POST /partners/{id}/trust": "/partners/GBR/trust",
        "GET /security": "/security", "POST /security/verify": "/security/verify", "POST /members/{id}/lift-throttle": "/members/mem_x/lift-throttle",
        "GET /admin": "/admin", "POST /admin/organizations": "/admin/organizations", "POST /admin/partnerships": "/admin/partnerships",
        "GET /admin/organizations/{id}": "/admin/organizations/USA", "POST /admin/organizations/{id}/members": "/admin/organizations/USA/members",
        "POST /admin/members/{id}": "/admin/members/mem_x",
    ]
    static var routes: Set<String> { open.union(signedIn.keys) }

    @Test func theListIsTheRoutersConsole() async throws {
        let all = try await OpenAPITests.allRegisteredRoutes()
        let api = try await OpenAPITests.registeredRoutes()
        #expect(all.subtracting(api) == Self.routes, "the console's routes are exactly those listed here")
    }

    @Test(arguments: TestBackend.allCases) func everyPageAsksToSignInWithoutALiveSession(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let browser = ConsoleBrowser(w)
            for (key, path) in Self.signedIn {
                let method: HTTPRequest.Method = key.hasPrefix("POST") ? .post : .get
                for cookie in [nil, "tls_forged", w.token("usa-analyst")] {
                    browser.clearCookies()
                    if let cookie { browser.setCookie("tearline-session", cookie) }
                    let reply = method == .post ? try await browser.post(path, [("csrf", "x")]) : try await browser.get(path)
                    #expect(reply.code == 303 && reply.location == "/sign-in", "\(key) with \(cookie == nil ? "no" : "a forged") session: \(reply.code)")
                }
            }
            // An API token is not a session: the console never takes one from a cookie.
            let reports = try await w.get("/v1/reports", as: "usa-analyst")
            #expect(reports.code == 200)
        }
    }
}
