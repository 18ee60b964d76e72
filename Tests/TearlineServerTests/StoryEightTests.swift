import Foundation
import Testing

/// Story 8 — judging accuracy: GBR marks a USA release refuted; USA's track record drops;
/// recipients see the track record beside the source grade.
@Suite struct StoryEightTests {
    /// A USA report released to GBR; returns the release id.
    static func release(_ world: World, topics: [String] = ["counter-terrorism"]) async throws -> String {
        let report = try await world.createReport(reportBody(sourceGrade: "B2", topics: topics, portions: [portion("(S//REL TO USA, GBR)", "Shipment on Tuesday.")]))
        return try await world.releaseId(report, to: "GBR")
    }

    static func record(_ world: World, as who: String = "gbr-analyst-secret") async throws -> [String: Any] {
        let reply = try await world.get("/v1/organizations/USA/track-record", as: who)
        try #require(reply.code == 200, "\(reply)")
        return try #require(reply.object["overall"] as? [String: Any])
    }

    @Test(arguments: TestBackend.allCases) func aRefutedReleaseLowersTheOriginatorsTrackRecordShownBesideTheSourceGrade(backend: TestBackend) async throws {
        try await withWorld(backend) { world in
            let releaseId = try await Self.release(world)
            let before = try await Self.record(world)
            #expect(before["judged"] as? Int == 0)
            #expect(before["mean"] as? Double == 0.5, "the uniform prior")

            let given = try await world.post("/v1/releases/\(releaseId)/feedback", as: "gbr-analyst-secret",
                                             json: ["verdict": "refuted", "note": "The shipment never left."])
            #expect(given.code == 201, "\(given)")
            let after = try await Self.record(world)
            #expect(after["refuted"] as? Int == 1)
            let mean = try #require(after["mean"] as? Double)
            #expect(mean < 0.5, "a refuted release lowers the track record")
            #expect(abs(mean - 1.0 / 3.0) < 1e-9, "Beta(1, 2): mean 1/3")
            let (low, high) = (try #require(after["low"] as? Double), try #require(after["high"] as? Double))
            #expect(low < mean && mean < high, "with its 95% credible interval")

            // The release view shows it beside the source grade.
            let view = try await world.get("/v1/releases/\(releaseId)", as: "gbr-analyst-secret")
            #expect(view.string("sourceGrade") == "B2")
            let shown = try #require(view.object["trackRecord"] as? [String: Any])
            #expect(shown["refuted"] as? Int == 1)
            #expect(shown["mean"] as? Double == mean)
        }
    }

    @Test(arguments: TestBackend.allCases) func feedbackCanBeRevisedAndTheHistoryIsKept(backend: TestBackend) async throws {
        try await withWorld(backend) { world in
            let releaseId = try await Self.release(world)
            _ = try await world.post("/v1/releases/\(releaseId)/feedback", as: "gbr-analyst-secret", json: ["verdict": "refuted"])
            _ = try await world.post("/v1/releases/\(releaseId)/feedback", as: "gbr-analyst-secret", json: ["verdict": "confirmed"])
            let history = try await world.get("/v1/releases/\(releaseId)/feedback", as: "gbr-analyst-secret")
            #expect(history.array.map { $0["verdict"] as? String } == ["refuted", "confirmed"])
            let record = try await Self.record(world)
            #expect(record["confirmed"] as? Int == 1, "the latest judgement counts")
            #expect(record["refuted"] as? Int == 0)
            let topics = try await world.get("/v1/organizations/USA/track-record", as: "gbr-analyst-secret").object["byTopic"] as? [String: Any]
            #expect((topics?["counter-terrorism"] as? [String: Any])?["judged"] as? Int == 1)
        }
    }

    @Test(arguments: TestBackend.allCases) func theOriginatorSeesTheFeedbackItReceivedWithoutTheRecipientsMembers(backend: TestBackend) async throws {
        try await withWorld(backend) { world in
            let releaseId = try await Self.release(world)
            _ = try await world.post("/v1/releases/\(releaseId)/feedback", as: "gbr-analyst-secret", json: ["verdict": "partly-confirmed", "note": "Half right."])
            let received = try await world.get("/v1/feedback", as: "usa-releaser")
            #expect(received.array.count == 1)
            #expect(received.array.first?["verdict"] as? String == "partly-confirmed")
            #expect(received.array.first?["organization"] as? String == "GBR")
            #expect(received.array.first?["member"] == nil, "another organisation's members are not named")
            let onRelease = try await world.get("/v1/releases/\(releaseId)/feedback", as: "usa-releaser")
            #expect(onRelease.array.first?["note"] as? String == "Half right.")
        }
    }

    @Test(arguments: TestBackend.allCases) func onlyTheRecipientJudgesAndBadInputWritesNothing(backend: TestBackend) async throws {
        try await withWorld(backend) { world in
            let releaseId = try await Self.release(world)
            let own = try await world.post("/v1/releases/\(releaseId)/feedback", as: "usa-releaser", json: ["verdict": "confirmed"])
            #expect(own.code == 403, "the originator does not grade itself")
            let stranger = try await world.post("/v1/releases/\(releaseId)/feedback", as: "deu-analyst", json: ["verdict": "refuted"])
            #expect(stranger.code == 404, "a release DEU does not hold does not exist for it")
            let bad = try await world.post("/v1/releases/\(releaseId)/feedback", as: "gbr-analyst-secret", json: ["verdict": "wrong"])
            #expect(bad.code == 400)
            let unknownField = try await world.post("/v1/releases/\(releaseId)/feedback", as: "gbr-analyst-secret", json: ["verdict": "refuted", "score": 3])
            #expect(unknownField.code == 400)
            #expect(try await Self.record(world)["judged"] as? Int == 0, "nothing was written")
            // An organisation with no partnership with USA does not see its track record.
            #expect(try await world.get("/v1/organizations/USA/track-record", as: "fra-releaser").code == 404)
            #expect(try await world.get("/v1/organizations/NOPE/track-record", as: "gbr-analyst-secret").code == 404)
        }
    }
}
