import Testing

/// Story 2: USA and DEU in the early Cold War. Hierarchical, USA dominant, low trust: only
/// material up to CONFIDENTIAL goes to DEU. A USA liaison seconded to DEU reads how DEU handles
/// USA material. USA suspends the partnership and DEU loses every USA release at once.
@Suite struct StoryTwoTests {
    static var orderOfBattle: [String: Any] {
        reportBody(
            title: "Soviet order of battle, Group of Forces", sourceGrade: "B3", topics: ["soviet-union"],
            portions: [
                portion("(S//REL TO USA, DEU)", "Two tank divisions rotate through the training area each spring."),
                portion("(C//REL TO USA, DEU)", "Rail movements rose by a third in March."),
                portion("(U)", "Open sources report new barracks near the border."),
            ])
    }

    @Test(arguments: TestBackend.allCases) func onlyMaterialUpToConfidentialGoesToDEU(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createReport(Self.orderOfBattle)
            let release = try await w.release(id, to: "DEU")
            #expect(release.code == 201)
            #expect(release.ints("portions") == [1, 2])
            #expect(release.string("banner") == "CONFIDENTIAL//REL TO USA, DEU")
            let withheld = release.objects("withheld")
            #expect(withheld.count == 1)
            #expect(withheld.first?["index"] as? Int == 0)
            #expect(withheld.first?["reasons"] as? [String] == ["trust-ceiling"])

            let read = try await w.get("/v1/releases/\(try #require(release.string("id")))", as: "deu-analyst")
            #expect(read.code == 200)
            #expect(read.portionIndexes == [1, 2])
            #expect(read.string("banner") == "CONFIDENTIAL//REL TO USA, DEU")
            #expect(!read.text.contains("tank divisions"))
        }
    }

    @Test(arguments: TestBackend.allCases) func liaisonSeesHowDEUHandlesUSAMaterial(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createReport(Self.orderOfBattle)
            let releaseId = try await w.releaseId(id, to: "DEU")
            #expect(try await w.get("/v1/releases/\(releaseId)", as: "deu-analyst").code == 200)

            let receipts = try await w.get("/v1/receipts/DEU", as: "usa-liaison")
            #expect(receipts.code == 200)
            #expect(receipts.string("originator") == "USA")
            #expect(receipts.string("holder") == "DEU")
            #expect(receipts.string("granularity") == "member")
            let events = receipts.objects("events")
            #expect(events.contains { $0["action"] as? String == "release.read" && $0["actor"] as? String == w.id("deu-analyst")
                && $0["object"] as? String == releaseId && $0["decision"] as? String == "allow" })
            #expect((receipts.object["counts"] as? [String: Int])?["release.read:allow"] == 1)

            // A peer (GBR) only sees counts, never who at GBR read what.
            let gbrRelease = try await w.releaseId(try await w.createReport(reportBody(portions: [portion("(C//REL TO USA, GBR)", "x")])), to: "GBR")
            #expect(try await w.get("/v1/releases/\(gbrRelease)", as: "gbr-analyst-secret").code == 200)
            let peer = try await w.get("/v1/receipts/GBR", as: "usa-security")
            #expect(peer.code == 200)
            #expect(peer.string("granularity") == "organization")
            #expect(peer.objects("events").isEmpty)
            #expect((peer.object["counts"] as? [String: Int])?["release.read:allow"] == 1)

            // DEU cannot read receipts of USA material held by USA, and the liaison is not seconded to GBR.
            let deu = try await w.get("/v1/receipts/USA", as: "deu-analyst")
            #expect(deu.code == 403)
            #expect(deu.reasons == ["role-required"])
            let elsewhere = try await w.get("/v1/receipts/GBR", as: "usa-liaison")
            #expect(elsewhere.code == 403)
            #expect(elsewhere.reasons == ["role-required"])
        }
    }

    @Test(arguments: TestBackend.allCases) func suspensionRemovesEveryReleaseAtOnceAndReactivationRestoresThem(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let first = try await w.releaseId(try await w.createReport(Self.orderOfBattle), to: "DEU")
            let second = try await w.releaseId(
                try await w.createReport(reportBody(topics: ["soviet-union"], portions: [portion("(C//REL TO USA, DEU)", "Second report.")])),
                to: "DEU")
            for id in [first, second] { #expect(try await w.get("/v1/releases/\(id)", as: "deu-analyst").code == 200) }

            let suspend = try await w.patch("/v1/partnerships/\(w.partnership("USA", "DEU"))", as: "usa-senior", json: ["status": "suspended"])
            #expect(suspend.code == 200)
            #expect(suspend.string("status") == "suspended")
            for id in [first, second] {
                let read = try await w.get("/v1/releases/\(id)", as: "deu-analyst")
                #expect(read.code == 404)
                #expect(read.problemType == "not-found")
                let reasons = try await w.deniedReasons(action: "release.read", object: id, as: "deu-security")
                #expect(reasons?.contains("partnership-suspended") == true)
            }
            let inbox = try await w.get("/v1/releases", as: "deu-analyst")
            #expect(inbox.code == 200)
            #expect(inbox.objects("items").isEmpty)

            // The weaker side cannot restore support itself, not even its admin.
            let deuTries = try await w.patch("/v1/partnerships/\(w.partnership("USA", "DEU"))", as: "deu-admin", json: ["status": "active"])
            #expect(deuTries.code == 403)
            #expect(deuTries.reasons == ["imposed-by-partner"])
            #expect(try await w.get("/v1/releases/\(first)", as: "deu-analyst").code == 404)

            let restore = try await w.patch("/v1/partnerships/\(w.partnership("USA", "DEU"))", as: "usa-senior", json: ["status": "active"])
            #expect(restore.code == 200)
            #expect(restore.string("status") == "active")
            let again = try await w.get("/v1/releases/\(first)", as: "deu-analyst")
            #expect(again.code == 200)
            #expect(again.portionIndexes == [1, 2])
            #expect(try await w.get("/v1/releases/\(second)", as: "deu-analyst").code == 200)
        }
    }

    @Test(arguments: TestBackend.allCases) func suspensionStandsInBothAuditTrails(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            try await w.setPartnership("USA", "DEU", ["status": "suspended"], as: "usa-senior")
            let pid = w.partnership("USA", "DEU")
            let usa = try await w.audit(as: "usa-security", "action=partnership.update&object=\(pid)")
            let deu = try await w.audit(as: "deu-security", "action=partnership.update&object=\(pid)")
            #expect(usa.filter { $0["decision"] as? String == "allow" }.count == 1)
            #expect(deu.filter { $0["decision"] as? String == "allow" }.count == 1)
            #expect(usa.first?["actor"] as? String == w.id("usa-senior"))
        }
    }
}
