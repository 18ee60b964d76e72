import PropertyBased
import Testing
import TearlineCore

@Suite("Banner properties")
struct BannerPropertyTests {
    @Test func rollUpMatchesTheDesignAndDominatesEveryPortion() async {
        await propertyCheck(count: 500, input: Generators.marking.array(of: 0...8)) { markings in
            let banner = Banner.rollUp(markings)
            #expect(banner == ReferenceRule.banner(markings))
            guard let banner else {
                #expect(markings.isEmpty)
                return
            }
            for marking in markings { #expect(banner.dominates(marking), "\(banner) vs \(marking)") }
            #expect(!(banner.noforn && banner.relTo != nil), "a banner is never NOFORN and REL TO at once")
            #expect(banner.relTo?.isEmpty != true, "a banner never carries an empty REL TO")
            // A banner is itself a valid marking.
            let reparsed = try Marking.parse(banner.banner)
            #expect(reparsed == banner)
        }
    }

    @Test func rollUpIgnoresOrder() async {
        await propertyCheck(count: 200, input: Generators.marking.array(of: 0...6)) { markings in
            #expect(Banner.rollUp(markings) == Banner.rollUp(markings.reversed()))
        }
    }
}
