import Foundation
import Hummingbird
import Testing

/// Trust is directional, and a sanction stands until the side that imposed it lifts it: the
/// defects found from outside (a recipient raising its partner's ceiling, the side that breached
/// undoing the wronged side's downgrade or suspension) fail here.
@Suite struct DirectionalTrustTests {
    /// A GBR admin, created by the node administrator; returns its bearer token.
    static func gbrAdmin(_ w: World) async throws -> String {
        let reply = try await w.post("/v1/organizations/GBR/members", as: "admin", json: [
            "name": "gbr-admin", "roles": ["admin"], "clearance": "SECRET", "compartments": [String](), "topics": ["counter-terrorism"],
        ])
        try #require(reply.code == 201, "\(reply)")
        return try #require(reply.string("token"))
    }

    static func patch(_ w: World, _ a: String, _ b: String, token: String, _ json: [String: Any]) async throws -> Reply {
        try await w.send(.patch, "/v1/partnerships/\(w.partnership(a, b))", as: nil, json: json, headers: [.authorization: "Bearer \(token)"])
    }

    static var twoLevels: [String: Any] { reportBody(portions: [
        portion("(TS//REL TO USA, GBR)", "A top secret portion for GBR."), portion("(S//REL TO USA, GBR)", "A secret portion for GBR."),
    ]) }

    @Test(arguments: TestBackend.allCases) func aRecipientCannotRaiseTheCeilingOfWhatItsPartnerReleasesToIt(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let admin = try await Self.gbrAdmin(w)
            let raised = try await Self.patch(w, "USA", "GBR", token: admin, ["trustLevel": "full"])
            #expect(raised.code == 200, "\(raised)")
            #expect(raised.string("trustLevel") == "full", "GBR's own trust in USA")
            #expect(raised.string("partnerTrustLevel") == "high", "USA's trust in GBR is untouched")
            #expect(raised.object["trust"] as? [String: String] == ["GBR": "full", "USA": "high"])

            // USA's next release still stops at SECRET, USA's ceiling for GBR.
            let report = try await w.createReport(Self.twoLevels)
            let release = try await w.release(report, to: "GBR")
            #expect(release.code == 201, "\(release)")
            #expect(release.objects("withheld").first?["index"] as? Int == 0)
            #expect(release.objects("withheld").first?["reasons"] as? [String] == ["trust-ceiling"])
            let releaseId = try #require(release.string("id"))
            #expect(try await w.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret").portionIndexes == [1])
            // The change is recorded as GBR's, about GBR's side.
            let history = try await w.get("/v1/partnerships/\(w.partnership("USA", "GBR"))/history", as: "usa-senior")
            #expect(history.string("trustLevel") == "high")
            #expect(history.string("partnerTrustLevel") == "full")
            #expect(history.objects("trustChanges").first?["organization"] as? String == "GBR")
        }
    }

    @Test(arguments: TestBackend.allCases) func theSideThatBreachedCannotRaiseTheTrustTheWrongedSideLowered(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let (_, release) = try await StoryFourTests.isrReleasesToUSA(w)
            _ = try await StoryFourTests.forwardToRUS(w, release: release)
            try await w.setPartnership("ISR", "USA", ["trustLevel": "low", "reason": "USA tried to pass our report to RUS"], as: "isr-releaser")
            #expect(try await w.get("/v1/releases/\(release)", as: "usa-senior").portionIndexes == [1])

            // USA's admin sets "the" trust back to high: it moves only USA's own trust in ISR.
            let undo = try await w.patch("/v1/partnerships/\(w.partnership("ISR", "USA"))", as: "usa-senior", json: ["trustLevel": "high"])
            #expect(undo.code == 200, "\(undo)")
            #expect(undo.object["trust"] as? [String: String] == ["ISR": "low", "USA": "high"])
            #expect(try await w.get("/v1/releases/\(release)", as: "usa-senior").portionIndexes == [1], "USA still loses the SECRET portion")
            let isrView = try await w.get("/v1/partnerships", as: "isr-releaser").array.first { $0["id"] as? String == w.partnership("ISR", "USA") }
            #expect(isrView?["trustLevel"] as? String == "low")
            // The what-if speaks of ISR's own trust.
            let whatIf = try await w.get("/v1/partnerships/\(w.partnership("ISR", "USA"))/what-if?trust=high", as: "isr-releaser")
            #expect(whatIf.string("currentTrustLevel") == "low")
        }
    }

    @Test(arguments: TestBackend.allCases) func aSuspensionStandsUntilTheSideThatImposedItLiftsIt(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let admin = try await Self.gbrAdmin(w)
            let release = try await w.releaseId(try await w.createReport(reportBody(portions: [portion("(S//REL TO USA, GBR)", "Shared.")])), to: "GBR")
            try await w.setPartnership("USA", "GBR", ["status": "suspended", "reason": "breach"], as: "usa-senior")
            #expect(try await w.get("/v1/releases/\(release)", as: "gbr-analyst-secret").code == 404)

            // GBR reactivates what USA suspended: refused, audited on both sides, nothing changes.
            let reactivate = try await Self.patch(w, "USA", "GBR", token: admin, ["status": "active"])
            #expect(reactivate.code == 403, "\(reactivate)")
            #expect(reactivate.reasons == ["imposed-by-partner"])
            #expect(try await w.get("/v1/releases/\(release)", as: "gbr-analyst-secret").code == 404)
            let denied = try await w.audit(as: "usa-security", "action=partnership.update&decision=deny")
            #expect(denied.contains { ($0["reasons"] as? [String]) == ["imposed-by-partner"] })

            // Both suspend; USA lifts; GBR's suspension still stands, and only GBR lifts it.
            let gbrSuspends = try await Self.patch(w, "USA", "GBR", token: admin, ["status": "suspended"])
            #expect(gbrSuspends.strings("suspendedBy") == ["GBR", "USA"])
            let usaLifts = try await w.patch("/v1/partnerships/\(w.partnership("USA", "GBR"))", as: "usa-senior", json: ["status": "active"])
            #expect(usaLifts.code == 200)
            #expect(usaLifts.string("status") == "suspended")
            #expect(usaLifts.strings("suspendedBy") == ["GBR"])
            #expect(try await w.get("/v1/releases/\(release)", as: "gbr-analyst-secret").code == 404)
            let usaTriesGBRs = try await w.patch("/v1/partnerships/\(w.partnership("USA", "GBR"))", as: "usa-senior", json: ["status": "active"])
            #expect(usaTriesGBRs.code == 403)
            #expect(usaTriesGBRs.reasons == ["imposed-by-partner"])
            let gbrLifts = try await Self.patch(w, "USA", "GBR", token: admin, ["status": "active"])
            #expect(gbrLifts.string("status") == "active")
            #expect(try await w.get("/v1/releases/\(release)", as: "gbr-analyst-secret").code == 200)
        }
    }

    @Test(arguments: TestBackend.allCases) func theNodeAdministratorActsForANamedHostedSide(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = w.partnership("USA", "GBR")
            let unnamed = try await w.patch("/v1/partnerships/\(id)", as: "admin", json: ["trustLevel": "low"])
            #expect(unnamed.code == 400, "both sides are hosted here: the side must be named")
            let outsider = try await w.patch("/v1/partnerships/\(id)", as: "admin", json: ["trustLevel": "low", "side": "FRA"])
            #expect(outsider.code == 400)
            let named = try await w.patch("/v1/partnerships/\(id)", as: "admin", json: ["trustLevel": "low", "side": "USA"])
            #expect(named.code == 200, "\(named)")
            #expect(named.object["trust"] as? [String: String] == ["GBR": "high", "USA": "low"])
            let member = try await w.patch("/v1/partnerships/\(id)", as: "usa-senior", json: ["trustLevel": "low", "side": "GBR"])
            #expect(member.code == 400, "a member acts only for its own side")
            let trail = try await w.audit(as: "usa-security", "action=partnership.update&object=\(id)")
            #expect(trail.contains { $0["actor"] as? String == "node-admin" && $0["decision"] as? String == "allow" })
        }
    }

    @Test(arguments: TestBackend.allCases) func thePartnersTableShowsTrustInEachDirection(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let admin = try await Self.gbrAdmin(w)
            _ = try await Self.patch(w, "USA", "GBR", token: admin, ["trustLevel": "limited"])
            let partners = try await w.get("/v1/partners", as: "usa-senior")
            #expect(partners.code == 200, "\(partners)")
            let gbr = try #require((partners.object["items"] as? [[String: Any]] ?? partners.array).first { $0["partner"] as? String == "GBR" })
            #expect(gbr["trustLevel"] as? String == "high")
            #expect(gbr["partnerTrustLevel"] as? String == "limited")
        }
    }
}
