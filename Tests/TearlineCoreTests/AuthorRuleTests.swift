import Testing
import TearlineCore

@Suite("Author rule")
struct AuthorRuleTests {
    @Test func authorWithinTheirAccess() {
        let reader = Fixture.reader(clearance: .topSecret, compartments: ["HCS", "SI"])
        #expect(DecisionRule.author(reader, marking: Fixture.marking("(TS//HCS/SI//NF)")) == .allow)
        #expect(DecisionRule.author(reader, marking: Fixture.marking("(U)")) == .allow)
    }

    @Test func markingAboveClearance() {
        let reader = Fixture.reader(clearance: .confidential)
        #expect(DecisionRule.author(reader, marking: Fixture.marking("(S//NF)")).codes == ["marking-above-author"])
        #expect(DecisionRule.author(reader, marking: Fixture.marking("(C//NF)")) == .allow)
    }

    @Test func markingWithACompartmentTheAuthorLacks() {
        let reader = Fixture.reader(clearance: .topSecret, compartments: ["SI"])
        #expect(DecisionRule.author(reader, marking: Fixture.marking("(TS//HCS//NF)")).codes == ["marking-above-author"])
    }

    @Test func suspendedMemberAuthorsNothing() {
        let reader = Fixture.reader(clearance: .topSecret, suspended: true)
        #expect(DecisionRule.author(reader, marking: Fixture.marking("(U)")).codes == ["member-suspended"])
        #expect(DecisionRule.author(reader, marking: Fixture.marking("(TS//HCS//NF)")).codes
            == ["member-suspended", "marking-above-author"])
    }
}
