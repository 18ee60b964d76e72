import Testing
import TearlineCore

@Suite("Release plan")
struct ReleasePlanTests {
    let report = Fixture.report(
        titleMarking: "(U)",
        portions: [
            Fixture.portion(0, "(S//REL TO USA, GBR)"),
            Fixture.portion(1, "(C//REL TO USA, GBR, DEU)"),
            Fixture.portion(2, "(U)"),
            Fixture.portion(3, "(S//NF)"),
            Fixture.portion(4, "(S//REL TO USA, GBR)", sourcesAndMethods: true),
            Fixture.portion(5, "(S//OC/REL TO USA, GBR)"),
            Fixture.portion(6, "(TS//REL TO USA, GBR)"),
        ])

    @Test func onlyReleasablePortionsGo() {
        let plan = ReleasePlan.make(report, to: "GBR", partnership: Fixture.activeHigh, orconApproved: false)
        #expect(plan.includedPortions.map(\.index) == [0, 1, 2])
        #expect(plan.included == PortionSet([0, 1, 2, Report.titleIndex]))
        #expect(plan.titleIncluded)
        #expect(plan.withheld == [
            WithheldPortion(index: 3, reasons: [.noforn, .notRelTo]),
            WithheldPortion(index: 4, reasons: .sourcesAndMethods),
            WithheldPortion(index: 5, reasons: .orconNotApproved),
            WithheldPortion(index: 6, reasons: .trustCeiling),
        ])
        #expect(plan.banner == Fixture.marking("SECRET//REL TO USA, GBR"))
        #expect(!plan.isEmpty)
    }

    @Test func orconApprovalAndFullTrustAddPortions() {
        let plan = ReleasePlan.make(report, to: "GBR", partnership: Fixture.activeFull, orconApproved: true)
        #expect(plan.includedPortions.map(\.index) == [0, 1, 2, 5, 6])
        #expect(plan.banner == Fixture.marking("TOP SECRET//ORCON/REL TO USA, GBR"))
    }

    @Test func lowTrustPartnerGetsOnlyUpToConfidential() {
        // Story 2.
        let plan = ReleasePlan.make(report, to: "DEU", partnership: PartnershipTerms(status: .active, trust: .low),
                                    orconApproved: false)
        #expect(plan.includedPortions.map(\.index) == [1, 2])
        #expect(plan.withheld.first { $0.index == 0 }?.reasons.codes == ["trust-ceiling", "not-rel-to"])
        #expect(plan.banner == Fixture.marking("CONFIDENTIAL//REL TO USA, GBR, DEU"))
    }

    @Test func suspendedPartnershipReleasesNothing() {
        let plan = ReleasePlan.make(report, to: "GBR", partnership: Fixture.suspendedHigh, orconApproved: true)
        #expect(plan.isEmpty)
        #expect(plan.included.isEmpty)
        #expect(!plan.titleIncluded)
        #expect(plan.banner == nil)
        #expect(plan.commonReasons.codes == ["partnership-suspended"])
    }

    @Test func noPartnershipReleasesNothing() {
        let plan = ReleasePlan.make(report, to: "RUS", partnership: nil, orconApproved: false)
        #expect(plan.isEmpty)
        #expect(plan.commonReasons.codes == ["no-partnership"])
    }

    @Test func candidatesLimitWhatIsPassedOn() {
        let plan = ReleasePlan.make(report, candidates: PortionSet([1, 3]), to: "GBR",
                                    partnership: Fixture.activeHigh, orconApproved: false)
        #expect(plan.includedPortions.map(\.index) == [1])
        #expect(!plan.titleIncluded, "the title was not among the candidates")
        #expect(plan.withheld.first { $0.index == 0 }?.reasons == .portionNotReleased)
        #expect(plan.withheld.first { $0.index == 3 }?.reasons.codes == ["noforn", "not-rel-to"])
        #expect(plan.banner == Fixture.marking("CONFIDENTIAL//REL TO USA, GBR, DEU"))
    }

    @Test func candidatesIncludingTheTitle() {
        let plan = ReleasePlan.make(report, candidates: PortionSet([1, Report.titleIndex]), to: "GBR",
                                    partnership: Fixture.activeHigh, orconApproved: false)
        #expect(plan.titleIncluded)
        #expect(plan.included == PortionSet([1, Report.titleIndex]))
    }

    @Test func unreleasableTitleIsWithheld() {
        let nofornTitle = Fixture.report(titleMarking: "(S//NF)", portions: [Fixture.portion(0, "(U)")])
        let plan = ReleasePlan.make(nofornTitle, to: "GBR", partnership: Fixture.activeHigh, orconApproved: false)
        #expect(plan.includedPortions.map(\.index) == [0])
        #expect(!plan.titleIncluded)
        #expect(!plan.included.contains(Report.titleIndex))
        #expect(plan.banner == .unclassified)
    }

    @Test func titleDoesNotTravelAlone() {
        let allNoforn = Fixture.report(titleMarking: "(U)", portions: [Fixture.portion(0, "(S//NF)")])
        let plan = ReleasePlan.make(allNoforn, to: "GBR", partnership: Fixture.activeHigh, orconApproved: false)
        #expect(plan.isEmpty)
        #expect(!plan.titleIncluded)
        #expect(plan.banner == nil)
        #expect(plan.commonReasons.codes == ["noforn", "not-rel-to"])
    }

    @Test func selfReleaseIsRefused() {
        let plan = ReleasePlan.make(report, to: "USA", partnership: nil, orconApproved: true)
        #expect(plan.isEmpty)
        #expect(plan.commonReasons.codes == ["no-partnership", "self-release"])
    }

    @Test func commonReasonsAreOnlyThoseSharedByEveryPortion() {
        let plan = ReleasePlan.make(report, to: "GBR", partnership: Fixture.activeHigh, orconApproved: false)
        #expect(plan.commonReasons == [])
    }

    @Test func releaseBannerNeverSaysNOFORN() {
        // Every included portion names the partner in REL TO, so the intersection keeps it.
        let plan = ReleasePlan.make(report, to: "GBR", partnership: Fixture.activeFull, orconApproved: true)
        #expect(plan.banner?.noforn == false)
        #expect(plan.banner?.relTo?.contains("GBR") == true)
    }
}
