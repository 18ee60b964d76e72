import Testing
import TearlineCore

@Suite("Banner styles")
struct BannerStyleTests {
    @Test(arguments: [
        ("(U)", "unclassified"), ("(R)", "restricted"), ("(C)", "confidential"), ("(S)", "secret"), ("(TS)", "top-secret"),
    ])
    func eachClassificationHasItsConventionalColour(marking: String, colour: String) throws {
        #expect(BannerStyle(try Marking.parse(marking)).classification == colour)
    }

    @Test(arguments: [
        ("UNCLASSIFIED//TLP:RED", "tlp-red", "TLP:RED"), ("UNCLASSIFIED//TLP:AMBER", "tlp-amber", "TLP:AMBER"),
        ("UNCLASSIFIED//TLP:AMBER+STRICT", "tlp-amber", "TLP:AMBER+STRICT"), ("UNCLASSIFIED//TLP:GREEN", "tlp-green", "TLP:GREEN"),
        ("UNCLASSIFIED//TLP:CLEAR", "tlp-clear", "TLP:CLEAR"),
    ])
    func tlpTakesFIRSTsColours(marking: String, colour: String, label: String) throws {
        let style = BannerStyle(try Marking.parse(marking))
        #expect(style.tlp == colour)
        #expect(style.tlpLabel == label)
        #expect(style.classification == "unclassified")
    }

    @Test func noTLPNoTLPColour() throws {
        let style = BannerStyle(try Marking.parse("(S//REL TO USA, GBR)"))
        #expect(style.tlp == nil && style.tlpLabel == nil)
        #expect(style.text == "SECRET//REL TO USA, GBR")
    }

    @Test func aPageBannerIsTheRollUpOfWhatItShows() throws {
        let style = try #require(BannerStyle.rolledUp([try Marking.parse("(C//REL TO USA, GBR)"), try Marking.parse("(TS//REL TO USA, GBR)"),
                                                       try Marking.parse("(U//TLP:GREEN)")]))
        #expect(style.classification == "top-secret", "the highest classification shown")
        #expect(style.tlp == "tlp-green")
        #expect(style.text.hasPrefix("TOP SECRET"))
        #expect(BannerStyle.rolledUp([Marking]()) == nil, "a page that shows no material has no banner")
    }

    @Test func textThatIsNotAMarkingIsNeverColouredAsAClassification() {
        let style = BannerStyle(text: "SEKRIT")
        #expect(style.classification == "unknown")
        #expect(style.text == "SEKRIT")
        #expect(BannerStyle(text: "SECRET//NOFORN").classification == "secret")
    }
}
