import Foundation
import Hummingbird
import TearlineCore
import TearlineServer
import Testing

/// Releasing from the console: the preview side by side, the reasons, ORCON and terms; the
/// forward refused by the third-party rule and the consent request it creates.
@Suite struct ConsoleReleaseTests {
    static func mixedReport(_ w: World) async throws -> String {
        try await w.createReport(reportBody(title: "Courier network", topics: ["counter-terrorism"], portions: [
            portion("(S//REL TO USA, GBR)", "the courier met the handler"),
            portion("(S//NF)", "held at home"),
            portion("(S//REL TO USA, GBR)", "our source NIGHTJAR", sourcesAndMethods: true),
            portion("(S//OC/REL TO USA, GBR)", "the originator controls this"),
        ]))
    }

    @Test(arguments: TestBackend.allCases) func thePreviewShowsWhatGoesAndWhyTheRestIsWithheld(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await Self.mixedReport(w)
            let browser = ConsoleBrowser(w)
            try await browser.signIn(as: "usa-releaser")
            let page = try await browser.get("/reports/\(report)/release?recipient=GBR")
            #expect(page.code == 200)
            let html = page.text
            #expect(html.contains(#"<li data-reason="noforn">"#))
            #expect(html.contains(#"<li data-reason="sources-and-methods">"#))
            #expect(html.contains(#"<li data-reason="orcon-not-approved">"#))
            #expect(html.components(separatedBy: #"<tr class="goes">"#).count == 3, "the title and the one releasable portion go")
            #expect(html.contains(#"id="approveOrcon""#), "ORCON approval is offered")
            #expect(html.contains("SECRET//REL TO USA, GBR"), "the copy's banner")
            #expect(html.contains(#"class="banner secret""#), "the page's banner: the original the releaser reads")
            let releases = try await w.get("/v1/reports/\(report)/releases", as: "usa-releaser")
            #expect(releases.array.isEmpty, "a preview releases nothing")
            let audited = try await w.audit(as: "usa-security", "action=release.preview&object=\(report)")
            #expect(audited.count == 1, "the preview is an audited read")
            // With ORCON approved, the ORCON portion goes too.
            let approved = try await browser.get("/reports/\(report)/release?recipient=GBR&approveOrcon=on")
            #expect(!approved.text.contains(#"data-reason="orcon-not-approved""#))
            #expect(approved.text.components(separatedBy: #"<tr class="goes">"#).count == 4)
        }
    }

    @Test(arguments: TestBackend.allCases) func theTrustCeilingIsShownAsAReason(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(topics: ["soviet-union"], portions: [
                portion("(S//REL TO USA, DEU)", "a secret for Bonn"), portion("(C//REL TO USA, DEU)", "a confidential note")]))
            let browser = ConsoleBrowser(w)
            try await browser.signIn(as: "usa-releaser")
            let page = try await browser.get("/reports/\(report)/release?recipient=DEU")
            #expect(page.code == 200)
            #expect(page.text.contains(#"data-reason="trust-ceiling""#), "low trust in DEU keeps SECRET home: \(page.text)")
        }
    }

    @Test(arguments: TestBackend.allCases) func releasingWithORCONApprovalAndTerms(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await Self.mixedReport(w)
            let browser = ConsoleBrowser(w)
            try await browser.signIn(as: "usa-releaser")
            _ = try await browser.get("/reports/\(report)/release?recipient=GBR&approveOrcon=on")
            let csrf = try #require(browser.csrf)
            let made = try await browser.post("/reports/\(report)/release", [("csrf", csrf), ("recipient", "GBR"), ("approveOrcon", "on"),
                                                                           ("terms", "share your reporting on the courier")])
            #expect(made.code == 303)
            let location = try #require(made.location)
            #expect(location.hasPrefix("/releases/rel_"))
            let id = String(location.dropFirst("/releases/".count))
            let release = try await w.get("/v1/releases/\(id)", as: "gbr-analyst-secret")
            #expect(release.code == 200)
            #expect(release.portionIndexes == [0, 3], "the REL TO portion and the approved ORCON one")
            let page = try await browser.get(location)
            #expect(page.code == 200, "the originator sees its release")
        }
    }

    @Test(arguments: TestBackend.allCases) func aReleaseIsRefusedOutsideTheRules(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await Self.mixedReport(w)
            let analyst = ConsoleBrowser(w)
            try await analyst.signIn(as: "usa-analyst")
            let preview = try await analyst.get("/reports/\(report)/release?recipient=GBR")
            #expect(preview.code == 403, "only a releaser releases")
            #expect(!preview.text.contains("courier met"))
            let browser = ConsoleBrowser(w)
            try await browser.signIn(as: "usa-releaser")
            let france = try await browser.get("/reports/\(report)/release?recipient=FRA")
            let unknown = try await browser.get("/reports/\(report)/release?recipient=XYZ")
            #expect(france.code == 400 && unknown.code == 400)
            #expect(france.text.replacingOccurrences(of: "FRA", with: "X") == unknown.text.replacingOccurrences(of: "XYZ", with: "X"),
                    "a non-partner and an unknown organisation are answered alike")
            _ = try await browser.get("/reports/\(report)/release")
            let forged = try await browser.post("/reports/\(report)/release", [("csrf", "forged"), ("recipient", "GBR")])
            #expect(forged.code == 403)
            let noneGoes = try await w.createReport(reportBody(portions: [portion("(S//NF)", "home only")]))
            _ = try await browser.get("/reports/\(noneGoes)/release?recipient=GBR")
            #expect(browser.lastPage?.text.contains(#"id="nothing-goes""#) == true)
            let refused = try await browser.post("/reports/\(noneGoes)/release", [("csrf", try #require(browser.csrf)), ("recipient", "GBR")])
            #expect(refused.code == 403)
            #expect(refused.text.contains("Nothing was released"))
            let releases = try await w.get("/v1/reports/\(report)/releases", as: "usa-releaser")
            #expect(releases.array.isEmpty, "nothing was released")
        }
    }

    @Test(arguments: TestBackend.allCases) func aForwardIsRefusedAndBecomesAConsentRequest(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(portions: [portion("(S//REL TO USA, GBR, ISR)", "the courier met the handler")]))
            let release = try await w.releaseId(report, to: "GBR")
            let gbr = ConsoleBrowser(w)
            try await gbr.signIn(as: "gbr-analyst-secret")
            let page = try await gbr.get("/releases/\(release)")
            #expect(page.text.contains(#"action="/releases/\#(release)/forward""#))
            let refused = try await gbr.post("/releases/\(release)/forward", [("csrf", try #require(gbr.csrf)), ("recipient", "ISR")])
            #expect(refused.code == 403)
            #expect(refused.text.contains(#"data-reason="third-party-rule""#))
            let consentId = try #require(refused.text.firstMatch(of: /id="consent-request">(csr_[0-9a-f]+)</)?.output.1).description
            let outgoing = try await gbr.get("/consent")
            #expect(outgoing.text.contains(consentId))
            #expect(outgoing.text.contains("pending"))

            let usa = ConsoleBrowser(w)
            try await usa.signIn(as: "usa-releaser")
            let incoming = try await usa.get("/consent")
            #expect(incoming.text.contains(#"id="grant-\#(consentId)""#), "the originator's releaser may decide")
            let analyst = ConsoleBrowser(w)
            try await analyst.signIn(as: "usa-security")
            let oversight = try await analyst.get("/consent")
            #expect(oversight.text.contains(consentId) && !oversight.text.contains(#"id="grant-"#), "security sees it, only releasers decide")
            let granted = try await usa.post("/consent/\(consentId)", [("csrf", try #require(usa.csrf)), ("decision", "grant")])
            #expect(granted.code == 303)
            let after = try await gbr.get("/consent")
            #expect(after.text.contains("granted"))
        }
    }

    @Test(arguments: TestBackend.allCases) func thePreviewOverTheAPI(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await Self.mixedReport(w)
            let preview = try await w.get("/v1/reports/\(report)/release-preview?recipient=GBR", as: "usa-releaser")
            #expect(preview.code == 200)
            #expect(preview.ints("portions") == [0])
            #expect(preview.ints("orconPending") == [3])
            let withheld = Dictionary(uniqueKeysWithValues: preview.objects("withheld").map { ($0["index"] as? Int ?? -1, $0["reasons"] as? [String] ?? []) })
            #expect(withheld[1]?.contains("noforn") == true)
            #expect(withheld[2] == ["sources-and-methods"])
            #expect(withheld[3] == ["orcon-not-approved"])
            #expect(try await w.get("/v1/reports/\(report)/release-preview?recipient=GBR&approveOrcon=maybe", as: "usa-releaser").code == 400)
            #expect(try await w.get("/v1/reports/\(report)/release-preview", as: "usa-releaser").code == 400)
            #expect(try await w.get("/v1/reports/\(report)/release-preview?recipient=GBR", as: "gbr-analyst-secret").code == 404)
        }
    }
}
