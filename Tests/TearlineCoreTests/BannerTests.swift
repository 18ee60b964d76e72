import Testing
import TearlineCore

private func rollUp(_ marks: String...) -> Marking? {
    Banner.rollUp(marks.map(Fixture.marking))
}

@Suite("Banner roll-up")
struct BannerTests {
    @Test func noPortionsNoBanner() {
        #expect(Banner.rollUp([Marking]()) == nil)
    }

    @Test func singlePortionIsItsOwnBanner() {
        #expect(rollUp("(S//REL TO USA, GBR)") == Fixture.marking("SECRET//REL TO USA, GBR"))
    }

    @Test func classificationIsTheHighest() {
        #expect(rollUp("(U)", "(C//REL TO USA, GBR)", "(S//REL TO USA, GBR)", "(R//REL TO USA, GBR)")?.classification == .secret)
        #expect(rollUp("(TS//REL TO USA)", "(U)")?.classification == .topSecret)
        #expect(rollUp("(U)", "(U)")?.classification == .unclassified)
    }

    @Test func compartmentsAreTheUnion() {
        let banner = rollUp("(TS//HCS//REL TO USA)", "(TS//SI/TK//REL TO USA)", "(S//REL TO USA)")
        #expect(banner?.compartments == ["HCS", "SI", "TK"])
    }

    @Test func orconFromAnyPortion() {
        #expect(rollUp("(S//REL TO USA, GBR)", "(S//OC/REL TO USA, GBR)")?.orcon == true)
        #expect(rollUp("(S//REL TO USA, GBR)", "(C//REL TO USA, GBR)")?.orcon == false)
    }

    @Test func relToIsTheIntersectionOverClassifiedPortions() {
        let banner = rollUp("(S//REL TO USA, GBR, AUS)", "(C//REL TO USA, GBR, CAN)", "(U)")
        #expect(banner == Fixture.marking("SECRET//REL TO USA, GBR"))
    }

    @Test func unclassifiedPortionWithoutRelToDoesNotNarrowRelTo() {
        #expect(rollUp("(S//REL TO USA, GBR)", "(U)")?.relTo == ["GBR", "USA"])
    }

    @Test func unclassifiedPortionWithExplicitRelToNarrowsRelTo() {
        #expect(rollUp("(S//REL TO USA, GBR)", "(U//REL TO USA)")?.relTo == ["USA"])
    }

    @Test func emptyIntersectionGivesNOFORN() {
        let banner = rollUp("(S//REL TO USA, GBR)", "(S//REL TO USA, DEU)", "(C//REL TO GBR)")
        #expect(banner?.noforn == true)
        #expect(banner?.relTo == nil)
        #expect(banner?.banner == "SECRET//NOFORN")
    }

    @Test func anyNOFORNPortionGivesNOFORN() {
        let banner = rollUp("(S//REL TO USA, GBR)", "(C//NF)")
        #expect(banner == Fixture.marking("SECRET//NOFORN"))
    }

    @Test func unclassifiedNOFORNPortionGivesNOFORN() {
        #expect(rollUp("(S//REL TO USA, GBR)", "(U//NF)")?.noforn == true)
    }

    @Test func classifiedPortionWithoutRelToGivesNOFORN() {
        // why: foreign release is denied by default, so a classified portion without REL TO
        // contributes an empty set to the intersection.
        let banner = rollUp("(S//REL TO USA, GBR)", "(C)")
        #expect(banner == Fixture.marking("SECRET//NOFORN"))
    }

    @Test func allUnclassifiedWithoutRelToStaysReleasable() {
        let banner = rollUp("(U)", "(U//TLP:GREEN)")
        #expect(banner == Marking(classification: .unclassified, tlp: .green))
        #expect(banner?.noforn == false)
    }

    @Test func tlpIsTheMostRestrictive() {
        #expect(rollUp("(U//TLP:GREEN)", "(U//TLP:AMBER+STRICT)", "(U//TLP:CLEAR)")?.tlp == .amberStrict)
        #expect(rollUp("(U)", "(U//TLP:CLEAR)")?.tlp == .clear)
        #expect(rollUp("(U)", "(U)")?.tlp == nil)
    }

    @Test func seedStoryOneBanner() {
        let banner = rollUp("(S//HCS//OC/REL TO USA, GBR)", "(C//REL TO USA, GBR, CAN)", "(U)")
        #expect(banner?.banner == "SECRET//HCS//ORCON/REL TO USA, GBR")
    }

    @Test func reportBannerIncludesTheTitle() {
        let report = Fixture.report(titleMarking: "(C//REL TO USA)", portions: [Fixture.portion(0, "(U)")])
        #expect(report.banner == Fixture.marking("CONFIDENTIAL//REL TO USA"))
    }

    @Test func bannerDominatesEveryPortion() {
        let portions = ["(S//HCS//OC/REL TO USA, GBR)", "(C//REL TO USA, GBR, CAN)", "(U)", "(U//TLP:AMBER)"].map(Fixture.marking)
        let banner = Banner.rollUp(portions)
        for portion in portions {
            #expect(banner?.dominates(portion) == true, "\(String(describing: banner)) must dominate \(portion)")
        }
    }
}
