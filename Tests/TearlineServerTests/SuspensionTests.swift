import Testing

/// A suspended member keeps their token (so their attempts are attributed and audited) but may
/// do nothing with it: read, write, release, decide, grant, revoke or read the audit log.
@Suite struct SuspensionTests {
    static func suspend(_ w: World, _ who: String, by admin: String) async throws {
        let reply = try await w.patch("/v1/members/\(w.id(who))", as: admin, json: ["status": "suspended"])
        try #require(reply.code == 200, "suspending \(who): \(reply)")
    }

    @Test(arguments: TestBackend.allCases) func suspendedAdminCannotReactivateThemselvesOrChangeOthers(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            try await Self.suspend(w, "usa-senior", by: "admin")
            let selfRestore = try await w.patch("/v1/members/\(w.id("usa-senior"))", as: "usa-senior", json: ["status": "active"])
            #expect(selfRestore.code == 403)
            #expect(selfRestore.reasons == ["member-suspended"])
            let other = try await w.patch("/v1/members/\(w.id("usa-analyst"))", as: "usa-senior", json: ["status": "suspended"])
            #expect(other.code == 403)
            #expect(other.reasons == ["member-suspended"])
            let members = try await w.get("/v1/organizations/USA/members", as: "admin")
            let status = Dictionary(uniqueKeysWithValues: members.array.compactMap { m in
                (m["id"] as? String).map { ($0, m["status"] as? String ?? "") }
            })
            #expect(status[w.id("usa-senior")] == "suspended")
            #expect(status[w.id("usa-analyst")] == "active")
            // The node admin restores them.
            #expect(try await w.patch("/v1/members/\(w.id("usa-senior"))", as: "admin", json: ["status": "active"]).code == 200)
        }
    }

    @Test(arguments: TestBackend.allCases) func suspendedReleaserCannotGrantConsent(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            try await w.createPartnership("ISR", "RUS", trust: "high")
            let (_, release) = try await StoryFourTests.isrReleasesToUSA(w, relTo: "USA, ISR, RUS")
            let consentId = try await StoryFourTests.forwardToRUS(w, release: release)
            try await Self.suspend(w, "isr-releaser", by: "admin")
            let decided = try await w.post("/v1/consent-requests/\(consentId)/decision", as: "isr-releaser", json: ["decision": "grant"])
            #expect(decided.code == 403)
            #expect(decided.reasons == ["member-suspended"])
            #expect(try await w.get("/v1/releases", as: "rus-analyst").objects("items").isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases) func suspendedReleaserCannotGrantNeedToKnowOrRevoke(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(portions: [portion("(C//REL TO USA, GBR)", "x")]))
            let release = try await w.releaseId(report, to: "GBR")
            try await Self.suspend(w, "usa-releaser", by: "usa-senior")
            let grant = try await w.post("/v1/grants", as: "usa-releaser", json: ["member": w.id("usa-analyst-economics"), "report": report])
            #expect(grant.code == 403)
            #expect(grant.reasons == ["member-suspended"])
            #expect(try await w.get("/v1/reports/\(report)", as: "usa-analyst-economics").code == 404)
            let revoke = try await w.post("/v1/releases/\(release)/revoke", as: "usa-releaser")
            #expect(revoke.code == 403)
            #expect(revoke.reasons == ["member-suspended"])
            #expect(try await w.get("/v1/releases/\(release)", as: "gbr-analyst-secret").code == 200)
            // Nor release.
            #expect(try await w.release(report, to: "GBR").code == 403)
        }
    }

    @Test(arguments: TestBackend.allCases) func suspendedSecurityMemberCannotReadTheAuditLogOrReceipts(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            try await Self.suspend(w, "usa-security", by: "usa-senior")
            let audit = try await w.get("/v1/audit", as: "usa-security")
            #expect(audit.code == 403)
            #expect(audit.reasons == ["member-suspended"])
            let receipts = try await w.get("/v1/receipts/GBR", as: "usa-security")
            #expect(receipts.code == 403)
            #expect(receipts.reasons == ["member-suspended"])
            try await Self.suspend(w, "usa-liaison", by: "usa-senior")
            let liaison = try await w.get("/v1/receipts/DEU", as: "usa-liaison")
            #expect(liaison.code == 403)
            #expect(liaison.reasons == ["member-suspended"])
        }
    }
}
