import Foundation
import Hummingbird
import HTTPTypes
import TearlineCore
import TearlineServer
import Testing

/// The console's pages: what each reader sees, what it must not, and that every page goes
/// through the same services (audited, counted, fingerprinted) as the API.
@Suite struct ConsolePageTests {
    @Test func everyPageCarriesTheSecurityHeaders() async throws {
        try await withWorld(.sqliteMemory) { w in
            let report = try await w.createReport(reportBody(portions: [portion("(S)", "text")]))
            let browser = ConsoleBrowser(w)
            var pages = [try await browser.get("/sign-in")]
            try await browser.signIn(as: "usa-releaser")
            for path in ["/inbox", "/holdings", "/compose", "/reports/\(report)", "/reports/rpt_unknown"] {
                pages.append(try await browser.get(path))
            }
            for page in pages {
                let csp = try #require(page.headers[.contentSecurityPolicy])
                #expect(csp.contains("default-src 'none'"))
                #expect(csp.contains("script-src 'self'") && csp.contains("style-src 'self'"))
                #expect(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"))
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(page.headers[.cacheControl] == "no-store")
                #expect(page.headers[.xContentTypeOptions] == "nosniff")
                #expect(!page.text.contains("<script"), "no inline script")
                #expect(!page.text.contains("style="), "no inline style")
            }
        }
    }

    @Test func templatesNeverWriteUnescapedValues() throws {
        let directory = consoleTemplateDirectory()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }
        #expect(names.count >= 8)
        for name in names {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains("{{{") && !text.contains("{{&"), "\(name) writes a value without escaping it")
            #expect(!text.contains("<script"), "\(name) has an inline script")
            #expect(!text.contains("style="), "\(name) has an inline style")
        }
    }

    @Test(arguments: TestBackend.allCases) func readingAReportIsAuditedCountedAndEscaped(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(
                title: "<script>alert('t')</script>", portions: [portion("(S//REL TO USA, GBR)", "<img src=x onerror=alert(1)> the courier"),
                                                                  portion("(TS//HCS)", "compartmented detail", sourcesAndMethods: true)]))
            let browser = ConsoleBrowser(w)
            try await browser.signIn(as: "usa-releaser")
            let page = try await browser.get("/reports/\(report)")
            #expect(page.code == 200)
            #expect(!page.text.contains("<script>alert") && !page.text.contains("<img src=x"), "text is escaped")
            #expect(page.text.contains("&lt;img src=x onerror=alert(1)&gt; the courier"))
            #expect(page.text.contains("(S//REL TO USA, GBR)") && page.text.contains("(TS//HCS)"), "every portion shows its mark")
            #expect(page.text.contains("S&amp;M"), "the sources-and-methods flag")
            // The banner, top and bottom, rolled up from what the page shows, in the classification's colour.
            #expect(page.text.components(separatedBy: #"class="banner top-secret""#).count == 3)
            #expect(page.text.contains(#"data-banner="TOP SECRET//HCS//NOFORN""#))
            let reads = try await w.audit(as: "usa-security", "action=report.read&object=\(report)")
            #expect(reads.count == 1, "the console's read is audited as a read")
            #expect(reads.first?["actor"] as? String == w.id("usa-releaser"))

            // A colleague without HCS sees only what the rule allows, under a banner of only that.
            let colleague = ConsoleBrowser(w)
            try await colleague.signIn(as: "usa-analyst")
            let partial = try await colleague.get("/reports/\(report)")
            #expect(partial.code == 200)
            #expect(!partial.text.contains("compartmented detail"))
            #expect(partial.text.contains("1 portion(s) withheld from you"))
            #expect(partial.text.contains(#"data-banner="SECRET//REL TO USA, GBR""#))
            #expect(partial.text.contains(#"class="banner secret""#))
        }
    }

    @Test(arguments: TestBackend.allCases) func anotherOrganisationsReportDoesNotExist(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(portions: [portion("(S//REL TO USA, GBR)", "the courier")]))
            let browser = ConsoleBrowser(w)
            try await browser.signIn(as: "gbr-analyst-secret")
            let page = try await browser.get("/reports/\(report)")
            let unknown = try await browser.get("/reports/rpt_00000000000000000000000000000000")
            #expect(page.code == 404 && unknown.code == 404)
            #expect(!page.text.contains("courier"))
            #expect(page.text.replacingOccurrences(of: report, with: "X") == unknown.text.replacingOccurrences(of: "rpt_00000000000000000000000000000000", with: "X"),
                    "the answer does not tell that it exists")
            let denied = try await w.deniedReasons(action: "report.read", object: report, as: "gbr-security")
            #expect(denied == ["no-access-path"], "the probe is audited")
        }
    }

    @Test(arguments: TestBackend.allCases) func theInboxListsReleasesWithTrackRecordsAndFilters(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(title: "Courier network", topics: ["counter-terrorism"],
                                                             portions: [portion("(S//REL TO USA, GBR)", "the courier met the handler"),
                                                                        portion("(S//NF)", "our source inside")]))
            let release = try await w.releaseId(report, to: "GBR")
            let browser = ConsoleBrowser(w)
            try await browser.signIn(as: "gbr-analyst-secret")
            let inbox = try await browser.get("/inbox")
            #expect(inbox.code == 200)
            #expect(inbox.text.contains("Courier network"))
            #expect(inbox.text.contains("/releases/\(release)"))
            #expect(inbox.text.contains("no feedback yet"), "the originator's track record column")
            #expect(inbox.text.contains(#"class="banner secret""#), "the banner of what the page shows")
            #expect(!inbox.text.contains("our source inside"))
            let filtered = try await browser.get("/inbox?originator=DEU")
            #expect(filtered.code == 200)
            #expect(!filtered.text.contains("Courier network"))
            #expect(filtered.text.contains("No release matches this filter"))
            let byTopic = try await browser.get("/inbox?topic=counter-terrorism")
            #expect(byTopic.text.contains("Courier network"))
            let otherTopic = try await browser.get("/inbox?topic=economics")
            #expect(!otherTopic.text.contains("Courier network"))

            let read = try await browser.get("/releases/\(release)")
            #expect(read.code == 200)
            #expect(read.text.contains("the courier met the handler"))
            #expect(!read.text.contains("our source inside"), "the tearline copy only")
            #expect(read.text.contains(#"id="track-record""#))
            let reads = try await w.audit(as: "gbr-security", "action=release.read&object=\(release)")
            #expect(reads.count == 1)
        }
    }

    @Test(arguments: TestBackend.allCases) func composingWritesTheReportThroughTheService(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let browser = ConsoleBrowser(w)
            try await browser.signIn(as: "usa-releaser")
            _ = try await browser.get("/compose")
            let csrf = try #require(browser.csrf)
            let written = try await browser.post("/compose", [
                ("csrf", csrf), ("title", "Meeting in Vienna"), ("titleMarking", "(U)"), ("sourceGrade", "b2"), ("topics", "counter-terrorism, iran"),
                ("discoverability", "own-organisation"),
                ("portion-1-marking", "(S//REL TO USA, GBR)"), ("portion-1-text", "Vasily PETROV met the courier."),
                ("portion-2-marking", ""), ("portion-2-text", ""),
                ("portion-3-marking", "(S//NF)"), ("portion-3-text", "Recruited asset NIGHTJAR reported it."), ("portion-3-sm", "on"),
                ("entities", "1 person Vasily PETROV"),
            ])
            #expect(written.code == 303)
            let location = try #require(written.location)
            #expect(location.hasPrefix("/reports/rpt_"))
            let id = String(location.dropFirst("/reports/".count))
            let stored = try await w.get("/v1/reports/\(id)", as: "usa-releaser")
            #expect(stored.code == 200)
            #expect(stored.string("title") == "Meeting in Vienna")
            #expect(stored.strings("topics") == ["counter-terrorism", "iran"])
            #expect(stored.objects("portions").map { $0["marking"] as? String } == ["(S//REL TO USA, GBR)", "(S//NF)"], "the blank row is not a portion")
            #expect(stored.objects("portions").last?["sourcesAndMethods"] as? Bool == true)
            #expect(stored.objects("entities").contains { $0["value"] as? String == "Vasily PETROV" && $0["portion"] as? Int == 0 })
            let page = try await browser.get(location)
            #expect(page.text.contains(#"<mark class="entity" title="person">Vasily PETROV</mark>"#), "entities are highlighted")
        }
    }

    @Test(arguments: TestBackend.allCases) func aBadMarkingIsShownAtItsFieldAndNothingIsWritten(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let browser = ConsoleBrowser(w)
            try await browser.signIn(as: "usa-releaser")
            _ = try await browser.get("/compose")
            let csrf = try #require(browser.csrf)
            let refused = try await browser.post("/compose", [
                ("csrf", csrf), ("title", "t"), ("titleMarking", "(U)"), ("sourceGrade", "B2"), ("topics", "iran"),
                ("portion-1-marking", "(S)"), ("portion-1-text", "first"),
                ("portion-2-marking", "(S//REL TO USA, GBR//Q-CLEARANCE)"), ("portion-2-text", "second <kept>"),
            ])
            #expect(refused.code == 400)
            #expect(refused.text.contains(#"id="portion-2-marking" name="portion-2-marking" type="text" value="(S//REL TO USA, GBR//Q-CLEARANCE)""#),
                    "what was typed comes back")
            #expect(refused.text.contains(#"aria-invalid="true" aria-describedby="portion-2-marking-error""#))
            #expect(refused.text.contains(#"<code class="refused">"#), "the refused part is shown")
            #expect(refused.text.contains("second &lt;kept&gt;"))
            #expect(!refused.text.contains(#"aria-describedby="portion-1-marking-error""#), "the good field is not marked")
            #expect(refused.text.contains(#"class="banner unknown" id="banner-top" data-banner="UNMARKED""#),
                    "text shown back under a marking that does not parse is banner UNMARKED, never a guessed classification")
            let title = try await browser.post("/compose", [
                ("csrf", csrf), ("title", "t"), ("titleMarking", "(SECRET-ish)"), ("sourceGrade", "B2"), ("topics", "iran"),
                ("portion-1-marking", "(S)"), ("portion-1-text", "first"),
            ])
            #expect(title.code == 400)
            #expect(title.text.contains(#"aria-describedby="titleMarking-error""#))
            let denied = try await browser.post("/compose", [
                ("csrf", csrf), ("title", "t"), ("titleMarking", "(U)"), ("sourceGrade", "B2"), ("topics", "iran"),
                ("portion-1-marking", "(TS//SI)"), ("portion-1-text", "above the author's compartments"),
            ])
            #expect(denied.code == 403)
            #expect(denied.text.contains(#"data-banner="TOP SECRET//SI//NOFORN""#), "the banner of the text shown back")
            let list = try await w.get("/v1/reports", as: "usa-releaser")
            #expect(list.objects("items").isEmpty, "nothing was written")
        }
    }

    @Test func composingNeedsTheSessionsCSRFToken() async throws {
        try await withWorld(.sqliteMemory) { w in
            let browser = ConsoleBrowser(w)
            try await browser.signIn(as: "usa-releaser")
            let fields = [("title", "t"), ("titleMarking", "(U)"), ("sourceGrade", "B2"), ("topics", "iran"),
                          ("portion-1-marking", "(S)"), ("portion-1-text", "first")]
            let none = try await browser.post("/compose", fields)
            #expect(none.code == 403)
            // Another member's CSRF token does not pass for this session.
            let other = ConsoleBrowser(w)
            try await other.signIn(as: "usa-senior")
            _ = try await other.get("/compose")
            let foreign = try await browser.post("/compose", [("csrf", try #require(other.csrf))] + fields)
            #expect(foreign.code == 403)
            let list = try await w.get("/v1/reports", as: "usa-releaser")
            #expect(list.objects("items").isEmpty, "nothing was written")
        }
    }

    @Test func everyInputHasALabel() async throws {
        try await withWorld(.sqliteMemory) { w in
            let browser = ConsoleBrowser(w)
            var pages = [try await browser.get("/sign-in")]
            try await browser.signIn(as: "usa-releaser")
            pages.append(try await browser.get("/compose"))
            pages.append(try await browser.get("/inbox"))
            for page in pages {
                let html = page.text
                let ids = html.matches(of: /<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"/).map { String($0.output.1) }
                let controls = html.matches(of: /<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*>/).count
                #expect(ids.count == controls, "every visible control has an id")
                for id in ids { #expect(html.contains(#"<label for="\#(id)""#), "no label for \(id)") }
            }
        }
    }
}

/// The console's templates, in the source tree (the build copies them as they are).
func consoleTemplateDirectory(file: String = #filePath) -> URL {
    URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/TearlineServer/Resources/console")
}
