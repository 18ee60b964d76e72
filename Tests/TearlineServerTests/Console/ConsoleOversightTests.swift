import Foundation
import Hummingbird
import TearlineCore
import TearlineServer
import Testing

/// The partners page and the trust what-if, the security officer's page, node administration.
@Suite struct ConsoleOversightTests {
    @Test(arguments: TestBackend.allCases) func partnersAndTheTrustWhatIf(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(portions: [portion("(S//REL TO USA, GBR)", "secret for London"),
                                                                        portion("(C//REL TO USA, GBR)", "confidential for London")]))
            _ = try await w.releaseId(report, to: "GBR")
            let usa = ConsoleBrowser(w)
            try await usa.signIn(as: "usa-senior")
            let table = try await usa.get("/partners")
            #expect(table.code == 200)
            for partner in ["GBR", "DEU", "ISR"] { #expect(table.text.contains(#"href="/partners/\#(partner)""#)) }
            #expect(!table.text.contains("FRA") && !table.text.contains("RUS"), "only partners")
            #expect(table.text.contains("1 release(s)"), "what was given")
            let page = try await usa.get("/partners/GBR")
            #expect(page.code == 200)
            #expect(page.text.contains("<svg class=\"series-chart\""), "the exchange over time, drawn on the server")
            let whatIf = try await usa.get("/partners/GBR?trust=low")
            #expect(whatIf.text.contains("would hide 1 portion(s) of 1 release(s)"), "\(whatIf.text)")
            let before = try await w.get("/v1/partnerships", as: "usa-senior")
            #expect(before.array.first { ($0["organizations"] as? [String]) == ["GBR", "USA"] }?["trustLevel"] as? String == "high")
            let set = try await usa.post("/partners/GBR/trust", [("csrf", try #require(usa.csrf)), ("trustLevel", "low"), ("reason", "a leak")])
            #expect(set.code == 303)
            let after = try await w.get("/v1/partnerships", as: "usa-senior")
            #expect(after.array.first { ($0["organizations"] as? [String]) == ["GBR", "USA"] }?["trustLevel"] as? String == "low",
                    "the change went through the service only when confirmed")
            let unknown = try await usa.get("/partners/FRA")
            #expect(unknown.code == 404, "a non-partner is not found")
        }
    }

    @Test(arguments: TestBackend.allCases) func theSecurityOfficersPage(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(portions: [portion("(S//REL TO USA, GBR)", "the courier")]))
            _ = try await w.get("/v1/reports/\(report)", as: "usa-releaser")
            let member = try #require(try await w.service.store.read { s in try s.member(id: w.id("usa-analyst")) })
            var changed = member
            changed.throttled = true
            let throttled = changed
            try await w.service.store.write { s in try s.updateMember(throttled) }

            let analyst = ConsoleBrowser(w)
            try await analyst.signIn(as: "usa-releaser")
            #expect(try await analyst.get("/security").code == 403, "only security members")

            let officer = ConsoleBrowser(w)
            try await officer.signIn(as: "usa-security")
            let page = try await officer.get("/security")
            #expect(page.code == 200)
            #expect(page.text.contains("report.read"), "the audit trail")
            #expect(page.text.contains(#"id="lift-\#(w.id("usa-analyst"))""#), "the throttled member, with lift")
            #expect(!page.text.contains("the courier"), "the audit trail holds no report text")
            let filtered = try await officer.get("/security?action=report.create")
            #expect(filtered.text.contains("report.create") && !filtered.text.contains("<td>report.read</td>"))
            let verified = try await officer.post("/security/verify", [("csrf", try #require(officer.csrf))])
            #expect(verified.code == 200)
            if backend == .sqliteMemory {
                #expect(verified.text.contains("cannot be verified in place"))
            } else {
                #expect(verified.text.contains("Intact"), "\(verified.text)")
            }
            let lifted = try await officer.post("/members/\(w.id("usa-analyst"))/lift-throttle", [("csrf", try #require(officer.csrf))])
            #expect(lifted.code == 303)
            let after = try #require(try await w.service.store.read { s in try s.member(id: w.id("usa-analyst")) })
            #expect(after.throttled == false)
            let receipts = try await officer.get("/security?holder=GBR")
            #expect(receipts.text.contains(#"id="receipts-summary""#))
            let verifications = try await w.audit(as: "usa-security", "action=audit.verify")
            #expect(verifications.count == 1, "the verification is audited")
        }
    }

    @Test(arguments: TestBackend.allCases) func nodeAdministration(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let member = ConsoleBrowser(w)
            try await member.signIn(as: "usa-analyst")
            #expect(try await member.get("/admin").code == 403)

            let admin = ConsoleBrowser(w)
            let signedIn = try await admin.signIn(token: w.adminToken)
            #expect(signedIn.location == "/admin")
            #expect(try await admin.get("/").location == "/admin", "the console's home is administration for the node administrator")
            #expect(try await member.get("/").location == "/inbox", "and the inbox for a member")
            let page = try await admin.get("/admin")
            #expect(page.code == 200)
            #expect(page.text.contains(#"href="/admin/organizations/FRA""#))
            let created = try await admin.post("/admin/organizations", [("csrf", try #require(admin.csrf)), ("id", "NLD"), ("name", "Netherlands"), ("kind", "state")])
            #expect(created.code == 303)
            let twice = try await admin.post("/admin/organizations", [("csrf", try #require(admin.csrf)), ("id", "NLD"), ("name", "Netherlands"), ("kind", "state")])
            #expect(twice.code == 409)
            #expect(twice.text.contains("already exists"))
            let partnership = try await admin.post("/admin/partnerships", [("csrf", try #require(admin.csrf)), ("first", "NLD"), ("second", "GBR"),
                                                                          ("kind", "peer"), ("trustLevel", "high")])
            #expect(partnership.code == 303)
            _ = try await admin.get("/admin/organizations/NLD")
            let newMember = try await admin.post("/admin/organizations/NLD/members", [
                ("csrf", try #require(admin.csrf)), ("name", "Joost"), ("roles", "analyst"), ("clearance", "SECRET"), ("topics", "counter-terrorism"),
            ])
            #expect(newMember.code == 201)
            let token = try #require(newMember.text.firstMatch(of: /id="created-token">(tl_[A-Za-z0-9_-]+)</)?.output.1).description
            #expect(newMember.headers[.cacheControl] == "no-store")
            let me = try await w.send(.get, "/v1/me", as: nil, headers: [.authorization: "Bearer \(token)"])
            #expect(me.code == 200, "the token shown works")
            let again = try await admin.get("/admin/organizations/NLD")
            #expect(!again.text.contains(token), "the token is shown once")
            let id = try #require(again.text.firstMatch(of: /id="suspend-(mem_[0-9a-f]+)"/)?.output.1).description
            let suspended = try await admin.post("/admin/members/\(id)", [("csrf", try #require(admin.csrf)), ("status", "suspended")])
            #expect(suspended.code == 303)
            #expect(try await admin.get("/admin/organizations/NLD").text.contains(#"id="reactivate-\#(id)""#))
        }
    }
}
