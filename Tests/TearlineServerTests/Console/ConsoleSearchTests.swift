import Foundation
import Hummingbird
import TearlineCore
import TearlineServer
import Testing

/// Connecting the dots in the console: search with hits and pointers, an access request with
/// its justification, granted by the holder; links drawn on the server; feedback on a release.
@Suite struct ConsoleSearchTests {
    static func discoverableReport(_ w: World, discoverability: String = "all-partners") async throws -> String {
        var body = reportBody(title: "Courier", topics: ["counter-terrorism"], portions: [
            portion("(S//REL TO USA, GBR)", "Vasily PETROV called +44 20 7946 0958 from Vienna"),
        ])
        body["entities"] = [["type": "person", "value": "Vasily PETROV", "portion": 0], ["type": "location", "value": "Vienna", "portion": 0]]
        body["discoverability"] = discoverability
        return try await w.createReport(body)
    }

    static func search(_ browser: ConsoleBrowser, kind: String = "person", _ value: String) async throws -> Reply {
        _ = try await browser.get("/search")
        return try await browser.post("/search", [("csrf", try #require(browser.csrf)), ("kind", kind), ("value", value)])
    }

    @Test(arguments: TestBackend.allCases) func aPointerLeadsToAnAccessRequestTheHolderGrants(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            _ = try await Self.discoverableReport(w)
            let gbr = ConsoleBrowser(w)
            try await gbr.signIn(as: "gbr-analyst-secret")
            _ = try await gbr.get("/search")
            let found = try await Self.search(gbr, "vasily petrov")
            #expect(found.code == 200)
            #expect(found.text.contains("USA holds 1 report that mentions this"))
            #expect(!found.text.contains("called +44"), "a pointer shows no text")
            #expect(found.text.contains(#"id="no-hits""#))
            let handle = try #require(found.text.firstMatch(of: /name="handle" value="([^"]+)"/)?.output.1).description
            let asked = try await gbr.post("/access-requests", [("csrf", try #require(gbr.csrf)), ("handle", handle),
                                                                ("justification", "the same courier appears in our case 7")])
            #expect(asked.code == 303 && asked.location == "/access")
            let outgoing = try await gbr.get("/access")
            #expect(outgoing.text.contains("the same courier appears in our case 7"))
            #expect(outgoing.text.contains("pending"))

            let usa = ConsoleBrowser(w)
            try await usa.signIn(as: "usa-releaser")
            let incoming = try await usa.get("/access")
            let id = try #require(incoming.text.firstMatch(of: /id="grant-(acr_[0-9a-f]+)"/)?.output.1).description
            #expect(incoming.text.contains("the same courier appears in our case 7"), "the holder sees the justification")
            let granted = try await usa.post("/access-requests/\(id)", [("csrf", try #require(usa.csrf)), ("decision", "grant")])
            #expect(granted.code == 303)
            let after = try await gbr.get("/access")
            #expect(after.text.contains("granted"))
            let link = try #require(after.text.firstMatch(of: /href="(\/releases\/rel_[0-9a-f]+)"/)?.output.1).description
            let read = try await gbr.get(link)
            #expect(read.code == 200)
            #expect(read.text.contains("called +44"), "the analyst reads what was released")
            let again = try await Self.search(gbr, "vasily petrov")
            #expect(again.text.contains("called +44"), "now a hit of its own")
        }
    }

    @Test(arguments: TestBackend.allCases) func whatIsNotDiscoverableLeavesNoTrace(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let gbr = ConsoleBrowser(w)
            try await gbr.signIn(as: "gbr-analyst-secret")
            let before = try await Self.search(gbr, "vasily petrov")
            _ = try await Self.discoverableReport(w, discoverability: "own-organisation")
            let after = try await Self.search(gbr, "vasily petrov")
            #expect(after.code == 200)
            #expect(after.text.contains(#"id="nothing-found""#))
            let strip = { (text: String) in text.replacing(/value="[A-Za-z0-9_-]{20,}"/, with: "") }
            #expect(strip(before.text) == strip(after.text), "the answer is the same with and without the holding")
        }
    }

    @Test func theSearchedValueStaysOutOfURLsAndTheAuditLog() async throws {
        try await withWorld(.sqliteMemory) { w in
            _ = try await Self.discoverableReport(w)
            let usa = ConsoleBrowser(w)
            try await usa.signIn(as: "usa-releaser")
            let get = try await usa.get("/search?kind=person&value=vasily")
            #expect(!get.text.contains("vasily"), "a GET does not search")
            #expect(get.text.contains(#"<form method="post" action="/search""#), "the search form is posted")
            let found = try await Self.search(usa, "vasily petrov")
            #expect(found.text.contains(#"<mark class="entity" title="person">Vasily PETROV</mark>"#))
            let events = try await w.audit(as: "usa-security", "action=entity.search")
            #expect(events.count == 1)
            #expect((events.first?["object"] as? String)?.hasPrefix("entity:") == true)
            let all = try await w.get("/v1/audit", as: "usa-security")
            #expect(!all.text.lowercased().contains("petrov"), "the audit log names entities by blind id only")
        }
    }

    @Test(arguments: TestBackend.allCases) func linksAreDrawnOnTheServer(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            _ = try await Self.discoverableReport(w)
            let usa = ConsoleBrowser(w)
            try await usa.signIn(as: "usa-releaser")
            let found = try await Self.search(usa, "vasily petrov")
            #expect(found.text.contains(#"<svg class="link-chart""#), "the entities seen with it, as SVG")
            #expect(found.text.contains("vienna"), "the location seen with the person")
            #expect(!found.text.contains("<script"))
            let chains = try await usa.post("/chains", [("csrf", try #require(usa.csrf)), ("kind", "person"), ("value", "vasily petrov"),
                                                        ("toKind", "location"), ("toValue", "Vienna")])
            #expect(chains.code == 200)
            #expect(chains.text.contains(#"id="chains""#))
            #expect(chains.text.contains("report") && chains.text.contains("of USA"), "each link shows whose holding it goes through")
            #expect(chains.text.components(separatedBy: "<svg").count == 2)
            let bad = try await usa.post("/chains", [("csrf", try #require(usa.csrf)), ("kind", "person"), ("value", "x"),
                                                     ("toKind", "person"), ("toValue", "x")])
            #expect(bad.code == 400)
        }
    }

    @Test(arguments: TestBackend.allCases) func feedbackMovesTheTrackRecord(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(portions: [portion("(S//REL TO USA, GBR)", "the courier met the handler")]))
            let release = try await w.releaseId(report, to: "GBR")
            let gbr = ConsoleBrowser(w)
            try await gbr.signIn(as: "gbr-analyst-secret")
            let page = try await gbr.get("/releases/\(release)")
            #expect(page.text.contains("no feedback yet"))
            let given = try await gbr.post("/releases/\(release)/feedback", [("csrf", try #require(gbr.csrf)), ("verdict", "confirmed"),
                                                                            ("note", "matches our intercepts")])
            #expect(given.code == 303)
            let after = try await gbr.get("/releases/\(release)")
            #expect(after.text.contains("<strong>confirmed</strong>"))
            #expect(after.text.contains("1 judged"), "the originator's track record moved")
            let usa = ConsoleBrowser(w)
            try await usa.signIn(as: "usa-releaser")
            let originator = try await usa.get("/releases/\(release)")
            #expect(originator.text.contains("matches our intercepts"), "the originator sees the feedback")
            #expect(!originator.text.contains(#"action="/releases/\#(release)/feedback""#), "only the recipient judges")
            let bad = try await gbr.post("/releases/\(release)/feedback", [("csrf", try #require(gbr.csrf)), ("verdict", "great")])
            #expect(bad.code == 400)
        }
    }
}
