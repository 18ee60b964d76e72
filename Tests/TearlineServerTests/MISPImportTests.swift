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

    /// `count` events, each with an address; those in `tooLong` also carry an object whose comment is past a portion's size.
    static func manyEvents(_ count: Int, tooLong: Set<Int> = []) -> String {
        let long = String(repeating: "x", count: 70_000)
        return "[" + (0..<count).map { i in
            let object = tooLong.contains(i) ? #", "Object": [{"name": "file", "comment": "\#(long)", "Attribute": []}]"# : ""
            return #"{"Event": {"uuid": "5b1f0a5e-0000-4000-8000-\#(String(format: "%012d", i))", "info": "Event \#(i)", "distribution": "3", "#
                + #""Attribute": [{"type": "ip-dst", "category": "Network activity", "value": "198.51.\#(i / 256).\#(i % 256)"}]\#(object)}}"#
        }.joined(separator: ", ") + "]"
    }

    @Test(arguments: TestBackend.allCases) func aLargeImportIsBuiltInParallelAndWrittenInTheEventsOrder(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let result = try await w.service.reports.importMISP(try parsed(Self.manyEvents(300)), MISPImportInput(organization: "USA", topics: ["counter-terrorism"]),
                                                                by: .nodeAdmin)
            #expect(result.summary.events == 300 && result.summary.reports == 300)
            let titles = try await w.service.store.read { s in
                try s.auditEvents(AuditQuery(action: "report.create", limit: 1000)).compactMap { e in try e.object.flatMap { try s.report(id: $0)?.report.title } }
            }
            #expect(titles == (0..<300).map { "Event \($0)" }, "one report per event, audited in the events' order")
            // Each is signed by the organisation, whichever core built it.
            let ids = try await w.get("/v1/reports?limit=200", as: "usa-analyst").objects("items").compactMap { $0["id"] as? String }.prefix(20)
            for id in ids { #expect(try await w.get("/v1/reports/\(id)/verify", as: "usa-analyst").object["valid"] as? Bool == true) }
        }
    }

    @Test(arguments: TestBackend.allCases) func aRefusedEventLateInALargeImportWritesNothingAndTheFirstIsNamed(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let before = try await w.service.store.read { s in try s.auditEvents(AuditQuery(action: "report.create", limit: 10_000)).count }
            do {
                _ = try await w.service.reports.importMISP(try parsed(Self.manyEvents(300, tooLong: [250, 40])), MISPImportInput(organization: "USA"), by: .nodeAdmin)
                Issue.record("an event marked above the import's classification was imported")
            } catch let error as ServiceError {
                #expect(error.detail.contains("000000000040"), "the first refused event in the file is named: \(error.detail)")
            }
            let after = try await w.service.store.read { s in try s.auditEvents(AuditQuery(action: "report.create", limit: 10_000)).count }
            #expect(after == before, "nothing was written")
        }
    }
}
