import Testing
import TearlineCore

@Suite("View of a report")
struct ViewTests {
    /// Story 1: USA report, portions at three levels, all releasable to GBR.
    let report = Fixture.report(
        titleMarking: "(U)",
        portions: [
            Fixture.portion(0, "(S//REL TO USA, GBR)"),
            Fixture.portion(1, "(C//REL TO USA, GBR)"),
            Fixture.portion(2, "(U)"),
            Fixture.portion(3, "(TS//HCS//NF)"),
        ])

    @Test func originatorSeesEverythingTheirAccessAllows() {
        let view = View.of(report, for: Fixture.reader("USA", compartments: ["HCS"]), hasGrant: false, channel: .originator)
        #expect(view.shown.map(\.index) == [0, 1, 2, 3])
        #expect(view.withheld.isEmpty)
        #expect(view.titleShown)
        #expect(view.banner == Fixture.marking("TOP SECRET//HCS//NOFORN"))
        #expect(!view.isEmpty)
    }

    @Test func lowerClearedPartnerSeesOnlyTheirLevel() {
        let release = Fixture.release([0, 1, 2, Report.titleIndex])
        let view = View.of(report, for: Fixture.reader("GBR", clearance: .confidential), hasGrant: false, channel: release)
        #expect(view.shown.map(\.index) == [1, 2])
        #expect(view.withheld == [
            WithheldPortion(index: 0, reasons: .clearance),
            WithheldPortion(index: 3, reasons: [.portionNotReleased, .trustCeiling, .clearance, .compartments]),
        ])
        #expect(view.titleShown)
        #expect(view.banner == Fixture.marking("CONFIDENTIAL//REL TO USA, GBR"))
        #expect(view.allReasons.codes == ["portion-not-released", "trust-ceiling", "clearance", "compartments"])
    }

    @Test func bannerReflectsOnlyWhatIsShown() {
        let view = View.of(report, for: Fixture.reader("USA", clearance: .secret), hasGrant: false, channel: .originator)
        #expect(view.shown.map(\.index) == [0, 1, 2])
        #expect(view.banner == Fixture.marking("SECRET//REL TO USA, GBR"))
    }

    @Test func nothingShownMeansEmptyWithoutTitleOrBanner() {
        let view = View.of(report, for: Fixture.reader("DEU", compartments: ["HCS"]), hasGrant: false, channel: .none)
        #expect(view.isEmpty)
        #expect(!view.titleShown)
        #expect(view.banner == nil)
        #expect(view.withheld.count == 4)
        #expect(view.allReasons == .noAccessPath)
    }

    @Test func titleIsWithheldWhenTheReleaseLacksIt() {
        let view = View.of(report, for: Fixture.reader("GBR"), hasGrant: false, channel: Fixture.release([2]))
        #expect(view.shown.map(\.index) == [2])
        #expect(!view.titleShown)
        #expect(view.banner == .unclassified)
    }

    @Test func titleAboveTheReaderIsWithheld() {
        let secretTitle = Fixture.report(titleMarking: "(S//NF)", portions: [Fixture.portion(0, "(U)")])
        let view = View.of(secretTitle, for: Fixture.reader(clearance: .confidential), hasGrant: false, channel: .originator)
        #expect(view.shown.map(\.index) == [0])
        #expect(!view.titleShown)
        #expect(view.banner == .unclassified)
    }

    @Test func titleMarkingRaisesTheBannerWhenShown() {
        let secretTitle = Fixture.report(titleMarking: "(S//NF)", portions: [Fixture.portion(0, "(U)")])
        let view = View.of(secretTitle, for: Fixture.reader(), hasGrant: false, channel: .originator)
        #expect(view.titleShown)
        #expect(view.banner == Fixture.marking("SECRET//NOFORN"))
    }

    @Test func suspendingThePartnershipHidesEveryRelease() {
        // Story 2: USA withdraws support and DEU loses access at once.
        let deuReport = Fixture.report(portions: [Fixture.portion(0, "(C//REL TO USA, DEU)"), Fixture.portion(1, "(U)")])
        let reader = Fixture.reader("DEU", clearance: .secret)
        let active = PartnershipTerms(status: .active, trust: .low)
        let before = View.of(deuReport, for: reader, hasGrant: false, channel: Fixture.release([0, 1], partnership: active))
        #expect(before.shown.count == 2)
        let suspended = PartnershipTerms(status: .suspended, trust: .low)
        let after = View.of(deuReport, for: reader, hasGrant: false, channel: Fixture.release([0, 1], partnership: suspended))
        #expect(after.isEmpty)
        #expect(after.allReasons.codes == ["partnership-suspended"])
    }

    @Test func grantOpensAReportOutsideTheReadersTopics() {
        let reader = Fixture.reader(topics: ["finance"])
        #expect(View.of(report, for: reader, hasGrant: false, channel: .originator).isEmpty)
        #expect(View.of(report, for: reader, hasGrant: true, channel: .originator).shown.count == 3)
    }

    @Test func throttledReaderSeesNothing() {
        let view = View.of(report, for: Fixture.reader(throttled: true), hasGrant: false, channel: .originator)
        #expect(view.isEmpty)
        #expect(view.allReasons.codes == ["compartments", "member-throttled"])
    }
}
