import Testing
import TearlineCore

@Suite("Forward rule (third-party rule)")
struct ForwardRuleTests {
    @Test func recipientMayNotForward() {
        // Story 4: USA holds an ISR release and tries to pass it to RUS.
        let decision = DecisionRule.forward(holder: "USA", originator: "ISR")
        #expect(decision == .deny(.thirdPartyRule))
        #expect(decision.codes == ["third-party-rule"])
    }

    @Test func originatorPassesItsOwnMaterialOn() {
        #expect(DecisionRule.forward(holder: "ISR", originator: "ISR") == .allow)
    }

    @Test func agenciesOfOneStateAreSeparateParties() {
        #expect(DecisionRule.forward(holder: "USA-FBI", originator: "USA-CIA").codes == ["third-party-rule"])
    }
}
