import Testing
import TearlineCore

/// Reads portion `index` marked `marking` of a report on `topics`.
private func read(
    _ reader: Reader, _ marking: String, index: Int = 0, topics: [String] = ["terrorism"],
    grant: Bool = false, channel: ReadChannel = .originator
) -> Decision {
    DecisionRule.read(reader, portionIndex: index, marking: Fixture.marking(marking),
                      reportTopics: TagSet(topics), hasGrant: grant, channel: channel)
}

@Suite("Read rule")
struct ReadRuleTests {
    let gbrAnalyst = Fixture.reader("GBR", clearance: .secret)

    // MARK: Rule 1: an access path.

    @Test func originatorReadsItsOwnReport() {
        #expect(read(Fixture.reader("USA"), "(S//NF)") == .allow)
    }

    @Test func noReleaseMeansNoAccessPath() {
        let decision = read(gbrAnalyst, "(S//REL TO USA, GBR)", channel: .none)
        #expect(decision == .deny(.noAccessPath))
        #expect(decision.codes == ["no-access-path"])
    }

    @Test func releasedPortionIsReadable() {
        #expect(read(gbrAnalyst, "(S//REL TO USA, GBR)", index: 2, channel: Fixture.release([0, 2])) == .allow)
    }

    @Test func revokedRelease() {
        let decision = read(gbrAnalyst, "(S//REL TO USA, GBR)", channel: Fixture.release([0], revoked: true))
        #expect(decision.codes == ["release-revoked"])
    }

    @Test func suspendedPartnership() {
        // Story 2: withdrawing support cuts off every release at once.
        let decision = read(gbrAnalyst, "(C//REL TO USA, DEU)", channel: Fixture.release([0], partnership: Fixture.suspendedHigh))
        #expect(decision.codes == ["partnership-suspended"])
    }

    @Test func portionNotInTheRelease() {
        let decision = read(gbrAnalyst, "(S//REL TO USA, GBR)", index: 1, channel: Fixture.release([0, 2]))
        #expect(decision.codes == ["portion-not-released"])
    }

    @Test func trustLoweredBelowAPortionAlreadyReleased() {
        // why: lowering trust takes effect at once on releases already made.
        let lowered = PartnershipTerms(status: .active, trust: .low)
        #expect(read(gbrAnalyst, "(S//REL TO USA, GBR)", channel: Fixture.release([0], partnership: lowered)).codes == ["trust-ceiling"])
        #expect(read(gbrAnalyst, "(C//REL TO USA, GBR)", channel: Fixture.release([0], partnership: lowered)) == .allow)
    }

    @Test func trustNoneBlocksEvenUnclassified() {
        let none = PartnershipTerms(status: .active, trust: .none)
        #expect(read(gbrAnalyst, "(U)", channel: Fixture.release([0], partnership: none)).codes == ["trust-ceiling"])
    }

    @Test func originatorIsNotSubjectToTrustOrRelease() {
        // The originator's own members need no release, however the marking restricts release.
        #expect(read(Fixture.reader("USA"), "(TS//OC/NF)") == .allow)
    }

    // MARK: Rule 2: clearance and compartments.

    @Test func lowerClearanceSeesOnlyPortionsAtTheirLevel() {
        // Story 1: a GBR analyst with a lower clearance.
        let confidential = Fixture.reader("GBR", clearance: .confidential)
        let channel = Fixture.release([0, 1])
        #expect(read(confidential, "(C//REL TO USA, GBR)", index: 0, channel: channel) == .allow)
        #expect(read(confidential, "(S//REL TO USA, GBR)", index: 1, channel: channel).codes == ["clearance"])
    }

    @Test func clearanceEqualToClassificationSuffices() {
        #expect(read(Fixture.reader(clearance: .secret), "(S)") == .allow)
        #expect(read(Fixture.reader(clearance: .restricted), "(C)").codes == ["clearance"])
    }

    @Test func missingCompartment() {
        let reader = Fixture.reader(clearance: .topSecret, compartments: ["SI"])
        #expect(read(reader, "(TS//HCS/SI//NF)").codes == ["compartments"])
        #expect(read(Fixture.reader(compartments: ["HCS", "SI", "TK"]), "(TS//HCS/SI//NF)") == .allow)
    }

    @Test func compartmentsDoNotReplaceClearance() {
        let reader = Fixture.reader(clearance: .secret, compartments: ["HCS"])
        #expect(read(reader, "(TS//HCS//NF)").codes == ["clearance"])
    }

    // MARK: Rule 3: need-to-know.

    @Test func topicsMustMeet() {
        let reader = Fixture.reader(topics: ["proliferation"])
        #expect(read(reader, "(U)", topics: ["terrorism", "finance"]).codes == ["need-to-know"])
        #expect(read(reader, "(U)", topics: ["finance", "proliferation"]) == .allow)
    }

    @Test func reportWithoutTopicsNeedsAGrant() {
        #expect(read(Fixture.reader(), "(U)", topics: []).codes == ["need-to-know"])
        #expect(read(Fixture.reader(), "(U)", topics: [], grant: true) == .allow)
    }

    @Test func grantOverridesNeedToKnow() {
        // Story 6: the CIA grants an FBI analyst access to a report outside their topics.
        let fbi = Fixture.reader("USA-FBI", clearance: .secret, topics: ["organised-crime"])
        let channel = Fixture.release([0])
        #expect(read(fbi, "(S//REL TO USA-FBI)", topics: ["counter-terrorism"], channel: channel).codes == ["need-to-know"])
        #expect(read(fbi, "(S//REL TO USA-FBI)", topics: ["counter-terrorism"], grant: true, channel: channel) == .allow)
    }

    @Test func grantOverridesOnlyNeedToKnow() {
        let reader = Fixture.reader(clearance: .confidential, topics: [], throttled: true)
        let decision = read(reader, "(S//HCS//NF)", topics: ["x"], grant: true, channel: .none)
        #expect(decision.codes == ["no-access-path", "clearance", "compartments", "member-throttled"])
    }

    // MARK: Rule 4: throttled or suspended.

    @Test func throttledMember() {
        // Story 5: the insider is throttled after bulk reads.
        #expect(read(Fixture.reader(throttled: true), "(U)").codes == ["member-throttled"])
    }

    @Test func suspendedMember() {
        #expect(read(Fixture.reader(suspended: true), "(U)").codes == ["member-suspended"])
    }

    // MARK: Several reasons at once.

    @Test func everyBrokenRuleIsNamed() {
        let reader = Fixture.reader("DEU", clearance: .restricted, compartments: [], topics: ["finance"],
                                    throttled: true, suspended: true)
        let channel = Fixture.release([1], revoked: true, partnership: PartnershipTerms(status: .suspended, trust: .low))
        let decision = read(reader, "(TS//HCS//REL TO DEU)", index: 0, topics: ["terrorism"], channel: channel)
        #expect(decision.codes == [
            "release-revoked", "partnership-suspended", "portion-not-released", "trust-ceiling",
            "clearance", "compartments", "need-to-know", "member-throttled", "member-suspended",
        ])
    }

    @Test func readDoesNotApplyReleaseMarkingsToAHeldRelease() {
        // Whether a portion may go to a partner is decided at release time; the read rule
        // only asks whether the release carries it.
        #expect(read(gbrAnalyst, "(S//OC/REL TO USA, GBR)", channel: Fixture.release([0])) == .allow)
    }
}
