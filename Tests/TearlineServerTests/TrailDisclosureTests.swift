import Foundation
import Hummingbird
import Testing

/// Each organisation's trail shows only what concerns it: a recipient does not learn from the
/// audit of a release made to it how much the originator held back.
@Suite struct TrailDisclosureTests {
    @Test(arguments: TestBackend.allCases) func aRecipientsTrailDoesNotShowWhatWasWithheldFromIt(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(portions: [
                portion("(S//REL TO USA, GBR)", "Goes."), portion("(S//NF)", "Stays."), portion("(S//REL TO USA)", "Stays too."),
            ]))
            let release = try await w.releaseId(report, to: "GBR")
            let gbr = try await w.audit(as: "gbr-security", "action=release.create")
            let seen = try #require(gbr.first { $0["object"] as? String == release })
            #expect(seen["detail"] as? String == "recipient=GBR portions=1")
            #expect(!gbr.contains { ($0["detail"] as? String)?.contains("withheld") == true })
            let usa = try await w.audit(as: "usa-security", "action=release.create")
            #expect((usa.first { $0["object"] as? String == release }?["detail"] as? String)?.contains("withheld=2") == true,
                    "the originator's own trail keeps it")
        }
    }
}
