import Foundation
import Hummingbird
import Testing

/// Trust dynamics: the trust response to story 4. USA's attempt to pass an ISR release on is a
/// breach; ISR's policy recommends (or applies) a downgrade; a what-if shows what USA would lose;
/// lowering trust takes effect at once, and raising it restores what was hidden.
@Suite struct TrustDynamicsTests {
    static func history(_ w: World, as who: String = "isr-releaser") async throws -> Reply {
        try await w.get("/v1/partnerships/\(w.partnership("ISR", "USA"))/history", as: who)
    }

    @Test(arguments: TestBackend.allCases) func aRefusedForwardIsABreachAndISRLowersItsTrustInUSA(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let (_, release) = try await StoryFourTests.isrReleasesToUSA(w)
            _ = try await StoryFourTests.forwardToRUS(w, release: release)

            let recorded = try await Self.history(w)
            #expect(recorded.code == 200, "\(recorded)")
            let breaches = recorded.objects("breaches")
            #expect(breaches.count == 1)
            #expect(breaches.first?["against"] as? String == "USA")
            #expect(breaches.first?["kind"] as? String == "refused-forward")
            #expect(breaches.first?["response"] as? String == "recommended", "ISR's default policy recommends")
            #expect(breaches.first?["trustLevel"] as? String == "low", "one step down from high")
            #expect(recorded.string("trustLevel") == "high", "a recommendation changes nothing by itself")

            // What would USA lose at "low" (up to CONFIDENTIAL)? The SECRET portion 0.
            let whatIf = try await w.get("/v1/partnerships/\(w.partnership("ISR", "USA"))/what-if?trust=low", as: "isr-releaser")
            #expect(whatIf.code == 200, "\(whatIf)")
            #expect(whatIf.int("releasesAffected") == 1)
            let loss = try #require(whatIf.objects("releases").first)
            #expect(loss["lostPortions"] as? [Int] == [0])
            #expect(loss["keptPortions"] as? [Int] == [1])

            // ISR applies it, with a reason; USA loses exactly what the what-if said, at once.
            try await w.setPartnership("ISR", "USA", ["trustLevel": "low", "reason": "USA tried to pass our report to RUS"], as: "isr-releaser")
            #expect(try await w.get("/v1/releases/\(release)", as: "usa-senior").portionIndexes == [1])
            let changes = try await Self.history(w).objects("trustChanges")
            #expect(changes.count == 1)
            #expect(changes.first?["fromTrust"] as? String == "high")
            #expect(changes.first?["toTrust"] as? String == "low")
            #expect(changes.first?["reason"] as? String == "USA tried to pass our report to RUS")
            #expect(changes.first?["changedBy"] as? String == w.id("isr-releaser"))

            // Raising trust again restores the portion; nothing was deleted.
            try await w.setPartnership("ISR", "USA", ["trustLevel": "high", "reason": "assurances received"], as: "isr-releaser")
            #expect(try await w.get("/v1/releases/\(release)", as: "usa-senior").portionIndexes == [0, 1])
            #expect(try await Self.history(w).objects("trustChanges").count == 2)
        }
    }

    @Test(arguments: TestBackend.allCases) func anAutomaticPolicyAppliesTheDowngradeAtOnce(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let policy = try await w.send(.put, "/v1/organizations/ISR/breach-policy", as: "isr-releaser", json: ["response": "automatic"])
            #expect(policy.code == 200, "\(policy)")
            let (_, release) = try await StoryFourTests.isrReleasesToUSA(w)
            _ = try await StoryFourTests.forwardToRUS(w, release: release)
            let recorded = try await Self.history(w)
            #expect(recorded.string("trustLevel") == "low")
            #expect(recorded.objects("breaches").first?["response"] as? String == "applied")
            let change = try #require(recorded.objects("trustChanges").first)
            #expect(change["changedBy"] as? String == "policy")
            #expect((change["reason"] as? String)?.contains("refused-forward") == true)
            #expect(try await w.get("/v1/releases/\(release)", as: "usa-senior").portionIndexes == [1], "effective at once")
        }
    }

    @Test(arguments: TestBackend.allCases) func aBreachRecordedByHandFollowsThePolicyToo(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = w.partnership("ISR", "USA")
            let recorded = try await w.post("/v1/partnerships/\(id)/breaches", as: "isr-security",
                                            json: ["against": "USA", "kind": "leak-traced", "detail": "trace matched a USA member's copy"])
            #expect(recorded.code == 201, "\(recorded)")
            #expect(recorded.string("response") == "recommended")
            let own = try await w.post("/v1/partnerships/\(id)/breaches", as: "isr-security", json: ["against": "ISR", "kind": "leak-traced", "detail": "x"])
            #expect(own.code == 400, "a side does not record a breach against itself")
            let analyst = try await w.post("/v1/partnerships/\(id)/breaches", as: "isr-analyst", json: ["against": "USA", "kind": "leak-traced", "detail": "x"])
            #expect(analyst.code == 403)
            let outsider = try await w.post("/v1/partnerships/\(id)/breaches", as: "rus-security", json: ["against": "USA", "kind": "leak-traced", "detail": "x"])
            #expect(outsider.code == 404)
            let badKind = try await w.post("/v1/partnerships/\(id)/breaches", as: "isr-security", json: ["against": "USA", "kind": "rude", "detail": "x"])
            #expect(badKind.code == 400)
            #expect(try await Self.history(w).objects("breaches").count == 1, "refusals wrote nothing")
        }
    }

    @Test(arguments: TestBackend.allCases) func onlyAdminsSetThePolicyAndOutsidersSeeNoHistory(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            #expect(try await w.send(.put, "/v1/organizations/ISR/breach-policy", as: "isr-analyst", json: ["response": "automatic"]).code == 403)
            #expect(try await w.send(.put, "/v1/organizations/ISR/breach-policy", as: "usa-senior", json: ["response": "automatic"]).code == 404)
            #expect(try await w.send(.put, "/v1/organizations/ISR/breach-policy", as: "isr-releaser", json: ["response": "sometimes"]).code == 400)
            #expect(try await Self.history(w, as: "rus-security").code == 404)
            #expect(try await Self.history(w, as: "isr-analyst").code == 403)
            let bad = try await w.get("/v1/partnerships/\(w.partnership("ISR", "USA"))/what-if?trust=medium", as: "isr-releaser")
            #expect(bad.code == 400)
        }
    }
}
