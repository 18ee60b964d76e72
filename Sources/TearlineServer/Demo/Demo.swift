import Foundation
import TearlineCore
import TearlineStore

/// `tearline demo`: builds the world of stories 1 to 8 of the design in a fresh database and
/// plays them through the service layer that the HTTP API uses, checking every outcome.
public struct Demo {
    let service: TearlineService
    let admin = Caller.nodeAdmin
    var lines: [String] = []
    var failures: [String] = []
    var members: [String: Caller] = [:]
    var memberIds: [String: String] = [:]

    public init(service: TearlineService) {
        self.service = service
    }

    /// Plays the stories; returns the walk-through and the outcomes that differed from the story.
    public mutating func run() async throws -> (lines: [String], failures: [String]) {
        try await buildWorld()
        try await storyOne()
        try await storyTwo()
        try await storyThree()
        try await storyFour()
        try await storyFive()
        try await storySix()
        try await storySeven()
        try await storyEight()
        return (lines, failures)
    }

    mutating func say(_ line: String) { lines.append(line) }

    mutating func expect(_ condition: Bool, _ what: String) {
        say("  \(condition ? "✓" : "✗") \(what)")
        if !condition { failures.append(what) }
    }

    mutating func buildWorld() async throws {
        say("Building the world: USA, GBR, DEU, ISR, RUS.")
        for (id, name) in [("USA", "United States"), ("GBR", "United Kingdom"), ("DEU", "West Germany"), ("ISR", "Israel"), ("RUS", "Russia")] {
            _ = try await service.members.createOrganization(CreateOrganizationRequest(id: id, name: name, kind: "state"), by: admin)
        }
        let people: [(String, String, [String], String, [String], [String], String?)] = [
            ("usa-releaser", "USA", ["analyst", "releaser"], "TOP SECRET", ["HCS"], ["counter-terrorism", "soviet-union", "iran"], nil),
            ("usa-senior", "USA", ["analyst", "releaser", "admin"], "TOP SECRET", ["HCS"], ["counter-terrorism", "soviet-union", "iran"], nil),
            ("usa-security", "USA", ["security"], "TOP SECRET", [], ["counter-terrorism"], nil),
            ("usa-liaison", "USA", ["liaison"], "SECRET", [], ["soviet-union"], "DEU"),
            ("usa-analyst", "USA", ["analyst"], "SECRET", [], ["counter-terrorism"], nil),
            ("gbr-security", "GBR", ["security"], "SECRET", [], ["counter-terrorism"], nil),
            ("gbr-analyst-secret", "GBR", ["analyst"], "SECRET", [], ["counter-terrorism"], nil),
            ("gbr-analyst-confidential", "GBR", ["analyst"], "CONFIDENTIAL", [], ["counter-terrorism"], nil),
            ("deu-analyst", "DEU", ["analyst"], "SECRET", [], ["soviet-union"], nil),
            ("deu-admin", "DEU", ["admin"], "SECRET", [], ["soviet-union"], nil),
            ("isr-releaser", "ISR", ["analyst", "releaser", "admin"], "TOP SECRET", [], ["iran"], nil),
            ("isr-security", "ISR", ["security"], "TOP SECRET", [], ["iran"], nil),
            ("rus-analyst", "RUS", ["analyst"], "TOP SECRET", [], ["iran"], nil),
        ]
        for (name, org, roles, clearance, compartments, topics, seconded) in people {
            let created = try await service.members.createMember(
                in: org, CreateMemberRequest(name: name, roles: roles, clearance: clearance, compartments: compartments, topics: topics, secondedTo: seconded),
                by: admin)
            guard let caller = try await service.members.authenticate(token: created.token) else { throw ServiceError.unauthorized() }
            members[name] = caller
            memberIds[name] = created.member.id
        }
        _ = try await service.trust.createPartnership(CreatePartnershipRequest(organizations: ["USA", "GBR"], kind: "peer", trustLevel: "high"), by: admin)
        _ = try await service.trust.createPartnership(
            CreatePartnershipRequest(organizations: ["USA", "DEU"], kind: "hierarchical", dominant: "USA", trustLevel: "low"), by: admin)
        _ = try await service.trust.createPartnership(CreatePartnershipRequest(organizations: ["ISR", "USA"], kind: "peer", trustLevel: "high"), by: admin)
        say("  partnerships: USA–GBR peer (trust high, up to SECRET); USA–DEU hierarchical, USA dominant (trust low, up to CONFIDENTIAL); ISR–USA peer (trust high)")
        say("")
    }

    func who(_ name: String) -> Caller { members[name]! }

    /// Runs `body`, returning the problem it threw, if any.
    func problem<T>(_ body: () async throws -> T) async -> ServiceError? {
        do { _ = try await body(); return nil } catch let p as ServiceError { return p } catch { return .failed("error", detail: "\(error)") }
    }

    mutating func storyOne() async throws {
        say("Story 1 — USA and GBR, peers with high trust.")
        let report = try await service.reports.createReport(CreateReportRequest(
            title: "Courier network in the Gulf", titleMarking: "(U)", sourceGrade: "B2", topics: ["counter-terrorism"],
            portions: [
                PortionInput(marking: "(S//REL TO USA, GBR)", text: "The courier network moves funds through three exchange houses."),
                PortionInput(marking: "(C//REL TO USA, GBR)", text: "Two of the exchange houses share a director."),
                PortionInput(marking: "(U)", text: "The network has been active since 2019."),
                PortionInput(marking: "(S//NF)", text: "Reporting comes from a recruited employee of one exchange house.", sourcesAndMethods: true),
            ]), by: who("usa-releaser"))
        say("  USA writes \(report.id): banner \(report.banner), 4 portions (one is sources-and-methods).")
        let release = try await service.releases.release(reportId: report.id, CreateReleaseRequest(recipient: "GBR"), by: who("usa-releaser"))
        say("  USA releases it to GBR: banner \(release.banner), portions \(release.portions), withheld \(release.withheld.map { "\($0.index) (\($0.reasons.joined(separator: ", ")))" }.joined(separator: "; ")).")
        expect(release.portions == [0, 1, 2], "the release to GBR carries portions 0, 1, 2")
        expect(release.withheld.first?.reasons.contains("sources-and-methods") == true, "the sources-and-methods portion stays home")
        let secret = try await service.releases.viewRelease(id: release.id, by: who("gbr-analyst-secret"))
        say("  A GBR analyst cleared SECRET reads \(secret.portions.count) portions under \(secret.banner).")
        expect(secret.portions.map(\.index) == [0, 1, 2] && secret.withheldPortions == 0, "the cleared GBR analyst reads all three released portions")
        let confidential = try await service.releases.viewRelease(id: release.id, by: who("gbr-analyst-confidential"))
        say("  A GBR analyst cleared CONFIDENTIAL reads \(confidential.portions.map(\.index)) under \(confidential.banner); \(confidential.withheldPortions) withheld.")
        expect(confidential.portions.map(\.index) == [1, 2] && confidential.withheldPortions == 1, "the CONFIDENTIAL analyst sees only the portions at their level")
        expect(!confidential.banner.hasPrefix("SECRET"), "the lower view's banner is not SECRET")
        let verification = try await service.releases.verifyRelease(id: release.id, by: who("gbr-analyst-secret"))
        expect(verification.valid, "GBR verifies USA's Ed25519 signature on the release")
        say("")
    }

    mutating func storyTwo() async throws {
        say("Story 2 — USA and DEU, early Cold War: hierarchical, USA dominant, low trust.")
        let report = try await service.reports.createReport(CreateReportRequest(
            title: "Soviet order of battle, Group of Forces", titleMarking: "(U)", sourceGrade: "B3", topics: ["soviet-union"],
            portions: [
                PortionInput(marking: "(S//REL TO USA, DEU)", text: "Two tank divisions rotate through the training area each spring."),
                PortionInput(marking: "(C//REL TO USA, DEU)", text: "Rail movements rose by a third in March."),
                PortionInput(marking: "(U)", text: "Open sources report new barracks near the border."),
            ]), by: who("usa-releaser"))
        let release = try await service.releases.release(reportId: report.id, CreateReleaseRequest(recipient: "DEU"), by: who("usa-releaser"))
        say("  USA releases \(report.id) to DEU: portions \(release.portions); withheld \(release.withheld.map { "\($0.index) (\($0.reasons.joined(separator: ", ")))" }.joined(separator: "; ")).")
        expect(release.portions == [1, 2] && release.withheld.first?.reasons == ["trust-ceiling"], "only material up to CONFIDENTIAL goes to DEU")
        let view = try await service.releases.viewRelease(id: release.id, by: who("deu-analyst"))
        say("  A DEU analyst reads \(view.portions.count) portions under \(view.banner).")
        expect(view.portions.map(\.index) == [1, 2], "the DEU analyst reads the CONFIDENTIAL and UNCLASSIFIED portions")
        let receipts = try await service.audit.receipts(holder: "DEU", by: who("usa-liaison"))
        say("  The USA liaison seconded to DEU reads the access log of USA releases at DEU: \(receipts.events.count) event(s), per \(receipts.granularity).")
        expect(receipts.granularity == "member" && receipts.events.contains { $0.action == AuditAction.releaseRead.rawValue && $0.actor == memberIds["deu-analyst"] },
               "the liaison sees which DEU member read USA material")
        let partnership = try await service.trust.partnerships(for: who("usa-senior")).first { $0.organizations == ["DEU", "USA"] }!
        _ = try await service.trust.updatePartnership(id: partnership.id, UpdatePartnershipRequest(status: "suspended"), by: who("usa-senior"))
        say("  USA withdraws support: the partnership is suspended.")
        let denied = await problem { try await service.releases.viewRelease(id: release.id, by: who("deu-analyst")) }
        expect(denied?.kind == .notFound, "DEU loses access to every USA release at once (404)")
        let deuTries = await problem {
            try await service.trust.updatePartnership(id: partnership.id, UpdatePartnershipRequest(status: "active"), by: who("deu-admin"))
        }
        expect(deuTries?.kind == .denied && deuTries?.reasons == ["imposed-by-partner"],
               "DEU, the weaker side, cannot lift the suspension USA imposed")
        _ = try await service.trust.updatePartnership(id: partnership.id, UpdatePartnershipRequest(status: "active"), by: who("usa-senior"))
        let restored = try await service.releases.viewRelease(id: release.id, by: who("deu-analyst"))
        expect(restored.portions.count == 2, "when USA restores support, DEU reads the release again; nothing was deleted")
        say("")
    }

    mutating func storyFour() async throws {
        say("Story 4 — the third-party rule: ISR, USA and RUS.")
        let report = try await service.reports.createReport(CreateReportRequest(
            title: "Planning cell in a third country", titleMarking: "(U)", sourceGrade: "A2", topics: ["iran"],
            portions: [
                PortionInput(marking: "(S//OC/REL TO USA, ISR)", text: "A planning cell meets weekly in a rented villa."),
                PortionInput(marking: "(C//OC/REL TO USA, ISR)", text: "The cell's communications use a commercial laptop model."),
            ]), by: who("isr-releaser"))
        let noApproval = await problem { try await service.releases.release(reportId: report.id, CreateReleaseRequest(recipient: "USA"), by: who("isr-releaser")) }
        expect(noApproval?.reasons.contains("orcon-not-approved") == true, "ORCON portions do not go without ISR's explicit approval")
        let release = try await service.releases.release(reportId: report.id, CreateReleaseRequest(recipient: "USA", approveOrcon: true), by: who("isr-releaser"))
        say("  ISR releases \(report.id) to USA with ORCON approval: banner \(release.banner).")
        let read = try await service.releases.viewRelease(id: release.id, by: who("usa-senior"))
        expect(read.portions.count == 2, "a senior USA member reads the ISR release")
        let forward = await problem { try await service.releases.forward(releaseId: release.id, ForwardRequest(recipient: "RUS"), by: who("usa-senior")) }
        say("  The senior USA member tries to pass it to RUS: \(forward.map { "\($0.httpStatus) \($0.reasons.joined(separator: ", "))" } ?? "allowed").")
        expect(forward?.kind == .denied && forward?.reasons == ["third-party-rule"], "the forward is refused under the third-party rule")
        let consentId = forward?.extra["consentRequestId"] ?? ""
        let pending = try await service.releases.consentRequests(by: who("isr-releaser"))
        expect(pending.contains { $0.id == consentId && $0.status == "pending" && $0.target == "RUS" }, "ISR receives a consent request")
        let decided = try await service.releases.decideConsent(id: consentId, ConsentDecisionRequest(decision: "deny"), by: who("isr-releaser"))
        say("  ISR \(decided.status) consent.")
        let rusInbox = try await service.releases.inbox(by: who("rus-analyst"), cursor: nil, limit: 50)
        expect(decided.status == "denied" && rusInbox.items.isEmpty, "nothing goes to RUS")
        let usaTrail = try await service.audit.audit(AuditQuery(action: AuditAction.releaseForward.rawValue), by: who("usa-security"))
        let isrTrail = try await service.audit.audit(AuditQuery(action: AuditAction.releaseForward.rawValue), by: who("isr-security"))
        expect(usaTrail.items.count == 1 && isrTrail.items.count == 1, "the attempt stands in both USA's and ISR's audit trails")
        expect(isrTrail.items.first?.actor == nil, "ISR's trail does not name the USA member (peer partnership)")
        let partnership = try await service.trust.partnerships(for: who("isr-releaser")).first { $0.organizations == ["ISR", "USA"] }!
        let breaches = try await service.trust.partnershipHistory(id: partnership.id, by: who("isr-releaser")).breaches
        expect(breaches.map(\.kind) == ["refused-forward"] && breaches.first?.against == "USA",
               "the refused forward stands as a breach by USA; ISR's policy recommends trust \(breaches.first?.trustLevel ?? "?")")
        let whatIf = try await service.trust.whatIf(partnership: partnership.id, trustLevel: "low", by: who("isr-releaser"))
        say("  What if ISR's trust in USA fell to low? USA would lose \(whatIf.portionsLost) portion(s) of \(whatIf.releasesAffected) release(s).")
        _ = try await service.trust.updatePartnership(id: partnership.id, UpdatePartnershipRequest(trustLevel: "low", reason: "USA tried to pass our report to RUS"),
                                                by: who("isr-releaser"))
        let after = try await service.releases.viewRelease(id: release.id, by: who("usa-senior"))
        say("  ISR lowers its trust in USA to low: USA now reads \(after.portions.count) of 2 portions.")
        expect(after.portions.map(\.index) == [1] && whatIf.releases.first?.lostPortions == [0],
               "lowering trust takes away at once exactly what the what-if said")
        let history = try await service.trust.partnershipHistory(id: partnership.id, by: who("isr-releaser"))
        expect(history.trustChanges.last?.reason == "USA tried to pass our report to RUS", "the change is recorded with who, when and why")
        let usaRaises = try await service.trust.updatePartnership(id: partnership.id, UpdatePartnershipRequest(trustLevel: "full"), by: who("usa-senior"))
        let stillLow = try await service.releases.viewRelease(id: release.id, by: who("usa-senior"))
        say("  USA sets its own trust in ISR to full; ISR's trust in USA stays \(usaRaises.partnerTrustLevel ?? "?").")
        expect(usaRaises.trust == ["ISR": "low", "USA": "full"] && stillLow.portions.map(\.index) == [1],
               "trust is directional: the side that breached cannot raise the trust the wronged side lowered")
        say("")
    }
}
