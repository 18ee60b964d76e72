import Foundation
import Hummingbird
import HTTPTypes
import TearlineCore
import TearlineServer
import TearlineStore
import Testing

/// Signing in to the console, its session cookie, CSRF, sign-out and expiry.
@Suite struct ConsoleSignInTests {
    @Test(arguments: TestBackend.allCases) func signingInWithATokenOpensAStrictSession(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let browser = ConsoleBrowser(w)
            let first = try await browser.get("/inbox")
            #expect(first.code == 303 && first.location == "/sign-in", "without a session the console asks to sign in")
            let reply = try await browser.signIn(as: "gbr-analyst-secret")
            #expect(reply.code == 303)
            #expect(reply.location == "/inbox")
            let cookie = try #require(reply.headers[values: .setCookie].first { $0.hasPrefix("tearline-session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"), "plain HTTP: Secure is set only under TLS")
            let session = try #require(browser.cookies["tearline-session"])
            #expect(session != w.token("gbr-analyst-secret"), "the session is not the API token")
            let inbox = try await browser.get("/inbox")
            #expect(inbox.code == 200)
            #expect(inbox.text.contains("gbr-analyst-secret · GBR"))
            let audit = try await w.audit(as: "gbr-security", "action=session.create")
            #expect(audit.count == 1)
            #expect(audit.first?["actor"] as? String == w.id("gbr-analyst-secret"))
            #expect(audit.first?["decision"] as? String == "allow")
        }
    }

    @Test func sessionsAreStoredOnlyAsHashes() async throws {
        try await withWorld(.sqliteFile) { w in
            let browser = ConsoleBrowser(w)
            try await browser.signIn(as: "usa-analyst")
            let session = try #require(browser.cookies["tearline-session"])
            let bytes = AuthTests.storedBytes(w.databasePath)
            #expect(bytes.range(of: Data(session.utf8)) == nil, "a session is stored in clear")
            #expect(bytes.range(of: APIToken.hash(session)) != nil, "the session's hash is stored")
        }
    }

    @Test func aPasswordSignsInAsForTAXII() async throws {
        try await withWorld(.sqliteMemory) { w in
            _ = try await w.service.taxii.setPassword(member: w.id("usa-analyst"), login: "alice", password: "correct horse battery", by: .nodeAdmin)
            let browser = ConsoleBrowser(w)
            _ = try await browser.get("/sign-in")
            let wrong = try await browser.post("/sign-in", [("csrf", try #require(browser.csrf)), ("login", "alice"), ("password", "wrong")])
            #expect(wrong.code == 401)
            #expect(wrong.text.contains("not valid"))
            #expect(wrong.text.contains(#"value="alice""#), "the login is kept, never the password")
            #expect(!wrong.text.contains("wrong\""))
            #expect(browser.cookies["tearline-session"] == nil)
            let right = try await browser.post("/sign-in", [("csrf", try #require(browser.csrf)), ("login", "alice"), ("password", "correct horse battery")])
            #expect(right.code == 303)
            let inbox = try await browser.get("/inbox")
            #expect(inbox.code == 200)
            #expect(inbox.text.contains("usa-analyst · USA"))
        }
    }

    @Test(arguments: TestBackend.allCases) func aForgedTokenIsRefusedAndAudited(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let browser = ConsoleBrowser(w)
            let reply = try await browser.signIn(token: "tl_forged")
            #expect(reply.code == 401)
            #expect(browser.cookies["tearline-session"] == nil)
            let denied = try await w.audit(as: "admin", "action=auth.denied")
            #expect(denied.contains { $0["object"] as? String == "/sign-in" })
        }
    }

    @Test func theSignInFormRefusesAPostWithoutItsToken() async throws {
        try await withWorld(.sqliteMemory) { w in
            let browser = ConsoleBrowser(w)
            _ = try await browser.get("/sign-in")
            let noToken = try await browser.post("/sign-in", [("token", w.token("usa-analyst"))])
            #expect(noToken.code == 403)
            let otherToken = try await browser.post("/sign-in", [("csrf", "tlc_guess"), ("token", w.token("usa-analyst"))])
            #expect(otherToken.code == 403)
            browser.clearCookies()
            let noCookie = try await browser.post("/sign-in", [("csrf", "anything"), ("token", w.token("usa-analyst"))])
            #expect(noCookie.code == 403)
            #expect(browser.cookies["tearline-session"] == nil, "no session was opened")
        }
    }

    @Test func aFormFromAnotherSiteIsRefused() async throws {
        try await withWorld(.sqliteMemory) { w in
            let browser = ConsoleBrowser(w)
            _ = try await browser.get("/sign-in")
            let csrf = try #require(browser.csrf)
            let evil = try await browser.post("/sign-in", [("csrf", csrf), ("token", w.token("usa-analyst"))],
                                              headers: [.origin: "https://evil.example"])
            #expect(evil.code == 403)
            let crossSite = try await browser.post("/sign-in", [("csrf", csrf), ("token", w.token("usa-analyst"))],
                                                   headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.code == 403)
            #expect(browser.cookies["tearline-session"] == nil)
        }
    }

    @Test(arguments: TestBackend.allCases) func signingOutEndsTheSessionForGood(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let browser = ConsoleBrowser(w)
            try await browser.signIn(as: "usa-analyst")
            let session = try #require(browser.cookies["tearline-session"])
            _ = try await browser.get("/inbox")
            let csrf = try #require(browser.csrf)
            let forged = try await browser.post("/sign-out", [("csrf", "not-it")])
            #expect(forged.code == 403, "sign-out needs the session's CSRF token")
            #expect(try await browser.get("/inbox").code == 200, "a refused sign-out leaves the session open")
            let out = try await browser.post("/sign-out", [("csrf", csrf)])
            #expect(out.code == 303 && out.location == "/sign-in")
            #expect(browser.cookies["tearline-session"] == nil)
            // A copy of the cookie kept by an attacker is dead as well: the session is gone on the server.
            browser.setCookie("tearline-session", session)
            let replay = try await browser.get("/inbox")
            #expect(replay.code == 303 && replay.location == "/sign-in")
            #expect(try await w.service.members.consoleCaller(session: session) == nil)
            let ended = try await w.audit(as: "usa-security", "action=session.end")
            #expect(ended.count == 1)
        }
    }

    /// Milliseconds the test moves by hand.
    final class Millis: @unchecked Sendable {
        // why @unchecked: guarded by `lock`.
        private let lock = NSLock()
        private var current: Int64 = 1_800_000_000_000
        var now: Int64 { lock.withLock { current } }
        func advance(_ ms: Int64) { lock.withLock { current += ms } }
    }

    @Test func aSessionEndsAfterItsLifetimeAndWhenIdleUnlessInUse() async throws {
        let key = MasterKey.random()
        let clock = Millis()
        let service = TearlineService(store: try await StoreLocation.memory.open(masterKey: key), masterKey: key, time: FunctionTime { clock.now })
        _ = try await service.members.createOrganization(.init(id: "USA", name: "United States", kind: "state"), by: .nodeAdmin)
        let created = try await service.members.createMember(in: "USA", .init(name: "a", roles: ["analyst"], clearance: "SECRET"), by: .nodeAdmin)
        let caller = try #require(try await service.members.authenticate(token: created.token))
        let policy = ConsoleSessionPolicy(lifetime: 8 * 3_600_000, idle: 30 * 60_000, touchEvery: 5 * 60_000)

        // Past its lifetime, however busy.
        let first = try await service.members.openConsoleSession(for: caller, via: "token", policy: policy)
        for _ in 0..<(8 * 6 - 1) {
            clock.advance(10 * 60_000)
            #expect(try await service.members.consoleCaller(session: first.token, policy: policy) != nil, "used every 10 minutes within its lifetime")
        }
        clock.advance(10 * 60_000)
        #expect(try await service.members.consoleCaller(session: first.token, policy: policy) == nil, "past its lifetime")
        #expect(try await service.store.read { s in try s.consoleSession(tokenHash: APIToken.hash(first.token)) } == nil, "an ended session is deleted")

        // Idle too long.
        let second = try await service.members.openConsoleSession(for: caller, via: "token", policy: policy)
        clock.advance(29 * 60_000)
        #expect(try await service.members.consoleCaller(session: second.token, policy: policy) != nil, "29 minutes idle")
        clock.advance(29 * 60_000)
        #expect(try await service.members.consoleCaller(session: second.token, policy: policy) != nil, "the page at 29 minutes moved its last-seen time")
        clock.advance(31 * 60_000)
        #expect(try await service.members.consoleCaller(session: second.token, policy: policy) == nil, "31 minutes idle")
    }

    @Test(arguments: TestBackend.allCases) func aSuspendedMemberSeesWhyAndNothingElse(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(as: "usa-releaser", reportBody(portions: [portion("(S)", "the courier met the handler")]))
            let browser = ConsoleBrowser(w)
            try await browser.signIn(as: "usa-releaser")
            #expect(try await browser.get("/reports/\(report)").code == 200)
            let suspend = try await w.patch("/v1/members/\(w.id("usa-releaser"))", as: "admin", json: ["status": "suspended"])
            #expect(suspend.code == 200)
            for path in ["/inbox", "/holdings", "/reports/\(report)", "/compose"] {
                let page = try await browser.get(path)
                #expect(page.code == 403, "\(path)")
                #expect(page.text.contains("suspended"), "\(path): the member is told why")
                #expect(!page.text.contains("courier"), "\(path): and sees no material")
            }
            let csrf = try #require(browser.csrf)
            let out = try await browser.post("/sign-out", [("csrf", csrf)])
            #expect(out.code == 303, "a suspended member can still sign out")
        }
    }

    @Test func aThrottledMemberSeesWhy() async throws {
        try await withWorld(.sqliteMemory) { w in
            let browser = ConsoleBrowser(w)
            try await browser.signIn(as: "usa-analyst")
            let member = try #require(try await w.service.store.read { s in try s.member(id: w.id("usa-analyst")) })
            var changed = member
            changed.throttled = true
            let throttled = changed
            try await w.service.store.write { s in try s.updateMember(throttled) }
            let page = try await browser.get("/inbox")
            #expect(page.code == 429)
            #expect(page.text.contains("throttled"))
        }
    }
}

@Suite struct ConsoleSignOutEverywhereTests {
    @Test(arguments: TestBackend.allCases) func signingOutEverywhereEndsTheMembersOtherSessions(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let laptop = ConsoleBrowser(w), desk = ConsoleBrowser(w), colleague = ConsoleBrowser(w)
            try await laptop.signIn(as: "usa-analyst")
            try await desk.signIn(as: "usa-analyst")
            try await colleague.signIn(as: "usa-releaser")
            _ = try await laptop.get("/inbox")
            let plain = try await laptop.post("/sign-out", [("csrf", try #require(laptop.csrf))])
            #expect(plain.code == 303)
            #expect(try await desk.get("/inbox").code == 200, "a plain sign-out ends only its own session")
            let out = try await desk.post("/sign-out", [("csrf", try #require(desk.csrf)), ("everywhere", "on")])
            #expect(out.code == 303)
            try await laptop.signIn(as: "usa-analyst")
            let third = ConsoleBrowser(w)
            try await third.signIn(as: "usa-analyst")
            _ = try await third.get("/inbox")
            _ = try await third.post("/sign-out", [("csrf", try #require(third.csrf)), ("everywhere", "on")])
            #expect(try await laptop.get("/inbox").code == 303, "every session of the member ended")
            #expect(try await colleague.get("/inbox").code == 200, "another member's session is untouched")
        }
    }
}

@Suite struct ConsoleTLSCookieTests {
    @Test func underTLSTheCookiesAreSecureAndHostPrefixed() async throws {
        let service = try await TearlineService.open(.memory)
        _ = try await service.members.createOrganization(.init(id: "USA", name: "United States", kind: "state"), by: .nodeAdmin)
        let created = try await service.members.createMember(in: "USA", .init(name: "a", roles: ["analyst"], clearance: "SECRET"), by: .nodeAdmin)
        let app = Application(router: buildRouter(service: service, scheme: "https"))
        try await app.test(.router) { client in
            let form = try await client.execute(uri: "/sign-in", method: .get)
            let signInCookie = try #require(form.headers[values: .setCookie].first)
            #expect(signInCookie.hasPrefix("__Host-tearline-sign-in="))
            #expect(signInCookie.contains("; Secure") && signInCookie.contains("HttpOnly") && signInCookie.contains("SameSite=Strict"))
            #expect(!signInCookie.contains("Domain="), "a __Host- cookie names no domain")
            let value = String(signInCookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)[1])
            let body = "csrf=\(value)&token=\(created.token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
            let signedIn = try await client.execute(
                uri: "/sign-in", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "__Host-tearline-sign-in=\(value)"],
                body: ByteBuffer(string: body))
            #expect(signedIn.status == .seeOther)
            let session = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("__Host-tearline-session=") })
            #expect(session.contains("; Secure") && session.contains("HttpOnly") && session.contains("SameSite=Strict") && session.contains("Path=/"))
        }
    }
}
