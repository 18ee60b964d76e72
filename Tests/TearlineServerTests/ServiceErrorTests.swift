import Foundation
import Hummingbird
import TearlineCore
import TearlineStore
import Testing
@testable import TearlineServer

/// Services refuse with a ``ServiceError`` (no HTTP status); the edge maps its kind to a status in
/// one place, and ``ServiceArea/refuse(_:_:at:_:object:concerns:reasons:detail:countingAgainst:answer:)``
/// audits every denial before answering it.
@Suite struct ServiceErrorTests {
    /// The statuses clients have always seen, per kind. A new kind must be added here, and so
    /// be given a status on purpose.
    static let statuses: [ServiceError.Kind: Int] = [
        .invalidRequest: 400, .invalidMarking: 400, .unauthenticated: 401, .denied: 403, .notFound: 404,
        .conflict: 409, .tooLarge: 413, .unprocessable: 422, .throttled: 429, .failed: 500, .unavailable: 503,
    ]

    @Test func everyKindMapsToTheStatusClientsKnow() {
        for kind in ServiceError.Kind.allCases {
            let expected = Self.statuses[kind]
            #expect(expected != nil, "kind \(kind) has no status in this test")
            #expect(kind.httpStatus == expected, "kind \(kind)")
        }
        #expect(Self.statuses.count == ServiceError.Kind.allCases.count)
    }

    @Test func theProblemDocumentCarriesEverythingTheErrorSays() {
        var error = ServiceError.forbidden("No portion of this report may go to GBR.", reasons: [.sourcesAndMethods])
        error.type = "release-denied"
        error.extra = ["consentRequestId": "csr_1"]
        error.retryAfter = 7
        error.withheld = [WithheldView(index: 2, reasons: ["sources-and-methods"])]
        let problem = Problem(error)
        #expect(problem.status == 403)
        #expect(problem.type == "release-denied" && problem.typeURI == "https://tearline.dev/problems/release-denied")
        #expect(problem.title == "Denied" && problem.detail == error.detail)
        #expect(problem.reasons == ["sources-and-methods"] && problem.extra == ["consentRequestId": "csr_1"] && problem.retryAfter == 7)
        #expect(problem.withheld == error.withheld)
        // The CLI prints the error's description; the problem's reads the same.
        #expect(problem.description == error.description)
        #expect(error.description == "Denied: No portion of this report may go to GBR. [sources-and-methods]")
    }

    @Test func theEdgesOwnRefusalsKeepTheirWording() {
        #expect(Problem.badRequest("x") == Problem(status: 400, type: "invalid-request", title: "Invalid request", detail: "x"))
        #expect(Problem.notFound() == Problem(status: 404, type: "not-found", title: "Not found", detail: "No such resource."))
        #expect(Problem.unauthorized() == Problem(status: 401, type: "unauthorized", title: "Unauthorized", detail: "A valid bearer token is required."))
        #expect(Problem.tooLarge(10) == Problem(status: 413, type: "body-too-large", title: "Request body too large", detail: "The body exceeds 10 bytes."))
    }

    @Test(arguments: TestBackend.allCases) func aClientSeesTheSameStatusForEachKind(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            // denied, with its reasons
            let denied = try await w.get("/v1/alerts", as: "usa-analyst")
            #expect(denied.code == 403 && denied.problemType == "denied" && denied.reasons == ["role-required"] && denied.isProblem)
            // not found
            let missing = try await w.get("/v1/reports/rpt_nothing", as: "usa-analyst")
            #expect(missing.code == 404 && missing.problemType == "not-found" && missing.string("detail") == "No such report.")
            // conflict, with its own slug
            let twice = try await w.post("/v1/organizations", as: "admin", json: ["id": "USA", "name": "Again", "kind": "state"])
            #expect(twice.code == 409 && twice.problemType == "already-exists" && twice.string("title") == "Conflict")
            // invalid marking, with its part
            let marking = try await w.post("/v1/reports", as: "usa-releaser", json: reportBody(portions: [portion("(X)", "x")]))
            #expect(marking.code == 400 && marking.problemType == "invalid-marking" && marking.string("part") == "X")
            // unauthenticated, answered by a service that resolves the token itself
            let forged = try await w.send(.get, "/v1/reports/rpt_nothing", as: nil, headers: [.authorization: "Bearer forged"])
            #expect(forged.code == 401 && forged.problemType == "unauthorized")
            // over TAXII, a service's refusal is a TAXII error message with the same status
            let taxii = try await w.send(.get, "/tearline/collections/00000000-0000-4000-8000-000000000000/", as: "usa-analyst",
                                         headers: [.accept: TAXIIMedia.taxii])
            #expect(taxii.code == 404 && taxii.string("http_status") == "404" && taxii.contentType == TAXIIMedia.taxii)
        }
    }

    @Test(arguments: TestBackend.allCases) func aThrottledMemberIsToldWhenToRetry(backend: TestBackend) async throws {
        let limits = ThrottleLimits(distinctReads: 300, searchResults: 3000, exports: 50, deniedReads: 2, window: 60_000)
        try await withWorld(backend, limits: limits) { w in
            var last: Reply?
            for i in 0..<3 { last = try await w.get("/v1/reports/rpt_probe\(i)", as: "usa-analyst") }
            let refused = try #require(last)
            #expect(refused.code == 429 && refused.problemType == "member-throttled" && refused.headers[.retryAfter] == "60")
            // The gate's refusal over TAXII is a TAXII error message, with the same status and Retry-After.
            let taxii = try await w.send(.get, "/taxii2/", as: "usa-analyst", headers: [.accept: TAXIIMedia.taxii])
            #expect(taxii.code == 429 && taxii.contentType == TAXIIMedia.taxii && taxii.headers[.retryAfter] == "60")
            #expect(taxii.string("http_status") == "429" && taxii.string("title") == "Too many requests")
        }
    }

    @Test func aDenialThroughAServiceIsAuditedWithItsReasonsAndAnswered() async throws {
        let service = try await TearlineService.open(.memory)
        _ = try await service.members.createOrganization(CreateOrganizationRequest(id: "USA", name: "United States", kind: "state"), by: .nodeAdmin)
        let created = try await service.members.createMember(
            in: "USA", CreateMemberRequest(name: "analyst", roles: ["analyst"], clearance: "SECRET", topics: ["iran"]), by: .nodeAdmin)
        let analyst = try #require(try await service.members.authenticate(token: created.token))
        let error = await #expect(throws: ServiceError.self) {
            _ = try await service.audit.alerts(by: analyst, openOnly: true, limit: 10)
        }
        #expect(error == ServiceError.forbidden("Only security members read alerts.", reasons: .roleRequired))
        #expect(error?.kind == .denied && error?.httpStatus == 403)
        let trail = try await service.audit.audit(AuditQuery(action: AuditAction.alertRead.rawValue), by: .nodeAdmin)
        let row = try #require(trail.items.last)
        #expect(row.decision == "deny" && row.reasons == ["role-required"])
        #expect(row.actor == created.member.id && row.organization == "USA" && row.object == nil)
    }

    @Test func theRefusalHelperWritesTheRowAndGivesTheAnswer() async throws {
        let limits = ThrottleLimits(distinctReads: 300, searchResults: 3000, exports: 50, deniedReads: 2, window: 60_000)
        let service = try await TearlineService.open(.memory, limits: limits)
        _ = try await service.members.createOrganization(CreateOrganizationRequest(id: "USA", name: "United States", kind: "state"), by: .nodeAdmin)
        let created = try await service.members.createMember(
            in: "USA", CreateMemberRequest(name: "analyst", roles: ["analyst"], clearance: "SECRET", topics: ["iran"]), by: .nodeAdmin)
        let analyst = try #require(try await service.members.authenticate(token: created.token))
        let member = try #require(analyst.member)
        let area = service.reports
        let answer = ServiceError.notFound("report")
        // One refusal, with everything the row can carry.
        let first: Result<Int, ServiceError> = try await service.store.write { s in
            try area.refuse(s, analyst, at: 1_000, .reportRead, object: "rpt_1", concerns: "GBR", reasons: [.noAccessPath, .needToKnow],
                            detail: "why=test", countingAgainst: member, answer: answer)
        }
        #expect(first == .failure(answer))
        let rows = try await service.audit.audit(AuditQuery(action: AuditAction.reportRead.rawValue), by: .nodeAdmin).items
        let row = try #require(rows.last)
        #expect(rows.count == 1)
        #expect(row.decision == "deny" && Set(row.reasons) == Set(DenialReasons([.noAccessPath, .needToKnow]).codes))
        #expect(row.actor == member.id && row.organization == "USA" && row.concerns == "GBR" && row.object == "rpt_1" && row.detail == "why=test")
        // Counted against the member: the refusal that crosses the limit is answered as throttled instead.
        let second = try await service.store.write { s in
            try area.refusal(s, analyst, at: 1_001, .reportRead, object: "rpt_2", reasons: .noAccessPath, countingAgainst: member, answer: answer)
        }
        #expect(second == answer)
        let third = try await service.store.write { s in
            try area.refusal(s, analyst, at: 1_002, .reportRead, object: "rpt_3", reasons: .noAccessPath, countingAgainst: member, answer: answer)
        }
        #expect(third.kind == .throttled && third.retryAfter == 60 && third.throttle?.member == member.id && third.throttle?.kind == .deniedReads)
        let after = try await service.audit.audit(AuditQuery(action: AuditAction.reportRead.rawValue), by: .nodeAdmin).items
        #expect(after.count == 4)
        #expect(after.last?.reasons == ["member-throttled"] && after.last?.detail == "limit=denied-reads")
    }
}
