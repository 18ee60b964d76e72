import PropertyBased
import Testing
import TearlineCore

@Suite("Rules of sharing between nodes")
struct FederationRuleTests {
    @Test func aNodeActsOnlyWithAKeyPinnedForTheOrganisation() {
        #expect(FederationRule.admits(presentedPin: "sha256/a", pinnedFor: ["sha256/a", "sha256/b"]))
        #expect(!FederationRule.admits(presentedPin: "sha256/c", pinnedFor: ["sha256/a"]))
        #expect(!FederationRule.admits(presentedPin: nil, pinnedFor: ["sha256/a"]), "no certificate, no node")
        #expect(!FederationRule.admits(presentedPin: "sha256/a", pinnedFor: []))
    }

    @Test func aNodeSpeaksOnlyAboutReleasesToItsOwnOrganisationFromHere() {
        #expect(FederationRule.maySpeakAbout(releaseRecipient: "GBR", originatorIsHostedHere: true, speaker: "GBR"))
        #expect(!FederationRule.maySpeakAbout(releaseRecipient: "FRA", originatorIsHostedHere: true, speaker: "GBR"), "another recipient's release")
        #expect(!FederationRule.maySpeakAbout(releaseRecipient: "GBR", originatorIsHostedHere: false, speaker: "GBR"), "a copy this node itself received")
    }

    static let sides = PartnershipSides(first: "GBR", second: "USA", firstStance: PartnershipStance(trust: .high),
                                        secondStance: PartnershipStance(trust: .high))

    @Test func theRecipientNodeAppliesTheOriginatorsOwnStance() {
        // USA's node reports that USA lowered its trust in GBR and suspended.
        let mirrored = FederationRule.mirror(reported: PartnershipStance(trust: .low, suspended: true), of: "USA", onto: Self.sides)
        #expect(mirrored.terms(releasesFrom: "USA") == PartnershipTerms(status: .suspended, trust: .low))
        #expect(mirrored.stance(of: "GBR") == PartnershipStance(trust: .high), "GBR's own stance is GBR's")
        // USA lifts: the lift is honoured.
        let lifted = FederationRule.mirror(reported: PartnershipStance(trust: .low), of: "USA", onto: mirrored)
        #expect(lifted.status == .active)
    }

    @Test func aSuspensionTheRecipientMadeIsNeverLiftedByTheOriginatorsNode() {
        let gbrSuspended = Self.sides.setting(PartnershipStance(trust: .high, suspended: true), for: "GBR")
        let mirrored = FederationRule.mirror(reported: PartnershipStance(trust: .full), of: "USA", onto: gbrSuspended)
        #expect(mirrored.status == .suspended)
        #expect(mirrored.suspendedBy == ["GBR"])
    }

    @Test func whateverTheOriginatorReportsTheRecipientsStanceStands() async {
        let stance = zip(Generators.trust, Gen.bool(0.5)).map { PartnershipStance(trust: $0, suspended: $1) }
        await propertyCheck(count: 200, input: stance, stance) { reported, own in
            let local = Self.sides.setting(own, for: "GBR")
            let mirrored = FederationRule.mirror(reported: reported, of: "USA", onto: local)
            #expect(mirrored.stance(of: "GBR") == own)
            #expect(mirrored.stance(of: "USA") == reported)
        }
    }
}
