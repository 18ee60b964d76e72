import Foundation
import Hummingbird
import TearlineCore
import TearlineServer
import Testing

/// Every body has one reading: a key given twice is refused, by name and path, wherever the
/// server reads JSON (API, TAXII, federation, imports), and nothing is written.
@Suite struct StrictBodyTests {
    static let validPortions = #"[{"marking":"(S//REL TO USA, GBR)","text":"Secret portion."},{"marking":"(U)","text":"Open portion."}]"#

    static func report(portions: String = validPortions) -> String {
        #"{"title":"Test report","titleMarking":"(U)","sourceGrade":"B2","topics":["counter-terrorism"],"portions":"# + portions + "}"
    }

    @Test(arguments: TestBackend.allCases) func aDuplicateMarkingIsRefusedByPath(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            #expect(try await w.send(.post, "/v1/reports", as: "usa-releaser", raw: Self.report()).code == 201, "the unedited body is valid")
            let reply = try await w.send(.post, "/v1/reports", as: "usa-releaser",
                                         raw: Self.report(portions: #"[{"marking":"(U)","marking":"(S//NF)","text":"x"}]"#))
            BadInputTests.expectProblem(reply, 400, "invalid-request", detailContains: "Duplicate field \"portions[0].marking\"")
            let title = try await w.send(.post, "/v1/reports", as: "usa-releaser",
                                         raw: Self.report().replacingOccurrences(of: #""titleMarking":"(U)""#, with: #""titleMarking":"(U)","titleMarking":"(S)""#))
            BadInputTests.expectProblem(title, 400, "invalid-request", detailContains: "Duplicate field \"titleMarking\"")
            #expect(try await w.get("/v1/reports", as: "usa-senior").objects("items").count == 1)
        }
    }

    @Test(arguments: TestBackend.allCases) func aDuplicateSourcesAndMethodsFlagIsRefused(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let portions = #"[{"marking":"(U)","text":"a"},{"marking":"(U)","text":"b","sourcesAndMethods":true,"sourcesAndMethods":false}]"#
            let reply = try await w.send(.post, "/v1/reports", as: "usa-releaser", raw: Self.report(portions: portions))
            BadInputTests.expectProblem(reply, 400, "invalid-request", detailContains: "Duplicate field \"portions[1].sourcesAndMethods\"")
            try await BadInputTests.expectNoReports(w)
        }
    }

    @Test(arguments: TestBackend.allCases) func aDuplicateReleaseRecipientIsRefused(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let reportId = try await w.createReport(reportBody(portions: [portion("(S//REL TO USA, GBR)", "x")]))
            let reply = try await w.send(.post, "/v1/reports/\(reportId)/releases", as: "usa-releaser", raw: #"{"recipient":"GBR","recipient":"RUS"}"#)
            BadInputTests.expectProblem(reply, 400, "invalid-request", detailContains: "Duplicate field \"recipient\"")
            #expect(try await w.get("/v1/reports/\(reportId)/releases", as: "usa-releaser").objects("items").isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases) func aDuplicateMemberStatusIsRefused(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let reply = try await w.send(.patch, "/v1/members/\(w.id("usa-analyst"))", as: "usa-senior", raw: #"{"status":"active","status":"suspended"}"#)
            BadInputTests.expectProblem(reply, 400, "invalid-request", detailContains: "Duplicate field \"status\"")
            // Still active: the analyst reads the report list.
            #expect(try await w.get("/v1/reports", as: "usa-analyst").code == 200)
        }
    }

    @Test(arguments: TestBackend.allCases) func aDuplicateOrganisationIdIsRefused(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let reply = try await w.send(.post, "/v1/organizations", as: "admin", raw: #"{"id":"NLD","name":"Netherlands","kind":"state","id":"BEL"}"#)
            BadInputTests.expectProblem(reply, 400, "invalid-request", detailContains: "Duplicate field \"id\"")
            #expect(try await w.get("/v1/organizations/NLD", as: "admin").code == 404)
            #expect(try await w.get("/v1/organizations/BEL", as: "admin").code == 404)
        }
    }

    @Test(arguments: TestBackend.allCases) func aDuplicateAccessRequestHandleIsRefused(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let reply = try await w.send(.post, "/v1/access-requests", as: "gbr-analyst-secret",
                                         raw: #"{"handle":"ptr_a","justification":"need","handle":"ptr_b"}"#)
            BadInputTests.expectProblem(reply, 400, "invalid-request", detailContains: "Duplicate field \"handle\"")
        }
    }

    @Test(arguments: TestBackend.allCases) func aTAXIIEnvelopeWithADuplicateKeyIsRefused(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createCommunity(readers: ["USA"], writers: ["USA"])
            let object = String(decoding: try JSONSerialization.data(withJSONObject: indicator(1, tlp: "GREEN"), options: [.sortedKeys]), as: UTF8.self)
            let doubled = object.replacingOccurrences(of: #""name":"indicator 1""#, with: #""name":"indicator 1","name":"other""#)
            let reply = try await w.send(.post, "/tearline/collections/\(id)/objects/", as: "usa-analyst", raw: #"{"objects":["# + doubled + "]}",
                                         headers: [.accept: taxiiType], contentType: taxiiType)
            #expect(reply.code == 400, "\(reply)")
            #expect(reply.text.contains(#"Duplicate field \"objects[0].name\""#), "\(reply)")
            let listed = try await w.taxii("/tearline/collections/\(id)/objects/", as: "usa-analyst")
            #expect(listed.objects("objects").isEmpty)
        }
    }

    @Test func aFederationExchangeWithADuplicateKeyIsRefusedOverMutualTLS() async throws {
        try await withTwoNodes { nodes in
            let client = try nodes.clientOfB()
            // GBR's node may speak for GBR; a second `organization` must not make it speak for FRA, or for anyone.
            let doubled = #"{"organization":"GBR","receipts":[],"feedback":[],"consentRequests":[],"refused":[],"organization":"FRA"}"#
            let reply = try await client.post(nodes.urlA + "/federation/v1/exchange", headers: ["Content-Type": "application/json"],
                                              body: Array(doubled.utf8))
            #expect(reply.status == 400)
            #expect(String(decoding: reply.body, as: UTF8.self).contains(#"Duplicate field \"organization\""#))
            let valid = #"{"organization":"GBR","receipts":[],"feedback":[],"consentRequests":[],"refused":[]}"#
            #expect(try await client.post(nodes.urlA + "/federation/v1/exchange", headers: ["Content-Type": "application/json"],
                                          body: Array(valid.utf8)).status == 200, "the same body without the duplicate is served")
        }
    }

    @Test func federationBodiesAreReadTheSameWay() throws {
        let request = #"{"organization":"GBR","receipts":[],"feedback":[],"consentRequests":[],"refused":[{"release":"rel_a","reason":"x","release":"rel_b"}]}"#
        #expect(throws: StrictJSONError(.duplicateKey, path: "refused[0].release", detail: "release")) {
            try StrictJSONDecoder.decode(FederationExchangeRequest.self, from: Array(request.utf8))
        }
        let unknown = #"{"organization":"GBR","receipts":[],"feedback":[],"consentRequests":[],"refused":[],"extra":1}"#
        #expect(throws: StrictJSONError(.unknownKey, path: "extra")) {
            try StrictJSONDecoder.decode(FederationExchangeRequest.self, from: Array(unknown.utf8))
        }
        let reply = #"{"partnerships":[{"originator":"USA","status":"active","trust":"high","status":"suspended"}],"revoked":[],"consentDecisions":[]}"#
        #expect(throws: StrictJSONError(.duplicateKey, path: "partnerships[0].status", detail: "status")) {
            try StrictJSONDecoder.decode(FederationExchangeReply.self, from: Array(reply.utf8))
        }
    }

    @Test(arguments: TestBackend.allCases) func anImportFileWithADuplicateKeyIsRefusedWithAClearError(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let object = String(decoding: try JSONSerialization.data(withJSONObject: indicator(1, tlp: "GREEN"), options: [.sortedKeys]), as: UTF8.self)
            let bundle = #"{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000001","objects":["#
                + object.replacingOccurrences(of: #""type":"indicator""#, with: #""type":"indicator","type":"malware""#) + "]}"
            let error = await #expect(throws: ServiceError.self) {
                try await w.service.taxii.importSTIX(Array(bundle.utf8), organization: "USA", collection: nil, by: .nodeAdmin)
            }
            #expect(error?.kind == .invalidRequest)
            #expect(error?.detail == "Duplicate field \"objects[0].type\".")
        }
    }
}
