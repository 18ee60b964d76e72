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

    @Test func theOriginatorsChangesApplyButItsRepetitionsDoNot() {
        // The originator suspends: the recipient's record follows.
        #expect(FederationRule.statusToApply(reported: .suspended, previouslyReported: .active, local: .active) == .suspended)
        #expect(FederationRule.statusToApply(reported: .suspended, previouslyReported: nil, local: .active) == .suspended)
        // It reactivates what it had suspended.
        #expect(FederationRule.statusToApply(reported: .active, previouslyReported: .suspended, local: .suspended) == .active)
        // The recipient suspended on its own; the originator stays active: nothing changes.
        #expect(FederationRule.statusToApply(reported: .active, previouslyReported: .active, local: .suspended) == nil)
        #expect(FederationRule.statusToApply(reported: .active, previouslyReported: nil, local: .suspended) == nil)
        // Already as reported.
        #expect(FederationRule.statusToApply(reported: .suspended, previouslyReported: .active, local: .suspended) == nil)
    }

    @Test func aSuspensionOnEitherSideIsNeverLiftedByARepeat() async {
        let status = Gen.bool(0.5).map { $0 ? PartnershipStatus.active : .suspended }
        await propertyCheck(count: 200, input: status, status) { reported, local in
            // The same report twice in a row changes nothing the second time.
            #expect(FederationRule.statusToApply(reported: reported, previouslyReported: reported, local: local) == nil)
        }
    }
}
