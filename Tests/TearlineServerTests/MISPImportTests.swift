import Foundation
import TearlineStore
import TearlineCore
import TearlineServer
import Testing

@Suite("MISP import: events become signed reports, all or nothing")
struct MISPImportTests {
    static let events = #"""
        [{"Event": {"uuid": "5b1f0a5e-0000-4000-8000-000000000001", "info": "Heron C2", "distribution": "3",
          "Tag": [{"name": "tlp:green"}], "Attribute": [{"type": "ip-dst", "category": "Network activity", "value": "203.0.113.10"}]}},
         {"Event": {"uuid": "5b1f0a5e-0000-4000-8000-000000000002", "info": "Inside only", "distribution": "0",
          "Attribute": [{"type": "domain", "category": "Network activity", "value": "inside.example"}]}}]
        """#

    func parsed(_ text: String) throws -> [MISPEvent] { try MISPEvent.events(in: try JSONValue.parse(Array(text.utf8))) }

    @Test(arguments: TestBackend.allCases) func importedEventsAreReportsOfTheOrganisation(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let result = try await w.service.reports.importMISP(try parsed(Self.events), MISPImportInput(organization: "USA", topics: ["counter-terrorism"]),
                                                                by: .nodeAdmin)
            #expect(result.summary.events == 2 && result.summary.reports == 2)
            let list = try await w.get("/v1/reports?limit=200", as: "usa-analyst").objects("items")
            let titles = list.compactMap { $0["title"] as? String }
            #expect(titles.contains("Heron C2") && titles.contains("Inside only"))
            let heron = try #require(list.first { $0["title"] as? String == "Heron C2" }?["id"] as? String)
            let doc = try await w.get("/v1/reports/\(heron)", as: "usa-analyst")
            #expect(doc.code == 200 && doc.text.contains("203.0.113.10"))
            // Signed by the organisation like any report.
            #expect(try await w.get("/v1/reports/\(heron)/verify", as: "usa-analyst").code == 200)
            // Written by a member of its own, which cannot sign in.
            let authorId = result.author
            let author = try #require(try await w.service.store.read { s in try s.member(id: authorId) })
            #expect(author.status == .suspended && author.organization == "USA" && author.name == "MISP import")
            // Other organisations hold no copy.
            #expect(try await w.get("/v1/reports/\(heron)", as: "gbr-analyst-secret").code == 404)
        }
    }

    @Test(arguments: TestBackend.allCases) func aBadImportWritesNothing(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let before = try await w.get("/v1/reports?limit=200", as: "usa-senior").objects("items").count
            // Not the node administrator.
            let member = try #require(try await w.service.members.authenticate(token: w.token("usa-senior")))
            await #expect(throws: ServiceError.self) {
                _ = try await w.service.reports.importMISP(try parsed(Self.events), MISPImportInput(organization: "USA"), by: member)
            }
            // An unknown organisation, community partner, policy, level or grade.
            for input in [MISPImportInput(organization: "NOWHERE"), MISPImportInput(organization: "USA", community: ["NOWHERE"]),
                          MISPImportInput(organization: "USA", distribution: "loose"), MISPImportInput(organization: "USA", defaultTLP: "PURPLE"),
                          MISPImportInput(organization: "USA", missingDistribution: 7), MISPImportInput(organization: "USA", sourceGrade: "Z9"),
                          MISPImportInput(organization: "USA", topics: [])] {
                await #expect(throws: ServiceError.self) { _ = try await w.service.reports.importMISP(try parsed(Self.events), input, by: .nodeAdmin) }
            }
            // A portion of one event that cannot be written (too long a title is clipped; an attribute past the portion size is refused).
            let long = String(repeating: "x", count: 70_000)
            let bad = #"[{"Event": {"info": "ok", "distribution": 3, "Attribute": [{"type": "text", "value": "fine"}]}}, "# +
                #"{"Event": {"info": "bad", "distribution": 3, "Attribute": [{"type": "text", "value": "\#(long)"}]}}]"#
            await #expect(throws: ServiceError.self) { _ = try await w.service.reports.importMISP(try parsed(bad), MISPImportInput(organization: "USA"), by: .nodeAdmin) }
            // An object whose comment alone is past a portion's size: refused as the API would refuse the portion.
            let longComment = #"[{"Event": {"info": "ok", "distribution": 3, "Object": [{"name": "file", "comment": "\#(long)", "Attribute": []}]}}]"#
            await #expect(throws: ServiceError.self) {
                _ = try await w.service.reports.importMISP(try parsed(longComment), MISPImportInput(organization: "USA"), by: .nodeAdmin)
            }
            #expect(try await w.get("/v1/reports?limit=200", as: "usa-senior").objects("items").count == before)
        }
    }
}
