import Foundation
import HTTPTypes
import Testing

/// A caller who may not know an organisation exists (not its own, no partnership with it) gets
/// the same answer, byte for byte, for it as for an id no organisation has.
@Suite struct OrganizationEnumerationTests {
    /// FRA exists but has no partnership with anyone; ZZZ does not exist.
    static let hidden = "FRA", missing = "ZZZ"

    static func expectAlike(_ a: Reply, _ b: Reply, ignoring keys: Set<String> = [], _ what: String) {
        #expect(a.code == b.code, "\(what): \(a) against \(b)")
        if keys.isEmpty {
            #expect(a.body == b.body, "\(what): \(a.text) against \(b.text)")
        } else {
            var x = a.object, y = b.object
            for key in keys { x[key] = nil; y[key] = nil }
            #expect(NSDictionary(dictionary: x).isEqual(to: y), "\(what): \(a.text) against \(b.text)")
        }
    }

    @Test(arguments: TestBackend.allCases) func creatingAMemberInAnOrganisationOneMayNotKnow(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let body: [String: Any] = ["name": "x", "roles": ["analyst"], "clearance": "SECRET"]
            let hidden = try await w.post("/v1/organizations/\(Self.hidden)/members", as: "usa-senior", json: body)
            let missing = try await w.post("/v1/organizations/\(Self.missing)/members", as: "usa-senior", json: body)
            #expect(hidden.code == 404)
            Self.expectAlike(hidden, missing, "POST /v1/organizations/{id}/members")
            #expect(try await w.get("/v1/organizations/FRA/members", as: "admin").array.count == 1, "nothing was created")
            // A partner is known to exist: there, the answer is the plain refusal.
            #expect(try await w.post("/v1/organizations/GBR/members", as: "usa-senior", json: body).code == 403)
        }
    }

    @Test(arguments: TestBackend.allCases) func releasingToAnOrganisationOneMayNotKnow(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(portions: [portion("(C//REL TO USA, FRA, ZZZ)", "x")]))
            let hidden = try await w.release(report, to: Self.hidden)
            let missing = try await w.release(report, to: Self.missing)
            #expect(hidden.code == 400)
            Self.expectAlike(hidden, missing, "POST /v1/reports/{id}/releases")
            #expect(try await w.get("/v1/reports/\(report)/releases", as: "usa-releaser").array.isEmpty)
        }
    }

    @Test(arguments: TestBackend.allCases) func forwardingToAnOrganisationOneMayNotKnow(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(portions: [portion("(C//REL TO USA, GBR)", "x")]))
            let release = try await w.releaseId(report, to: "GBR")
            let hidden = try await w.post("/v1/releases/\(release)/forward", as: "gbr-analyst-secret", json: ["recipient": Self.hidden])
            let missing = try await w.post("/v1/releases/\(release)/forward", as: "gbr-analyst-secret", json: ["recipient": Self.missing])
            // Both are third-party-rule refusals that open a consent request for the originator to judge;
            // only the fresh consent request id differs.
            #expect(hidden.code == 403)
            #expect(hidden.problemType == "third-party-rule")
            Self.expectAlike(hidden, missing, ignoring: ["consentRequestId"], "POST /v1/releases/{id}/forward")
            #expect(hidden.string("consentRequestId") != nil && missing.string("consentRequestId") != nil)
        }
    }

    @Test(arguments: TestBackend.allCases) func discoverableToAnOrganisationOneMayNotKnow(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(portions: [portion("(C)", "x")]))
            func set(_ org: String) async throws -> Reply {
                try await w.send(.put, "/v1/reports/\(report)/discoverability", as: "usa-releaser",
                                 json: ["discoverability": "partners", "discoverableTo": ["GBR", org]])
            }
            let hidden = try await set(Self.hidden)
            let missing = try await set(Self.missing)
            #expect(hidden.code == 400)
            Self.expectAlike(hidden, missing, "PUT /v1/reports/{id}/discoverability")
            #expect(try await set("DEU").code == 200, "a partner may be named")
        }
    }

    @Test(arguments: TestBackend.allCases) func secondedToAnOrganisationOneMayNotKnow(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            func create(_ org: String) async throws -> Reply {
                try await w.post("/v1/organizations/USA/members", as: "usa-senior",
                                 json: ["name": "liaison", "roles": ["liaison"], "clearance": "SECRET", "secondedTo": org])
            }
            let before = try await w.get("/v1/organizations/USA/members", as: "admin").array.count
            let hidden = try await create(Self.hidden)
            let missing = try await create(Self.missing)
            #expect(hidden.code == 400)
            Self.expectAlike(hidden, missing, "secondedTo")
            #expect(try await w.get("/v1/organizations/USA/members", as: "admin").array.count == before, "nothing was created")
            #expect(try await create("DEU").code == 201, "a partner may be named")
        }
    }
}

extension OrganizationEnumerationTests {
    /// The other routes that take an organisation id answer alike too.
    @Test(arguments: TestBackend.allCases) func otherRoutesNamingAnOrganisationAnswerAlike(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let routes: [(HTTPRequest.Method, String, [String: Any]?)] = [
                (.get, "/v1/organizations/{X}", nil),
                (.get, "/v1/organizations/{X}/members", nil),
                (.get, "/v1/organizations/{X}/track-record", nil),
                (.get, "/v1/partners/{X}/series", nil),
                (.get, "/v1/partners/{X}/suggestions", nil),
                (.get, "/v1/receipts/{X}", nil),
                (.put, "/v1/organizations/{X}/interests", ["interests": ["finance"]]),
                (.put, "/v1/organizations/{X}/breach-policy", ["response": "automatic"]),
            ]
            for (method, template, body) in routes {
                for who in ["usa-senior", "usa-security", "usa-analyst"] {
                    let hidden = try await w.send(method, template.replacingOccurrences(of: "{X}", with: Self.hidden), as: who, json: body)
                    let missing = try await w.send(method, template.replacingOccurrences(of: "{X}", with: Self.missing), as: who, json: body)
                    #expect(hidden.code >= 400, "\(method) \(template) as \(who): \(hidden)")
                    Self.expectAlike(hidden, missing, "\(method) \(template) as \(who)")
                }
            }
        }
    }
}
