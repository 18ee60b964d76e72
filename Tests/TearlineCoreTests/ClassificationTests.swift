import Testing
import TearlineCore

@Suite("Classification and TLP levels")
struct ClassificationTests {
    @Test func classificationsAreOrdered() {
        #expect(Classification.allCases == [.unclassified, .restricted, .confidential, .secret, .topSecret])
        #expect(Classification.allCases == Classification.allCases.sorted())
        #expect(Classification.confidential < .secret)
        #expect(!(Classification.topSecret < .secret))
    }

    @Test func namesParseInTheirOwnFormOnly() {
        for level in Classification.allCases {
            #expect(Classification(name: level.bannerName, portion: false) == level)
            #expect(Classification(name: level.portionName, portion: true) == level)
            #expect(Classification(anyName: level.bannerName.lowercased()) == level)
            #expect(Classification(anyName: level.portionName) == level)
        }
        #expect(Classification(name: "S", portion: false) == nil)
        #expect(Classification(name: "SECRET", portion: true) == nil)
        #expect(Classification(anyName: "SEKRET") == nil)
    }

    @Test func tlpLevelsAreOrderedByRestriction() {
        #expect(TLPLevel.allCases.map(\.label) == ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"])
        #expect(TLPLevel.allCases == TLPLevel.allCases.sorted())
        for level in TLPLevel.allCases { #expect(TLPLevel(label: level.label) == level) }
        #expect(TLPLevel(label: "WHITE") == nil)
        #expect(TLPLevel(label: "amber") == nil)
    }
}
