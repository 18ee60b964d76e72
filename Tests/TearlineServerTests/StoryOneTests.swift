import Foundation
import Testing

/// Story 1: USA and GBR, peers with high trust. A SECRET//REL TO USA, GBR report goes to GBR;
/// a cleared GBR analyst reads it all, a less cleared one only the portions at their level.
@Suite struct StoryOneTests {
    static var courierReport: [String: Any] { reportBody(
        title: "Courier network in the Gulf", topics: ["counter-terrorism"],
        portions: [
            portion("(S//REL TO USA, GBR)", "The courier network moves funds through three exchange houses."),
            portion("(C//REL TO USA, GBR)", "Two of the exchange houses share a director."),
            portion("(U)", "The network has been active since 2019."),
            portion("(S//NF)", "Reporting comes from a recruited employee of one exchange house.", sourcesAndMethods: true),
        ]) }

    @Test(arguments: TestBackend.allCases) func originatorSeesWholeReportUnderFullBanner(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let created = try await w.post("/v1/reports", as: "usa-releaser", json: Self.courierReport)
            #expect(created.code == 201)
            #expect(created.string("banner") == "SECRET//NOFORN")
            #expect(created.string("originator") == "USA")
            #expect(created.portionIndexes == [0, 1, 2, 3])
            #expect(created.int("withheldPortions") == 0)
            let id = try #require(created.string("id"))
            let read = try await w.get("/v1/reports/\(id)", as: "usa-releaser")
            #expect(read.code == 200)
            #expect(read.objects("portions").last?["sourcesAndMethods"] as? Bool == true)
            let verify = try await w.get("/v1/reports/\(id)/verify", as: "usa-releaser")
            #expect(verify.code == 200)
            #expect(verify.object["valid"] as? Bool == true)
        }
    }

    @Test(arguments: TestBackend.allCases) func releaseToGBRWithholdsSourcesAndMethodsWithReasons(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createReport(Self.courierReport)
            let release = try await w.release(id, to: "GBR")
            #expect(release.code == 201)
            #expect(release.string("originator") == "USA")
            #expect(release.string("recipient") == "GBR")
            #expect(release.ints("portions") == [0, 1, 2])
            #expect(release.object["titleIncluded"] as? Bool == true)
            #expect(release.string("banner") == "SECRET//REL TO USA, GBR")
            let withheld = release.objects("withheld")
            #expect(withheld.count == 1)
            #expect(withheld.first?["index"] as? Int == 3)
            #expect(withheld.first?["reasons"] as? [String] == ["sources-and-methods", "noforn", "not-rel-to"])
            #expect(!(release.string("signature") ?? "").isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases) func clearedGBRAnalystReadsAllReleasedPortions(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createReport(Self.courierReport)
            let releaseId = try await w.releaseId(id, to: "GBR")
            let read = try await w.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret")
            #expect(read.code == 200)
            #expect(read.string("kind") == "release")
            #expect(read.string("originator") == "USA")
            #expect(read.string("recipient") == "GBR")
            #expect(read.string("title") == "Courier network in the Gulf")
            #expect(read.portionIndexes == [0, 1, 2])
            #expect(read.int("withheldPortions") == 0)
            #expect(read.string("banner") == "SECRET//REL TO USA, GBR")
            // The sources-and-methods text never reaches GBR.
            #expect(!read.text.contains("recruited employee"))
            let verify = try await w.get("/v1/releases/\(releaseId)/verify", as: "gbr-analyst-secret")
            #expect(verify.code == 200)
            #expect(verify.object["valid"] as? Bool == true)
            #expect(verify.string("originator") == "USA")
        }
    }

    @Test(arguments: TestBackend.allCases) func lessClearedGBRAnalystSeesOnlyPortionsAtTheirLevel(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createReport(Self.courierReport)
            let releaseId = try await w.releaseId(id, to: "GBR")
            let read = try await w.get("/v1/releases/\(releaseId)", as: "gbr-analyst-confidential")
            #expect(read.code == 200)
            #expect(read.portionIndexes == [1, 2])
            #expect(read.int("withheldPortions") == 1)
            // The banner covers what is shown, never what is withheld.
            #expect(read.string("banner") == "CONFIDENTIAL//REL TO USA, GBR")
            #expect(!read.text.contains("three exchange houses"))
        }
    }

    @Test(arguments: TestBackend.allCases) func gbrInboxListsTheReleaseWithoutPortionText(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createReport(Self.courierReport)
            let releaseId = try await w.releaseId(id, to: "GBR")
            let inbox = try await w.get("/v1/releases", as: "gbr-analyst-secret")
            #expect(inbox.code == 200)
            let items = inbox.objects("items")
            #expect(items.map { $0["id"] as? String } == [releaseId])
            #expect((items.first?["portions"] as? [Any])?.isEmpty == true)
            // Another partner's inbox stays empty.
            let deu = try await w.get("/v1/releases", as: "deu-analyst")
            #expect(deu.code == 200)
            #expect(deu.objects("items").isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases) func readerWhoMaySeeNothingGets404(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createReport(reportBody(portions: [portion("(S//REL TO USA, GBR)", "Only SECRET here.")]))
            let releaseId = try await w.releaseId(id, to: "GBR")
            let read = try await w.get("/v1/releases/\(releaseId)", as: "gbr-analyst-confidential")
            #expect(read.code == 404)
            #expect(read.isProblem)
            #expect(read.problemType == "not-found")
            // Exactly as if the release did not exist.
            let missing = try await w.get("/v1/releases/rel_00000000000000000000000000000000", as: "gbr-analyst-confidential")
            #expect(missing.code == 404)
            #expect(missing.text == read.text)
        }
    }

    @Test(arguments: TestBackend.allCases) func titleTravelsLikeAPortion(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            var body = reportBody(title: "Name of the recruited source", titleMarking: "(S//NF)",
                                  portions: [portion("(C//REL TO USA, GBR)", "Releasable portion.")])
            let report = try await w.createReport(body)
            let release = try await w.release(report, to: "GBR")
            #expect(release.code == 201)
            #expect(release.object["titleIncluded"] as? Bool == false)
            #expect(release.objects("withheld").isEmpty, "the title is not a content portion")
            let read = try await w.get("/v1/releases/\(try #require(release.string("id")))", as: "gbr-analyst-secret")
            #expect(read.code == 200)
            #expect(read.object["title"] == nil || read.object["title"] is NSNull)
            #expect(!read.text.contains("recruited source"))
            #expect(read.string("banner") == "CONFIDENTIAL//REL TO USA, GBR")

            body["titleMarking"] = "(U)"
            let open = try await w.releaseId(try await w.createReport(body), to: "GBR")
            #expect(try await w.get("/v1/releases/\(open)", as: "gbr-analyst-secret").string("title") == "Name of the recruited source")
        }
    }

    @Test(arguments: TestBackend.allCases) func entitiesTravelOnlyWithTheirPortions(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            var body = Self.courierReport
            body["entities"] = [
                ["type": "organization", "value": "Gulf Exchange House", "portion": 0],
                ["type": "person", "value": "Recruited Employee", "portion": 3],
            ]
            let report = try await w.createReport(body)
            let own = try await w.get("/v1/reports/\(report)", as: "usa-releaser")
            #expect(own.objects("entities").count == 2)
            let release = try await w.releaseId(report, to: "GBR")
            let secret = try await w.get("/v1/releases/\(release)", as: "gbr-analyst-secret")
            #expect(secret.objects("entities").map { $0["value"] as? String } == ["Gulf Exchange House"])
            #expect(!secret.text.contains("Recruited Employee"))
            let confidential = try await w.get("/v1/releases/\(release)", as: "gbr-analyst-confidential")
            #expect(confidential.code == 200)
            #expect(confidential.objects("entities").isEmpty)
        }
    }
}

@Suite struct ReadAuditDetailTests {
    @Test(arguments: TestBackend.allCases) func aReadRecordsEachWithheldPortionWithItsReasons(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createReport(reportBody(portions: [
                portion("(S//REL TO USA, GBR)", "A secret portion."), portion("(C//REL TO USA, GBR)", "A confidential portion."),
            ]))
            let release = try await w.releaseId(id, to: "GBR")
            let reply = try await w.get("/v1/releases/\(release)", as: "gbr-analyst-confidential")
            #expect(reply.code == 200)
            let events = try await w.audit(as: "gbr-security", "action=release.read&object=\(release)")
            #expect(events.last?["detail"] as? String == "shown=1 withheld=1 [0:clearance]")
        }
    }
}
