import Testing
import TearlineCore

@Suite struct OversightRuleTests {
    @Test func onlyTheDominantSideSeesMembers() {
        #expect(OversightRule.seesMembers(kind: .hierarchical, dominant: "USA", originator: "USA"))
        #expect(!OversightRule.seesMembers(kind: .hierarchical, dominant: "USA", originator: "DEU"))
        #expect(!OversightRule.seesMembers(kind: .peer, dominant: nil, originator: "USA"))
    }

    @Test func securityOrASecondedLiaisonOfTheDominantSideReadsReceipts() {
        #expect(OversightRule.mayReadReceipts(isSecurity: true, isLiaison: false, secondedTo: nil, holder: "GBR", originatorSeesMembers: false))
        #expect(OversightRule.mayReadReceipts(isSecurity: false, isLiaison: true, secondedTo: "DEU", holder: "DEU", originatorSeesMembers: true))
        #expect(!OversightRule.mayReadReceipts(isSecurity: false, isLiaison: true, secondedTo: "FRA", holder: "DEU", originatorSeesMembers: true))
        #expect(!OversightRule.mayReadReceipts(isSecurity: false, isLiaison: true, secondedTo: "GBR", holder: "GBR", originatorSeesMembers: false))
        #expect(!OversightRule.mayReadReceipts(isSecurity: false, isLiaison: false, secondedTo: nil, holder: "DEU", originatorSeesMembers: true))
    }
}
