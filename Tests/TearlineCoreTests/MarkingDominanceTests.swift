import Testing
import TearlineCore

private func dominates(_ a: String, _ b: String) -> Bool {
    Fixture.marking(a).dominates(Fixture.marking(b))
}

@Suite("Marking dominance")
struct MarkingDominanceTests {
    @Test func aMarkingDominatesItself() {
        for text in ["SECRET//HCS//ORCON/REL TO USA, GBR", "UNCLASSIFIED", "TOP SECRET//NOFORN", "UNCLASSIFIED//TLP:RED"] {
            #expect(dominates(text, text))
        }
    }

    @Test func lowerClassificationDoesNotDominate() {
        #expect(!dominates("CONFIDENTIAL//REL TO USA", "SECRET//REL TO USA"))
        #expect(dominates("SECRET//REL TO USA", "CONFIDENTIAL//REL TO USA"))
    }

    @Test func missingCompartmentDoesNotDominate() {
        #expect(!dominates("TOP SECRET//HCS//NOFORN", "TOP SECRET//SI//NOFORN"))
        #expect(dominates("TOP SECRET//HCS/SI//NOFORN", "TOP SECRET//SI//NOFORN"))
    }

    @Test func missingORCONDoesNotDominate() {
        #expect(!dominates("SECRET//NOFORN", "SECRET//ORCON/NOFORN"))
    }

    @Test func missingNOFORNDoesNotDominate() {
        #expect(!dominates("SECRET", "SECRET//NOFORN"))
        #expect(!dominates("TOP SECRET//REL TO USA", "SECRET//NOFORN"))
        #expect(dominates("TOP SECRET//NOFORN", "SECRET//REL TO USA, GBR"))
        // An unclassified NOFORN portion restricts release only through NOFORN itself.
        #expect(!dominates("UNCLASSIFIED", "UNCLASSIFIED//NOFORN"))
        #expect(!dominates("SECRET//REL TO USA", "UNCLASSIFIED//NOFORN"))
        #expect(dominates("SECRET//NOFORN", "UNCLASSIFIED//NOFORN"))
    }

    @Test func lessRestrictiveTLPDoesNotDominate() {
        #expect(!dominates("UNCLASSIFIED//TLP:GREEN", "UNCLASSIFIED//TLP:AMBER"))
        #expect(!dominates("UNCLASSIFIED", "UNCLASSIFIED//TLP:GREEN"))
        #expect(dominates("UNCLASSIFIED//TLP:RED", "UNCLASSIFIED//TLP:AMBER"))
        #expect(dominates("UNCLASSIFIED//TLP:CLEAR", "UNCLASSIFIED"))
    }

    @Test func widerRelToDoesNotDominate() {
        #expect(!dominates("SECRET//REL TO USA, GBR, CAN", "SECRET//REL TO USA, GBR"))
        #expect(dominates("SECRET//REL TO USA", "SECRET//REL TO USA, GBR"))
    }

    @Test func bannerWithoutRelToDoesNotDominateARestrictedPortion() {
        #expect(!dominates("UNCLASSIFIED", "UNCLASSIFIED//REL TO USA"))
        #expect(dominates("UNCLASSIFIED//REL TO USA", "UNCLASSIFIED"))
    }
}
