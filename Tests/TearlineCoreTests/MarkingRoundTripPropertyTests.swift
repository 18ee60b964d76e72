import PropertyBased
import Testing
import TearlineCore

@Suite("Marking round trip properties")
struct MarkingRoundTripPropertyTests {
    @Test func bannerFormRoundTrips() async {
        await propertyCheck(count: 1000, input: Generators.marking) { marking in
            let parsed = try Marking.parse(marking.banner)
            #expect(parsed == marking, "\(marking.banner)")
            let parsedBanner = try Marking.parseBanner(marking.banner)
            #expect(parsedBanner == marking)
        }
    }

    @Test func portionFormRoundTrips() async {
        await propertyCheck(count: 1000, input: Generators.marking) { marking in
            let parsed = try Marking.parse(marking.portionMark)
            #expect(parsed == marking, "\(marking.portionMark)")
            let parsedPortion = try Marking.parsePortion(marking.portionMark)
            #expect(parsedPortion == marking)
        }
    }

    @Test func printingIsStableAfterAParse() async {
        await propertyCheck(count: 300, input: Generators.marking) { marking in
            let reparsed = try Marking.parse(marking.banner)
            #expect(reparsed.banner == marking.banner)
            #expect(reparsed.portionMark == marking.portionMark)
        }
    }
}
