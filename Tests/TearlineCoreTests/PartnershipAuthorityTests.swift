import PropertyBased
import Testing
import TearlineCore

@Suite("Directional trust: who may change what in a partnership, and organisation ids")
struct PartnershipAuthorityTests {
    static let high = PartnershipStance(trust: .high)
    static let usaGBR = PartnershipSides(first: "GBR", second: "USA", firstStance: high, secondStance: high)

    static func applied(_ change: PartnershipChange, by actor: String, to sides: PartnershipSides) -> PartnershipSides? {
        try? PartnershipAuthority.apply(change, by: actor, to: sides).get()
    }

    @Test func eachSideSetsOnlyItsOwnTrustInTheOther() throws {
        // GBR sets "its" partnership with USA to full: only GBR's trust in USA moves.
        let after = try #require(Self.applied(.trust(.full), by: "GBR", to: Self.usaGBR))
        #expect(after.stance(of: "GBR")?.trust == .full)
        #expect(after.stance(of: "USA")?.trust == .high, "USA's trust in GBR is USA's alone")
        // What USA releases to GBR (and GBR reads of it) follows USA's trust; the reverse follows GBR's.
        #expect(after.terms(releasesFrom: "USA").trust == .high)
        #expect(after.terms(releasesFrom: "GBR").trust == .full)
    }

    @Test func aSuspensionStandsUntilTheSideThatImposedItLiftsIt() throws {
        let suspended = try #require(Self.applied(.suspend, by: "USA", to: Self.usaGBR))
        #expect(suspended.status == .suspended)
        #expect(suspended.suspendedBy == ["USA"])
        #expect(!suspended.terms(releasesFrom: "USA").isActive && !suspended.terms(releasesFrom: "GBR").isActive, "both directions stop")
        // GBR, which did not impose it, cannot lift it.
        #expect(PartnershipAuthority.apply(.lift, by: "GBR", to: suspended) == .failure(.imposedByPartner("USA")))
        // USA lifts it.
        let lifted = try #require(Self.applied(.lift, by: "USA", to: suspended))
        #expect(lifted.status == .active)
        #expect(lifted.suspendedBy.isEmpty)
    }

    @Test func whenBothSidesSuspendedBothMustLift() throws {
        let usa = try #require(Self.applied(.suspend, by: "USA", to: Self.usaGBR))
        let both = try #require(Self.applied(.suspend, by: "GBR", to: usa))
        #expect(both.suspendedBy == ["GBR", "USA"])
        let gbrLifted = try #require(Self.applied(.lift, by: "GBR", to: both))
        #expect(gbrLifted.status == .suspended, "USA's suspension still stands")
        #expect(gbrLifted.suspendedBy == ["USA"])
        let usaLifted = try #require(Self.applied(.lift, by: "USA", to: gbrLifted))
        #expect(usaLifted.status == .active)
    }

    @Test func theWeakerSideOfAHierarchyCannotUndoTheDominantSidesWithdrawal() throws {
        // Story 2: USA, dominant over DEU, withdraws support; DEU cannot restore it.
        let low = PartnershipStance(trust: .low)
        let usaDEU = PartnershipSides(first: "DEU", second: "USA", firstStance: low, secondStance: low)
        let withdrawn = try #require(Self.applied(.suspend, by: "USA", to: usaDEU))
        #expect(PartnershipAuthority.apply(.lift, by: "DEU", to: withdrawn) == .failure(.imposedByPartner("USA")))
        // DEU raising its own trust in USA does not raise what USA releases to DEU.
        let raised = try #require(Self.applied(.trust(.full), by: "DEU", to: withdrawn))
        #expect(raised.terms(releasesFrom: "USA") == PartnershipTerms(status: .suspended, trust: .low))
    }

    @Test func liftingWhatNobodySuspendedChangesNothing() throws {
        #expect(Self.applied(.lift, by: "GBR", to: Self.usaGBR) == Self.usaGBR)
    }

    @Test func anOutsiderChangesNothing() {
        #expect(PartnershipAuthority.apply(.trust(.full), by: "DEU", to: Self.usaGBR) == .failure(.notASide))
        #expect(PartnershipAuthority.apply(.lift, by: "DEU", to: Self.usaGBR) == .failure(.notASide))
        #expect(Self.usaGBR.terms(releasesFrom: "DEU") == .none)
    }

    /// Random changes by random actors: a side's trust moves only by its own change, and a side's
    /// suspension ends only by its own lift.
    @Test func nobodyChangesTheOtherSidesStance() async {
        let actor = Gen.int(in: 0...2).map { ["GBR", "USA", "DEU"][$0] }
        let change = zip(Gen.int(in: 0...2), Generators.trust).map { kind, trust -> PartnershipChange in
            switch kind {
            case 0: .trust(trust)
            case 1: .suspend
            default: .lift
            }
        }
        let steps = zip(actor, change).array(of: 1...12)
        await propertyCheck(count: 300, input: steps) { steps in
            var sides = Self.usaGBR
            for (actor, change) in steps {
                let before = sides
                switch PartnershipAuthority.apply(change, by: actor, to: sides) {
                case .success(let after):
                    for side in ["GBR", "USA"] where side != actor {
                        #expect(after.stance(of: side) == before.stance(of: side), "\(actor) changed \(side)'s stance")
                    }
                    sides = after
                case .failure(.notASide):
                    #expect(!before.involves(actor))
                case .failure(.imposedByPartner(let imposer)):
                    #expect(before.stance(of: imposer)?.suspended == true && before.stance(of: actor)?.suspended == false)
                }
                #expect((sides.status == .active) == sides.suspendedBy.isEmpty)
            }
        }
    }

    /// What a recipient reads of a release and what the originator may release to it depend on the
    /// originator's stance, never on the recipient's own trust in the originator.
    @Test func theRecipientsOwnTrustNeverRaisesWhatItReadsOrReceives() async {
        let stance = zip(Generators.trust, Gen.bool(0.2)).map { PartnershipStance(trust: $0, suspended: $1) }
        await propertyCheck(count: 500, input: Generators.marking, stance, Generators.trust, Generators.reader) { marking, usa, gbrTrust, reader in
            let low = PartnershipSides(first: "GBR", second: "USA", firstStance: PartnershipStance(trust: .none), secondStance: usa)
            let high = low.setting(PartnershipStance(trust: gbrTrust), for: "GBR")
            for sides in [low, high] {
                let terms = sides.terms(releasesFrom: "USA")
                let read = DecisionRule.read(reader, portionIndex: 0, marking: marking, reportTopics: reader.topicTags,
                                             hasGrant: true, channel: .release(ReleaseFacts(portions: PortionSet([0]), revoked: false, partnership: terms)))
                if read.isAllowed { #expect(usa.trust.ceiling.map { marking.classification <= $0 } == true && !usa.suspended) }
                let release = DecisionRule.release(marking: marking, sourcesAndMethods: false, originator: "USA", partner: "GBR",
                                                   partnership: terms, orconApproved: true)
                if release.isAllowed { #expect(usa.trust.ceiling.map { marking.classification <= $0 } == true && !usa.suspended) }
            }
            #expect(low.terms(releasesFrom: "USA") == high.terms(releasesFrom: "USA"))
        }
    }

    @Test(arguments: ["USA", "GBR", "IAEA", "USA-FBI", "NATO-1", "A"])
    func validOrganisationIds(id: String) {
        #expect(OrganizationID.isValid(id))
    }

    @Test(arguments: ["", "usa", "1USA", "-USA", "USA-", "US A", "USA/GBR", "ABCDEFGHIJKLMNOPQ", "ÜSA"])
    func invalidOrganisationIds(id: String) {
        #expect(!OrganizationID.isValid(id))
    }
}
