import Foundation
import TearlineCore
import TearlineStore

extension Demo {
    mutating func storyThree() async throws {
        say("Story 3 — after 9/11, bargaining: JOR, rich in human intelligence, trades with USA.")
        _ = try await service.members.createOrganization(CreateOrganizationRequest(id: "JOR", name: "Jordan", kind: "state"), by: admin)
        let created = try await service.members.createMember(
            in: "JOR", CreateMemberRequest(name: "jor-releaser", roles: ["analyst", "releaser", "admin"], clearance: "TOP SECRET", topics: ["counter-terrorism"]),
            by: admin)
        guard let jor = try await service.members.authenticate(token: created.token) else { throw ServiceError.unauthorized() }
        members["jor-releaser"] = jor
        _ = try await service.trust.createPartnership(CreatePartnershipRequest(organizations: ["JOR", "USA"], kind: "peer", trustLevel: "high"), by: admin)
        _ = try await service.trust.setInterests(organization: "USA", InterestsInput(topics: ["counter-terrorism"]), by: who("usa-senior"))
        let rfi = try await service.trust.requestInformation(
            RFIInput(to: "JOR", question: "Who finances the cell in Zarqa?", terms: "Share the intercept summaries for the region"), by: who("usa-analyst"))
        say("  USA asks JOR for information, offering terms in return (\(rfi.terms.count) term).")
        let report = try await service.reports.createReport(CreateReportRequest(
            title: "Financier of the Zarqa cell", titleMarking: "(U)", sourceGrade: "A2", topics: ["counter-terrorism"],
            portions: [PortionInput(marking: "(S//REL TO JOR, USA)", text: "A human source names the financier and his courier."),
                       PortionInput(marking: "(S)", text: "The source is a relative of the courier.", sourcesAndMethods: true)]),
            by: jor)
        let suggested = try await service.trust.suggestions(partner: "USA", by: jor)
        expect(suggested.contains { $0.reportId == report.id && $0.portions == [0] },
               "JOR is shown the report as a suggestion for USA (USA declared the topic), with only the portion that may go")
        let release = try await service.releases.release(reportId: report.id, CreateReleaseRequest(recipient: "USA", terms: "Support at the IMF board"), by: jor)
        _ = try await service.trust.answerInformationRequest(id: rfi.id, RFIAnswerInput(releaseId: release.id), by: jor)
        say("  JOR releases it with terms attached (\"\(release.terms?.text ?? "")\") and answers the request with it.")
        let table = try await service.trust.partners(of: "JOR", by: admin)
        guard let usa = table.first(where: { $0.partner == "USA" }) else { expect(false, "JOR's partners table lists USA"); return }
        say(String(format: "  JOR's ledger with USA: given %d (value %.1f), received %d, balance %+.1f; terms owed by USA: %d.",
                   usa.given.releases, usa.given.value, usa.received.releases, usa.balance, usa.openTermsOwedToUs))
        expect(usa.given.releases == 1 && usa.balance > 0, "the ledger shows JOR gave more than it received")
        expect(usa.openTermsOwedToUs == 2, "USA owes JOR two concessions: the one asked with the release and the one it offered")
        guard let asked = release.terms else { expect(false, "the release carries its terms"); return }
        _ = try await service.trust.updateTerm(id: asked.id, TermUpdateInput(status: "met"), by: jor)
        let after = try await service.trust.partners(of: "JOR", by: admin).first { $0.partner == "USA" }
        expect(after?.openTermsOwedToUs == 1, "JOR marks the IMF support met; one term stays open")
        say("")
    }
}
