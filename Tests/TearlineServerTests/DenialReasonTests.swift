import Testing

/// One test per denial reason the API can produce. A refused write answers 403 with the exact
/// `reasons`; a refused read answers 404 (what the reader may not see does not exist for them)
/// and the reasons stand in the audit log.
@Suite struct DenialReasonTests {
    /// Two portions, both releasable to GBR under high trust.
    static var sharedReport: [String: Any] {
        reportBody(portions: [portion("(S//REL TO USA, GBR)", "Secret portion."), portion("(C//REL TO USA, GBR)", "Confidential portion.")])
    }

    static var secretOnly: [String: Any] {
        reportBody(portions: [portion("(S//REL TO USA, GBR, DEU)", "Only SECRET here.")])
    }

    /// Asserts a refused release: 403 problem, the exact reasons, nothing released, the denial audited.
    static func expectReleaseDenied(
        _ w: World, portions: [[String: Any]], to recipient: String, reasons: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let report = try await w.createReport(reportBody(portions: portions))
        let reply = try await w.release(report, to: recipient)
        #expect(reply.code == 403, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.isProblem, sourceLocation: sourceLocation)
        #expect(reply.problemType == "release-denied", sourceLocation: sourceLocation)
        #expect(reply.reasons == reasons, sourceLocation: sourceLocation)
        #expect(reply.objects("withheld").count == portions.count, sourceLocation: sourceLocation)
        let releases = try await w.get("/v1/reports/\(report)/releases", as: "usa-releaser")
        #expect(releases.code == 200 && releases.array.isEmpty, "nothing was released", sourceLocation: sourceLocation)
        #expect(try await w.deniedReasons(action: "release.create", object: report, as: "usa-security") == reasons,
                sourceLocation: sourceLocation)
    }

    /// Asserts a refused read: 404 not-found, and the audit event's reasons as `security` sees them.
    static func expectReadDenied(
        _ w: World, _ path: String, as who: String, action: String, object: String, security: String, reasons: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let reply = try await w.get(path, as: who)
        #expect(reply.code == 404, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.isProblem, sourceLocation: sourceLocation)
        #expect(reply.problemType == "not-found", sourceLocation: sourceLocation)
        #expect(reply.reasons == nil, "a 404 names no reasons", sourceLocation: sourceLocation)
        #expect(try await w.deniedReasons(action: action, object: object, as: security) == reasons, sourceLocation: sourceLocation)
    }

    // MARK: Reading

    @Test(arguments: TestBackend.allCases) func noAccessPath(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(Self.sharedReport)
            try await Self.expectReadDenied(w, "/v1/reports/\(report)", as: "gbr-analyst-secret", action: "report.read", object: report,
                                            security: "gbr-security", reasons: ["no-access-path"])
            let release = try await w.releaseId(report, to: "GBR")
            try await Self.expectReadDenied(w, "/v1/releases/\(release)", as: "deu-analyst", action: "release.read", object: release,
                                            security: "deu-security", reasons: ["no-access-path"])
        }
    }

    @Test(arguments: TestBackend.allCases) func releaseRevoked(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let release = try await w.releaseId(try await w.createReport(Self.sharedReport), to: "GBR")
            #expect(try await w.get("/v1/releases/\(release)", as: "gbr-analyst-secret").code == 200)
            let revoke = try await w.post("/v1/releases/\(release)/revoke", as: "usa-releaser")
            #expect(revoke.code == 200)
            #expect(revoke.object["revoked"] as? Bool == true)
            try await Self.expectReadDenied(w, "/v1/releases/\(release)", as: "gbr-analyst-secret", action: "release.read", object: release,
                                            security: "gbr-security", reasons: ["release-revoked"])
            let again = try await w.post("/v1/releases/\(release)/revoke", as: "usa-releaser")
            #expect(again.code == 409)
            #expect(again.problemType == "already-revoked")
        }
    }

    @Test(arguments: TestBackend.allCases) func partnershipSuspended(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(Self.sharedReport)
            let release = try await w.releaseId(report, to: "GBR")
            try await w.setPartnership("USA", "GBR", ["status": "suspended"], as: "usa-senior")
            try await Self.expectReadDenied(w, "/v1/releases/\(release)", as: "gbr-analyst-secret", action: "release.read", object: release,
                                            security: "gbr-security", reasons: ["partnership-suspended"])
            try await Self.expectReleaseDenied(w, portions: [portion("(C//REL TO USA, GBR)", "x")], to: "GBR", reasons: ["partnership-suspended"])
            try await w.setPartnership("USA", "GBR", ["status": "active"], as: "usa-senior")
            #expect(try await w.get("/v1/releases/\(release)", as: "gbr-analyst-secret").code == 200)
        }
    }

    @Test(arguments: TestBackend.allCases) func trustCeiling(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            try await Self.expectReleaseDenied(w, portions: [portion("(S//REL TO USA, DEU)", "x")], to: "DEU", reasons: ["trust-ceiling"])
            // Lowering trust takes effect at once on a release already made.
            let release = try await w.releaseId(try await w.createReport(Self.secretOnly), to: "GBR")
            try await w.setPartnership("USA", "GBR", ["trustLevel": "low"], as: "usa-senior")
            try await Self.expectReadDenied(w, "/v1/releases/\(release)", as: "gbr-analyst-secret", action: "release.read", object: release,
                                            security: "gbr-security", reasons: ["trust-ceiling"])
        }
    }

    @Test(arguments: TestBackend.allCases) func clearance(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let release = try await w.releaseId(try await w.createReport(Self.secretOnly), to: "GBR")
            try await Self.expectReadDenied(w, "/v1/releases/\(release)", as: "gbr-analyst-confidential", action: "release.read",
                                            object: release, security: "gbr-security", reasons: ["clearance"])
        }
    }

    @Test(arguments: TestBackend.allCases) func partialViewReturnsWithheldCountAndBannerOfWhatIsShown(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let release = try await w.releaseId(try await w.createReport(Self.sharedReport), to: "GBR")
            let read = try await w.get("/v1/releases/\(release)", as: "gbr-analyst-confidential")
            #expect(read.code == 200)
            #expect(read.portionIndexes == [1])
            #expect(read.int("withheldPortions") == 1)
            #expect(read.string("banner") == "CONFIDENTIAL//REL TO USA, GBR")
            #expect(!read.text.contains("Secret portion."))
            let full = try await w.get("/v1/releases/\(release)", as: "gbr-analyst-secret")
            #expect(full.int("withheldPortions") == 0)
            #expect(full.string("banner") == "SECRET//REL TO USA, GBR")
        }
    }

    @Test(arguments: TestBackend.allCases) func compartments(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(portions: [portion("(S//HCS)", "Compartmented.")]))
            try await Self.expectReadDenied(w, "/v1/reports/\(report)", as: "usa-analyst-nohcs", action: "report.read", object: report,
                                            security: "usa-security", reasons: ["compartments"])
        }
    }

    @Test(arguments: TestBackend.allCases) func needToKnowAndAGrantLiftingIt(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(Self.sharedReport)
            try await Self.expectReadDenied(w, "/v1/reports/\(report)", as: "usa-analyst-economics", action: "report.read", object: report,
                                            security: "usa-security", reasons: ["need-to-know"])
            // An analyst may not grant need-to-know.
            let refused = try await w.post("/v1/grants", as: "usa-analyst", json: ["member": w.id("usa-analyst-economics"), "report": report])
            #expect(refused.code == 403)
            #expect(refused.reasons == ["role-required"])
            #expect(try await w.get("/v1/reports/\(report)", as: "usa-analyst-economics").code == 404)

            let grant = try await w.post("/v1/grants", as: "usa-releaser", json: ["member": w.id("usa-analyst-economics"), "report": report])
            #expect(grant.code == 201)
            #expect(grant.string("report") == report)
            let read = try await w.get("/v1/reports/\(report)", as: "usa-analyst-economics")
            #expect(read.code == 200)
            #expect(read.portionIndexes == [0, 1])
        }
    }

    @Test(arguments: TestBackend.allCases) func memberSuspended(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(Self.sharedReport)
            #expect(try await w.get("/v1/reports/\(report)", as: "usa-analyst").code == 200)
            let suspend = try await w.patch("/v1/members/\(w.id("usa-analyst"))", as: "usa-senior", json: ["status": "suspended"])
            #expect(suspend.code == 200)
            #expect(suspend.string("status") == "suspended")
            // A suspended member is refused outright (403), and the refused read is audited with its reason.
            let read = try await w.get("/v1/reports/\(report)", as: "usa-analyst")
            #expect(read.code == 403)
            #expect(read.reasons == ["member-suspended"])
            #expect(try await w.deniedReasons(action: "report.read", object: report, as: "usa-security") == ["member-suspended"])
            let write = try await w.post("/v1/reports", as: "usa-analyst", json: reportBody(portions: [portion("(U)", "x")]))
            #expect(write.code == 403)
            #expect(write.reasons == ["member-suspended"])
            // Only an admin suspends.
            let byAnalyst = try await w.patch("/v1/members/\(w.id("usa-analyst-nohcs"))", as: "usa-analyst-nohcs", json: ["status": "suspended"])
            #expect(byAnalyst.code == 403)
            #expect(byAnalyst.reasons == ["role-required"])
            #expect(try await w.patch("/v1/members/\(w.id("usa-analyst"))", as: "usa-senior", json: ["status": "active"]).code == 200)
            #expect(try await w.get("/v1/reports/\(report)", as: "usa-analyst").code == 200)
        }
    }

    // MARK: Releasing

    @Test(arguments: TestBackend.allCases) func noPartnership(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            // A release to an organisation with no partnership (one the releaser may not know of) is answered
            // like one to an unknown id; the attempt stands in the log with its reason.
            let report = try await w.createReport(reportBody(portions: [portion("(U)", "Open source.")]))
            let reply = try await w.release(report, to: "FRA")
            #expect(reply.code == 400, "\(reply)")
            #expect(reply.problemType == "invalid-request")
            #expect(try await w.get("/v1/reports/\(report)/releases", as: "usa-releaser").array.isEmpty, "nothing was released")
            #expect(try await w.deniedReasons(action: "release.create", object: report, as: "usa-security") == ["no-partnership"])
        }
    }

    @Test(arguments: TestBackend.allCases) func sourcesAndMethods(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            try await Self.expectReleaseDenied(
                w, portions: [portion("(S//REL TO USA, GBR)", "A recruited source.", sourcesAndMethods: true)], to: "GBR",
                reasons: ["sources-and-methods"])
        }
    }

    @Test(arguments: TestBackend.allCases) func noforn(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            try await Self.expectReleaseDenied(w, portions: [portion("(U//NF)", "x")], to: "GBR", reasons: ["noforn"])
            // A classified NOFORN portion has no REL TO either.
            try await Self.expectReleaseDenied(w, portions: [portion("(S//NF)", "x")], to: "GBR", reasons: ["noforn", "not-rel-to"])
        }
    }

    @Test(arguments: TestBackend.allCases) func notRelTo(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            try await Self.expectReleaseDenied(w, portions: [portion("(S//REL TO USA)", "x")], to: "GBR", reasons: ["not-rel-to"])
            try await Self.expectReleaseDenied(w, portions: [portion("(C)", "x")], to: "GBR", reasons: ["not-rel-to"])
        }
    }

    @Test(arguments: TestBackend.allCases) func orconNotApproved(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            try await Self.expectReleaseDenied(w, portions: [portion("(S//OC/REL TO USA, GBR)", "x")], to: "GBR", reasons: ["orcon-not-approved"])
        }
    }

    @Test(arguments: TestBackend.allCases) func tlpRed(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            try await Self.expectReleaseDenied(w, portions: [portion("(TLP:RED)", "x")], to: "GBR", reasons: ["tlp-red"])
        }
    }

    @Test(arguments: TestBackend.allCases) func selfRelease(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            // There is no partnership of USA with itself either.
            try await Self.expectReleaseDenied(w, portions: [portion("(U)", "x")], to: "USA", reasons: ["no-partnership", "self-release"])
        }
    }

    // MARK: Passing on

    @Test(arguments: TestBackend.allCases) func thirdPartyRule(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(Self.sharedReport)
            let release = try await w.releaseId(report, to: "GBR")
            let forward = try await w.post("/v1/releases/\(release)/forward", as: "gbr-analyst-secret", json: ["recipient": "DEU"])
            #expect(forward.code == 403)
            #expect(forward.isProblem)
            #expect(forward.problemType == "third-party-rule")
            #expect(forward.reasons == ["third-party-rule"])
            #expect(forward.string("consentRequestId")?.hasPrefix("csr_") == true)
            #expect(try await w.get("/v1/releases", as: "deu-analyst").objects("items").isEmpty)
            #expect(try await w.deniedReasons(action: "release.forward", object: release, as: "gbr-security") == ["third-party-rule"])
            // The originator is told to release directly instead.
            let own = try await w.post("/v1/releases/\(release)/forward", as: "usa-releaser", json: ["recipient": "DEU"])
            #expect(own.code == 409)
            #expect(own.problemType == "use-release")
        }
    }

    // MARK: Authority

    @Test(arguments: TestBackend.allCases) func roleRequiredToRelease(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(Self.sharedReport)
            let reply = try await w.release(report, to: "GBR", as: "usa-analyst")
            #expect(reply.code == 403)
            #expect(reply.problemType == "denied")
            #expect(reply.reasons == ["role-required"])
            #expect(try await w.get("/v1/reports/\(report)/releases", as: "usa-releaser").array.isEmpty)
            #expect(try await w.deniedReasons(action: "release.create", object: report, as: "usa-security") == ["role-required"])
        }
    }

    @Test(arguments: TestBackend.allCases) func roleRequiredToReadAudit(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let reply = try await w.get("/v1/audit", as: "usa-senior")
            #expect(reply.code == 403)
            #expect(reply.isProblem)
            #expect(reply.reasons == ["role-required"])
            let events = try await w.audit(as: "usa-security", "action=audit.read&member=\(w.id("usa-senior"))")
            #expect(events.count == 1)
            #expect(events.first?["reasons"] as? [String] == ["role-required"])
        }
    }

    @Test(arguments: TestBackend.allCases) func theWeakerSideCannotRestoreAHierarchicalPartnershipNorRaiseWhatItReceives(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            try await w.setPartnership("USA", "DEU", ["status": "suspended"], as: "usa-senior")
            let analyst = try await w.patch("/v1/partnerships/\(w.partnership("USA", "DEU"))", as: "deu-analyst", json: ["status": "active"])
            #expect(analyst.code == 403)
            #expect(analyst.reasons == ["role-required"])
            let admin = try await w.patch("/v1/partnerships/\(w.partnership("USA", "DEU"))", as: "deu-admin", json: ["status": "active"])
            #expect(admin.code == 403)
            #expect(admin.reasons == ["imposed-by-partner"])
            // DEU's admin may set DEU's own trust in USA; USA's trust in DEU, the ceiling of what DEU receives, stays.
            let raise = try await w.patch("/v1/partnerships/\(w.partnership("USA", "DEU"))", as: "deu-admin", json: ["trustLevel": "full"])
            #expect(raise.code == 200)
            let list = try await w.get("/v1/partnerships", as: "deu-admin")
            let deuUSA = list.array.first { $0["id"] as? String == w.partnership("USA", "DEU") }
            #expect(deuUSA?["status"] as? String == "suspended")
            #expect(deuUSA?["suspendedBy"] as? [String] == ["USA"])
            #expect(deuUSA?["trustLevel"] as? String == "full")
            #expect(deuUSA?["partnerTrustLevel"] as? String == "low")
        }
    }

    @Test(arguments: TestBackend.allCases) func markingAboveAuthor(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let above = try await w.post("/v1/reports", as: "usa-analyst", json: reportBody(portions: [portion("(TS//REL TO USA)", "x")]))
            #expect(above.code == 403)
            #expect(above.problemType == "denied")
            #expect(above.reasons == ["marking-above-author"])
            let compartment = try await w.post("/v1/reports", as: "usa-analyst-nohcs", json: reportBody(portions: [portion("(S//HCS)", "x")]))
            #expect(compartment.code == 403)
            #expect(compartment.reasons == ["marking-above-author"])
            let title = try await w.post("/v1/reports", as: "usa-analyst", json: reportBody(titleMarking: "(TS)", portions: [portion("(U)", "x")]))
            #expect(title.code == 403)
            #expect(title.reasons == ["marking-above-author"])
            for who in ["usa-analyst", "usa-analyst-nohcs"] {
                #expect(try await w.get("/v1/reports", as: who).objects("items").isEmpty)
            }
            #expect(try await w.get("/v1/reports", as: "usa-senior").objects("items").isEmpty)
        }
    }
}
