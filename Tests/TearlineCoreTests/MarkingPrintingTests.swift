import Testing
import TearlineCore

@Suite("Marking printing")
struct MarkingPrintingTests {
    @Test func bannerFormListsUSAFirstThenAlphabetically() {
        let marking = Marking(classification: .secret, compartments: ["HCS"], orcon: true, relTo: ["GBR", "USA"])
        #expect(marking.banner == "SECRET//HCS//ORCON/REL TO USA, GBR")
        #expect(marking.description == "SECRET//HCS//ORCON/REL TO USA, GBR")
    }

    @Test func portionFormUsesAbbreviations() {
        #expect(Marking(classification: .secret, relTo: ["USA", "GBR"]).portionMark == "(S//REL TO USA, GBR)")
        #expect(Marking(classification: .topSecret, compartments: ["SI", "HCS"], noforn: true, orcon: true).portionMark
            == "(TS//HCS/SI//OC/NF)")
    }

    @Test func relToWithoutUSAIsAlphabetical() {
        #expect(Marking(classification: .confidential, relTo: ["ISR", "DEU", "GBR"]).banner == "CONFIDENTIAL//REL TO DEU, GBR, ISR")
    }

    @Test func compartmentsAreSortedAndJoinedBySlash() {
        #expect(Marking(classification: .topSecret, compartments: ["TK", "HCS", "SI", "HCS"]).banner == "TOP SECRET//HCS/SI/TK")
    }

    @Test func tlpComesLast() {
        #expect(Marking(classification: .unclassified, tlp: .amberStrict).banner == "UNCLASSIFIED//TLP:AMBER+STRICT")
        #expect(Marking(classification: .unclassified, tlp: .red).portionMark == "(U//TLP:RED)")
        #expect(Marking(classification: .confidential, relTo: ["DEU"], tlp: .green).banner == "CONFIDENTIAL//REL TO DEU//TLP:GREEN")
    }

    @Test(arguments: Classification.allCases)
    func bareClassification(level: Classification) {
        #expect(Marking(classification: level).banner == level.bannerName)
        #expect(Marking(classification: level).portionMark == "(\(level.portionName))")
    }

    @Test(arguments: [
        "SECRET//HCS//ORCON/REL TO USA, GBR",
        "TOP SECRET",
        "TOP SECRET//HCS/SI//NOFORN",
        "CONFIDENTIAL//REL TO USA, DEU",
        "UNCLASSIFIED",
        "UNCLASSIFIED//TLP:CLEAR",
        "UNCLASSIFIED//TLP:AMBER+STRICT",
        "SECRET//ORCON/NOFORN",
        "RESTRICTED//REL TO GBR, IAEA, USA-FBI//TLP:GREEN",
    ])
    func bannerRoundTrip(text: String) throws {
        #expect(try Marking.parse(text).banner == text)
    }

    @Test(arguments: [
        "(S//REL TO USA, GBR)",
        "(TS)",
        "(TS//HCS/SI//NF)",
        "(S//HCS//OC/REL TO USA, GBR)",
        "(U)",
        "(U//TLP:RED)",
        "(C//OC/NF//TLP:AMBER)",
    ])
    func portionRoundTrip(text: String) throws {
        #expect(try Marking.parse(text).portionMark == text)
    }

    @Test func bannerAndPortionFormsOfOneMarkingParseToTheSameValue() throws {
        let marking = try Marking.parse("SECRET//HCS//ORCON/REL TO USA, GBR")
        #expect(marking.portionMark == "(S//HCS//OC/REL TO USA, GBR)")
        #expect(try Marking.parse(marking.portionMark) == marking)
    }

    @Test func bareTLPPrintsWithItsClassification() throws {
        // A bare `TLP:AMBER` means unclassified; printing names the level so the text stays unambiguous.
        let marking = try Marking.parse("TLP:AMBER")
        #expect(marking.banner == "UNCLASSIFIED//TLP:AMBER")
        #expect(try Marking.parse(marking.banner) == marking)
    }
}
