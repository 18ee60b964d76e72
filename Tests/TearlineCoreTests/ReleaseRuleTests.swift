import Testing
import TearlineCore

private func release(
    _ marking: String, sourcesAndMethods: Bool = false, from originator: String = "USA", to partner: String = "GBR",
    partnership: PartnershipTerms? = Fixture.activeHigh, orconApproved: Bool = false
) -> Decision {
    DecisionRule.release(marking: Fixture.marking(marking), sourcesAndMethods: sourcesAndMethods,
                         originator: originator, partner: partner, partnership: partnership,
                         orconApproved: orconApproved)
}

@Suite("Release rule")
struct ReleaseRuleTests {
    // MARK: Successes.

    @Test func secretRelToPartnerOverHighTrust() {
        // Story 1.
        #expect(release("(S//REL TO USA, GBR)") == .allow)
    }

    @Test func unclassifiedWithoutRelToGoesToAnyPartner() {
        #expect(release("(U)", to: "DEU", partnership: PartnershipTerms(status: .active, trust: .minimal)) == .allow)
    }

    @Test func orconWithApproval() {
        // Story 4: ISR approves ORCON material for USA.
        #expect(release("(S//OC/REL TO ISR, USA)", from: "ISR", to: "USA", orconApproved: true) == .allow)
    }

    @Test func topSecretNeedsFullTrust() {
        #expect(release("(TS//REL TO USA, GBR)", partnership: Fixture.activeFull) == .allow)
        #expect(release("(TS//REL TO USA, GBR)", partnership: Fixture.activeHigh).codes == ["trust-ceiling"])
    }

    @Test func nonRedTLPMayGo() {
        for level in ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT"] {
            #expect(release("(U//TLP:\(level))") == .allow, "TLP:\(level)")
        }
    }

    // MARK: Denials, one reason at a time.

    @Test func noPartnership() {
        #expect(release("(U)", to: "RUS", partnership: nil).codes == ["no-partnership"])
    }

    @Test func partnershipSuspended() {
        #expect(release("(S//REL TO USA, GBR)", partnership: Fixture.suspendedHigh).codes == ["partnership-suspended"])
    }

    @Test func aboveTheTrustCeiling() {
        // Story 2: low trust lets only material up to CONFIDENTIAL go to DEU.
        let low = PartnershipTerms(status: .active, trust: .low)
        #expect(release("(C//REL TO USA, DEU)", to: "DEU", partnership: low) == .allow)
        #expect(release("(S//REL TO USA, DEU)", to: "DEU", partnership: low).codes == ["trust-ceiling"])
    }

    @Test(arguments: TrustLevel.allCases)
    func ceilingOfEveryTrustLevel(trust: TrustLevel) {
        let terms = PartnershipTerms(status: .active, trust: trust)
        for level in Classification.allCases {
            let marking = Marking(classification: level, relTo: ["GBR", "USA"])
            let decision = DecisionRule.release(marking: marking, sourcesAndMethods: false, originator: "USA",
                                                partner: "GBR", partnership: terms, orconApproved: false)
            let expected = trust.ceiling.map { level <= $0 } ?? false
            #expect(decision.isAllowed == expected, "\(level) over \(trust)")
            if !expected { #expect(decision.codes == ["trust-ceiling"]) }
        }
    }

    @Test func trustNoneReleasesNothing() {
        let none = PartnershipTerms(status: .active, trust: .none)
        #expect(release("(U)", partnership: none).codes == ["trust-ceiling"])
    }

    @Test func sourcesAndMethodsNeverLeave() {
        #expect(release("(U)", sourcesAndMethods: true).codes == ["sources-and-methods"])
        #expect(release("(S//REL TO USA, GBR)", sourcesAndMethods: true, partnership: Fixture.activeFull).codes == ["sources-and-methods"])
    }

    @Test func nofornNeverLeaves() {
        #expect(release("(S//NF)").codes == ["noforn", "not-rel-to"])
        #expect(release("(U//NF)").codes == ["noforn"])
    }

    @Test func partnerNotInRelTo() {
        #expect(release("(S//REL TO USA, GBR)", to: "DEU").codes == ["not-rel-to"])
    }

    @Test func classifiedWithoutRelToIsDeniedByDefault() {
        #expect(release("(C)").codes == ["not-rel-to"])
    }

    @Test func unclassifiedWithExplicitRelToIsHonoured() {
        #expect(release("(U//REL TO USA, GBR)", to: "GBR") == .allow)
        #expect(release("(U//REL TO USA, GBR)", to: "DEU").codes == ["not-rel-to"])
    }

    @Test func orconWithoutApproval() {
        #expect(release("(S//OC/REL TO ISR, USA)", from: "ISR", to: "USA").codes == ["orcon-not-approved"])
    }

    @Test func orconApprovalDoesNotOverrideOtherRules() {
        #expect(release("(S//OC/REL TO ISR)", from: "ISR", to: "USA", orconApproved: true).codes == ["not-rel-to"])
    }

    @Test func tlpRed() {
        #expect(release("(U//TLP:RED)").codes == ["tlp-red"])
    }

    @Test func selfRelease() {
        #expect(release("(U)", from: "USA", to: "USA", partnership: nil).codes == ["no-partnership", "self-release"])
        #expect(release("(U)", from: "USA", to: "USA").codes == ["self-release"])
    }

    @Test func everyBrokenRuleIsNamed() {
        let decision = release("(TS//OC/NF//TLP:RED)", sourcesAndMethods: true,
                               partnership: PartnershipTerms(status: .suspended, trust: .low))
        #expect(decision.codes == [
            "partnership-suspended", "trust-ceiling", "sources-and-methods", "noforn", "not-rel-to",
            "orcon-not-approved", "tlp-red",
        ])
    }
}
