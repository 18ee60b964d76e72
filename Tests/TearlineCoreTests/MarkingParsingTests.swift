import Testing
import TearlineCore

@Suite("Marking parsing")
struct MarkingParsingTests {
    @Test func bannerWithCompartmentsORCONAndRelTo() throws {
        let marking = try Marking.parse("SECRET//HCS//ORCON/REL TO USA, GBR")
        #expect(marking.classification == .secret)
        #expect(marking.compartments == ["HCS"])
        #expect(marking.orcon)
        #expect(!marking.noforn)
        #expect(marking.relTo == ["GBR", "USA"])
        #expect(marking.tlp == nil)
    }

    @Test func portionWithRelTo() throws {
        let marking = try Marking.parse("(S//REL TO USA, GBR)")
        #expect(marking == Marking(classification: .secret, relTo: ["USA", "GBR"]))
    }

    @Test func topSecretWithSeveralCompartmentsAndNOFORN() throws {
        let banner = try Marking.parse("TOP SECRET//HCS/SI/TK//NOFORN")
        #expect(banner == Marking(classification: .topSecret, compartments: ["TK", "SI", "HCS"], noforn: true))
        let portion = try Marking.parse("(TS//HCS/SI/TK//NF)")
        #expect(portion == banner)
    }

    @Test(arguments: [
        ("UNCLASSIFIED", Classification.unclassified), ("RESTRICTED", .restricted),
        ("CONFIDENTIAL", .confidential), ("SECRET", .secret), ("TOP SECRET", .topSecret),
        ("(U)", .unclassified), ("(R)", .restricted), ("(C)", .confidential), ("(S)", .secret), ("(TS)", .topSecret),
    ])
    func everyClassificationAlone(text: String, level: Classification) throws {
        #expect(try Marking.parse(text) == Marking(classification: level))
    }

    @Test(arguments: [
        ("TLP:CLEAR", TLPLevel.clear), ("TLP:GREEN", .green), ("TLP:AMBER", .amber),
        ("TLP:AMBER+STRICT", .amberStrict), ("TLP:RED", .red),
    ])
    func bareTLPIsUnclassified(text: String, level: TLPLevel) throws {
        #expect(try Marking.parse(text) == Marking(classification: .unclassified, tlp: level))
        #expect(try Marking.parse("(\(text))") == Marking(classification: .unclassified, tlp: level))
    }

    @Test func tlpAfterClassificationAndControls() throws {
        #expect(try Marking.parse("UNCLASSIFIED//TLP:AMBER+STRICT") == Marking(classification: .unclassified, tlp: .amberStrict))
        #expect(try Marking.parse("(C//REL TO DEU//TLP:GREEN)")
            == Marking(classification: .confidential, relTo: ["DEU"], tlp: .green))
    }

    @Test func relToAcceptsIdsWithHyphensAndNoSpaceAfterComma() throws {
        let marking = try Marking.parse("SECRET//REL TO USA-FBI,USA-CIA, IAEA")
        #expect(marking.relTo == ["IAEA", "USA-CIA", "USA-FBI"])
    }

    @Test func surroundingSpacesAreTrimmed() throws {
        #expect(try Marking.parse("  SECRET//NOFORN  ") == Marking(classification: .secret, noforn: true))
        #expect(try Marking.parse(" (S//NF) ") == Marking(classification: .secret, noforn: true))
    }

    @Test func orconAndNOFORNTogether() throws {
        #expect(try Marking.parse("SECRET//ORCON/NOFORN") == Marking(classification: .secret, noforn: true, orcon: true))
        #expect(try Marking.parse("(S//OC/NF)") == Marking(classification: .secret, noforn: true, orcon: true))
    }

    @Test func orderOfRelToEntriesDoesNotMatter() throws {
        #expect(try Marking.parse("SECRET//REL TO GBR, USA") == Marking.parse("SECRET//REL TO USA, GBR"))
    }

    @Test func parseBannerAndParsePortionAcceptTheirOwnForm() throws {
        #expect(try Marking.parseBanner("SECRET//NOFORN") == Marking(classification: .secret, noforn: true))
        #expect(try Marking.parsePortion("(S//NF)") == Marking(classification: .secret, noforn: true))
    }

    @Test func unclassifiedMayCarryRelTo() throws {
        let marking = try Marking.parse("UNCLASSIFIED//REL TO USA, GBR")
        #expect(marking.classification == .unclassified)
        #expect(marking.relTo == ["GBR", "USA"])
        #expect(marking.restrictsRelease)
    }
}
