import Testing

/// Story 4: the third-party rule. ISR releases an ORCON report to USA; a senior USA member tries
/// to pass it to RUS. The forward is refused and becomes a consent request to ISR.
@Suite struct StoryFourTests {
    static func planningCell(relTo: String = "USA, ISR") -> [String: Any] {
        reportBody(
            title: "Planning cell in a third country", sourceGrade: "A2", topics: ["iran"],
            portions: [
                portion("(S//OC/REL TO \(relTo))", "A planning cell meets weekly in a rented villa."),
                portion("(C//OC/REL TO \(relTo))", "The cell's communications use a commercial laptop model."),
            ])
    }

    /// ISR writes the report and releases it to USA with ORCON approval; returns (report, release).
    static func isrReleasesToUSA(_ w: World, relTo: String = "USA, ISR") async throws -> (String, String) {
        let report = try await w.createReport(as: "isr-releaser", planningCell(relTo: relTo))
        let release = try await w.releaseId(report, to: "USA", as: "isr-releaser", approveOrcon: true)
        return (report, release)
    }

    /// A USA member tries to forward the release to RUS; returns the consent request id.
    static func forwardToRUS(_ w: World, release: String) async throws -> String {
        let forward = try await w.post("/v1/releases/\(release)/forward", as: "usa-senior", json: ["recipient": "RUS"])
        try #require(forward.code == 403, "forward: \(forward)")
        return try #require(forward.string("consentRequestId"))
    }

    @Test(arguments: TestBackend.allCases) func orconNeedsTheOriginatorsExplicitApproval(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(as: "isr-releaser", Self.planningCell())
            let refused = try await w.release(report, to: "USA", as: "isr-releaser")
            #expect(refused.code == 403)
            #expect(refused.isProblem)
            #expect(refused.problemType == "release-denied")
            #expect(refused.reasons == ["orcon-not-approved"])
            #expect(refused.objects("withheld").count == 2)
            #expect(try await w.get("/v1/releases", as: "usa-senior").objects("items").isEmpty)

            let approved = try await w.release(report, to: "USA", as: "isr-releaser", approveOrcon: true)
            #expect(approved.code == 201)
            #expect(approved.ints("portions") == [0, 1])
            #expect(approved.string("banner") == "SECRET//ORCON/REL TO USA, ISR")
            let read = try await w.get("/v1/releases/\(try #require(approved.string("id")))", as: "usa-senior")
            #expect(read.code == 200)
            #expect(read.portionIndexes == [0, 1])
        }
    }

    @Test(arguments: TestBackend.allCases) func forwardIsRefusedUnderTheThirdPartyRule(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let (_, release) = try await Self.isrReleasesToUSA(w)
            let forward = try await w.post("/v1/releases/\(release)/forward", as: "usa-senior", json: ["recipient": "RUS"])
            #expect(forward.code == 403)
            #expect(forward.isProblem)
            #expect(forward.problemType == "third-party-rule")
            #expect(forward.reasons == ["third-party-rule"])
            let consentId = try #require(forward.string("consentRequestId"))

            let pending = try await w.get("/v1/consent-requests", as: "isr-releaser")
            #expect(pending.code == 200)
            let request = try #require(pending.array.first { $0["id"] as? String == consentId })
            #expect(request["status"] as? String == "pending")
            #expect(request["target"] as? String == "RUS")
            #expect(request["holder"] as? String == "USA")
            #expect(request["originator"] as? String == "ISR")
            #expect(try await w.get("/v1/releases", as: "rus-analyst").objects("items").isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases) func consentDeniedSendsNothingToRUS(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let (_, release) = try await Self.isrReleasesToUSA(w)
            let consentId = try await Self.forwardToRUS(w, release: release)
            let decided = try await w.post("/v1/consent-requests/\(consentId)/decision", as: "isr-releaser", json: ["decision": "deny"])
            #expect(decided.code == 200)
            #expect(decided.string("status") == "denied")
            #expect(decided.string("resultingReleaseId") == nil)
            #expect(decided.string("decidedBy") == w.id("isr-releaser"))
            let rus = try await w.get("/v1/releases", as: "rus-analyst")
            #expect(rus.code == 200)
            #expect(rus.objects("items").isEmpty)
            // A decided request cannot be decided again.
            let again = try await w.post("/v1/consent-requests/\(consentId)/decision", as: "isr-releaser", json: ["decision": "grant"])
            #expect(again.code == 409)
            #expect(again.problemType == "already-decided")
            #expect(try await w.get("/v1/releases", as: "rus-analyst").objects("items").isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases) func consentGrantedMakesANewReleaseStillOriginatedAndSignedByISR(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            try await w.createPartnership("ISR", "RUS", trust: "high")
            let (report, release) = try await Self.isrReleasesToUSA(w, relTo: "USA, ISR, RUS")
            let consentId = try await Self.forwardToRUS(w, release: release)
            let decided = try await w.post("/v1/consent-requests/\(consentId)/decision", as: "isr-releaser", json: ["decision": "grant"])
            #expect(decided.code == 200)
            #expect(decided.string("status") == "granted")
            let newRelease = try #require(decided.string("resultingReleaseId"))
            #expect(newRelease != release)

            let inbox = try await w.get("/v1/releases", as: "rus-analyst")
            #expect(inbox.objects("items").map { $0["id"] as? String } == [newRelease])
            let read = try await w.get("/v1/releases/\(newRelease)", as: "rus-analyst")
            #expect(read.code == 200)
            #expect(read.string("originator") == "ISR")
            #expect(read.string("recipient") == "RUS")
            #expect(read.string("reportId") == report)
            #expect(read.portionIndexes == [0, 1])
            let verify = try await w.get("/v1/releases/\(newRelease)/verify", as: "rus-analyst")
            #expect(verify.code == 200)
            #expect(verify.object["valid"] as? Bool == true)
            #expect(verify.string("originator") == "ISR")
            // The signature is ISR's: the key it verifies with is ISR's published key.
            let isr = try await w.get("/v1/organizations/ISR", as: "rus-analyst")
            #expect(isr.code == 200)
            #expect(verify.string("publicKey") != nil && verify.string("publicKey") == isr.string("publicKey"))

            // The forwarding party never becomes the originator: ISR lists the release among its own.
            let isrReleases = try await w.get("/v1/reports/\(report)/releases", as: "isr-releaser")
            #expect(isrReleases.code == 200)
            #expect(Set(isrReleases.array.compactMap { $0["recipient"] as? String }) == ["USA", "RUS"])
            // USA holds no report of its own from this.
            #expect(try await w.get("/v1/reports", as: "usa-senior").objects("items").isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases) func consentThatTheRuleCannotHonourStaysPending(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let (_, release) = try await Self.isrReleasesToUSA(w)  // REL TO USA, ISR; no ISR–RUS partnership
            let consentId = try await Self.forwardToRUS(w, release: release)
            let decided = try await w.post("/v1/consent-requests/\(consentId)/decision", as: "isr-releaser", json: ["decision": "grant"])
            #expect(decided.code == 409)
            #expect(decided.problemType == "consent-not-possible")
            #expect(decided.reasons == ["no-partnership", "not-rel-to"])
            let pending = try await w.get("/v1/consent-requests", as: "isr-releaser")
            #expect(pending.array.first { $0["id"] as? String == consentId }?["status"] as? String == "pending")
            #expect(try await w.get("/v1/releases", as: "rus-analyst").objects("items").isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases) func onlyAnOriginatorReleaserDecidesConsent(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let (_, release) = try await Self.isrReleasesToUSA(w)
            let consentId = try await Self.forwardToRUS(w, release: release)
            let analyst = try await w.post("/v1/consent-requests/\(consentId)/decision", as: "isr-analyst", json: ["decision": "grant"])
            #expect(analyst.code == 403)
            #expect(analyst.reasons == ["role-required"])
            // The holder cannot grant itself consent; for it the request's decision does not exist.
            let holder = try await w.post("/v1/consent-requests/\(consentId)/decision", as: "usa-senior", json: ["decision": "grant"])
            #expect(holder.code == 404)
            let pending = try await w.get("/v1/consent-requests", as: "isr-releaser")
            #expect(pending.array.first { $0["id"] as? String == consentId }?["status"] as? String == "pending")
        }
    }

    @Test(arguments: TestBackend.allCases) func theAttemptStandsInBothAuditTrails(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let (_, release) = try await Self.isrReleasesToUSA(w)
            _ = try await Self.forwardToRUS(w, release: release)
            let usa = try await w.audit(as: "usa-security", "action=release.forward")
            let isr = try await w.audit(as: "isr-security", "action=release.forward")
            #expect(usa.count == 1)
            #expect(isr.count == 1)
            for event in usa + isr {
                #expect(event["decision"] as? String == "deny")
                #expect(event["reasons"] as? [String] == ["third-party-rule"])
                #expect(event["object"] as? String == release)
            }
            #expect(usa.first?["actor"] as? String == w.id("usa-senior"))
            // ISR's trail does not name the USA member.
            #expect(isr.first != nil && isr.first?["actor"] as? String == nil)
            // RUS learns nothing.
            #expect(try await w.audit(as: "rus-security", "action=release.forward").isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases) func isrLowersTrustAndUSALosesTheSecretPortionAtOnce(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let (_, release) = try await Self.isrReleasesToUSA(w)
            _ = try await Self.forwardToRUS(w, release: release)
            try await w.setPartnership("ISR", "USA", ["trustLevel": "low"], as: "isr-releaser")
            let after = try await w.get("/v1/releases/\(release)", as: "usa-senior")
            #expect(after.code == 200)
            #expect(after.portionIndexes == [1])
            #expect(after.int("withheldPortions") == 1)
            #expect(after.string("banner") == "CONFIDENTIAL//ORCON/REL TO USA, ISR")
        }
    }
}
