import Foundation
import TearlineCore
import TearlineStore

extension Demo {
    mutating func storyEight() async throws {
        say("Story 8 — judging accuracy: GBR marks a USA release refuted.")
        let report = try await service.reports.createReport(CreateReportRequest(
            title: "Shipment forecast", titleMarking: "(U)", sourceGrade: "B2", topics: ["counter-terrorism"],
            portions: [PortionInput(marking: "(S//REL TO USA, GBR)", text: "A shipment leaves the northern port on Tuesday.")]), by: who("usa-releaser"))
        let release = try await service.releases.release(reportId: report.id, CreateReleaseRequest(recipient: "GBR"), by: who("usa-releaser"))
        let before = try await service.trust.trackRecord(of: "USA", by: who("gbr-analyst-secret")).overall
        _ = try await service.trust.giveFeedback(releaseId: release.id, FeedbackInput(verdict: "refuted", note: "Nothing left the port."), by: who("gbr-analyst-secret"))
        let after = try await service.trust.trackRecord(of: "USA", by: who("gbr-analyst-secret")).overall
        say(String(format: "  USA's track record: %.2f before, %.2f after (95%% interval %.2f–%.2f, %d judged).",
                   before.mean, after.mean, after.low, after.high, after.judged))
        expect(after.mean < before.mean && after.refuted == 1, "USA's track record drops")
        let view = try await service.releases.viewRelease(id: release.id, by: who("gbr-analyst-secret"))
        expect(view.trackRecord == after && view.sourceGrade == "B2", "GBR sees the track record beside the source grade")
        let received = try await service.trust.feedbackReceived(by: who("usa-releaser"), limit: 10)
        expect(received.first?.verdict == "refuted" && received.first?.member == nil, "USA sees the feedback it received")
        say("")
    }
}
