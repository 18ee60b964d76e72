import Foundation
import Hummingbird
import Testing

/// Story 3 — bargaining: releases enter the partnership's ledger with a documented value,
/// carry terms, answer requests for information; the partners table shows the balance.
@Suite struct StoryThreeTests {
    static func isrRelease(_ w: World, terms: String? = nil) async throws -> Reply {
        let report = try await w.createReport(as: "isr-releaser", reportBody(
            title: "Courier", sourceGrade: "A2", topics: ["iran"], portions: [portion("(S//REL TO USA, ISR)", "A courier crosses on Mondays.")]))
        var body: [String: Any] = ["recipient": "USA"]
        if let terms { body["terms"] = terms }
        return try await w.post("/v1/reports/\(report)/releases", as: "isr-releaser", json: body)
    }

    static func row(_ w: World, as who: String = "isr-releaser", partner: String = "USA") async throws -> [String: Any] {
        let table = try await w.get("/v1/partners", as: who)
        try #require(table.code == 200, "\(table)")
        return try #require(table.array.first { $0["partner"] as? String == partner })
    }

    @Test(arguments: TestBackend.allCases) func aReleaseEntersTheLedgerValuedByTheFormulaAndTheBalanceShows(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let release = try await Self.isrRelease(w)
            try #require(release.code == 201)
            var row = try await Self.row(w)
            // SECRET 8 × reliability A 1.0 × credibility 2 0.9 × (1 + 0: USA declared no interest) = 7.2
            #expect((row["given"] as? [String: Any])?["value"] as? Double == 7.2)
            #expect(row["balance"] as? Double == 7.2)
            // Declared interest in the topic raises the value of the next release: × (1 + 1).
            let declared = try await w.send(.put, "/v1/organizations/USA/interests", as: "usa-senior", json: ["topics": ["iran"]])
            #expect(declared.code == 200, "\(declared)")
            _ = try await Self.isrRelease(w)
            row = try await Self.row(w)
            #expect((row["given"] as? [String: Any])?["releases"] as? Int == 2)
            #expect(abs(((row["given"] as? [String: Any])?["value"] as? Double ?? 0) - (7.2 + 14.4)) < 1e-9)
            #expect(row["sharedInterests"] as? [String] == [], "ISR declared none")
            let usaSide = try await Self.row(w, as: "usa-senior", partner: "ISR")
            #expect(abs((usaSide["balance"] as? Double ?? 0) + 21.6) < 1e-9, "the same ledger, seen from USA")
            let series = try await w.get("/v1/partners/USA/series", as: "isr-releaser")
            #expect(series.array.compactMap { $0["given"] as? Double }.map { ($0 * 10).rounded() / 10 } == [7.2, 21.6])
        }
    }

    @Test(arguments: TestBackend.allCases) func termsAreOwedByTheRecipientAndOnlyTheRightSideDecidesThem(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let release = try await Self.isrRelease(w, terms: "Support at the IMF board")
            let term = try #require(release.object["terms"] as? [String: Any])
            #expect(term["owedBy"] as? String == "USA")
            #expect(term["status"] as? String == "open")
            let id = try #require(term["id"] as? String)
            #expect(try await Self.row(w)["openTermsOwedToUs"] as? Int == 1)
            // USA (which owes) cannot mark it met; ISR (which asked) cannot decline it.
            #expect(try await w.patch("/v1/terms/\(id)", as: "usa-senior", json: ["status": "met"]).code == 403)
            #expect(try await w.patch("/v1/terms/\(id)", as: "isr-releaser", json: ["status": "declined"]).code == 403)
            #expect(try await w.patch("/v1/terms/\(id)", as: "rus-analyst", json: ["status": "met"]).code == 404)
            let met = try await w.patch("/v1/terms/\(id)", as: "isr-releaser", json: ["status": "met"])
            #expect(met.code == 200)
            #expect(try await w.patch("/v1/terms/\(id)", as: "isr-releaser", json: ["status": "met"]).code == 409)
            #expect(try await Self.row(w)["openTermsOwedToUs"] as? Int == 0)
        }
    }

    @Test(arguments: TestBackend.allCases) func aRequestForInformationIsAnsweredByARelease(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let asked = try await w.post("/v1/rfis", as: "usa-analyst", json: ["to": "ISR", "question": "Where does the courier cross?", "terms": "Satellite passes"])
            #expect(asked.code == 201, "\(asked)")
            let id = try #require(asked.string("id"))
            #expect((asked.objects("terms").first)?["owedBy"] as? String == "USA", "the offered terms are owed by the requester")
            #expect(try await w.get("/v1/rfis", as: "isr-releaser").array.map { $0["question"] as? String } == ["Where does the courier cross?"])
            let noPartner = try await w.post("/v1/rfis", as: "usa-analyst", json: ["to": "RUS", "question": "?"])
            #expect(noPartner.code == 404)
            let release = try #require(try await Self.isrRelease(w).string("id"))
            #expect(try await w.post("/v1/rfis/\(id)/answer", as: "usa-senior", json: ["releaseId": release]).code == 403, "only the responder answers")
            let answered = try await w.post("/v1/rfis/\(id)/answer", as: "isr-releaser", json: ["releaseId": release])
            #expect(answered.code == 200, "\(answered)")
            #expect(answered.string("status") == "answered")
            #expect(answered.string("answerReleaseId") == release)
        }
    }

    @Test(arguments: TestBackend.allCases) func suggestionsListWhatThePartnerWantsAndMayReceive(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            _ = try await w.send(.put, "/v1/organizations/USA/interests", as: "usa-senior", json: ["topics": ["iran"]])
            let wanted = try await w.createReport(as: "isr-releaser", reportBody(
                topics: ["iran"], portions: [portion("(S//REL TO USA, ISR)", "Goes."), portion("(S)", "Not REL TO USA."), portion("(S//REL TO USA, ISR)", "Source.", sourcesAndMethods: true)]))
            _ = try await w.createReport(as: "isr-releaser", reportBody(topics: ["iran"], portions: [portion("(S//NF)", "Never leaves.")]))
            let suggested = try await w.get("/v1/partners/USA/suggestions", as: "isr-releaser")
            #expect(suggested.code == 200, "\(suggested)")
            #expect(suggested.array.map { $0["reportId"] as? String } == [wanted], "a report with nothing releasable is not suggested")
            #expect(suggested.array.first?["portions"] as? [Int] == [0])
            #expect(try await w.get("/v1/releases", as: "usa-senior").objects("items").isEmpty, "nothing is released automatically")
            #expect(try await w.get("/v1/partners/USA/suggestions", as: "isr-analyst").code == 403)
        }
    }
}
