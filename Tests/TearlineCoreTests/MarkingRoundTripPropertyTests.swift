import PropertyBased
import Testing
import TearlineCore

@Suite("Marking round trip properties")
struct MarkingRoundTripPropertyTests {
    @Test func bannerFormRoundTrips() async {
        await propertyCheck(count: 1000, input: Generators.marking) { marking in
            #expect(try Marking.parse(marking.banner) == marking, "\(marking.banner)")
            #expect(try Marking.parseBanner(marking.banner) == marking)
        }
    }

    @Test func portionFormRoundTrips() async {
        await propertyCheck(count: 1000, input: Generators.marking) { marking in
            #expect(try Marking.parse(marking.portionMark) == marking, "\(marking.portionMark)")
            #expect(try Marking.parsePortion(marking.portionMark) == marking)
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
