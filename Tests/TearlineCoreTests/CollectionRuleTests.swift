import PropertyBased
import Testing
import TearlineCore

@Suite("Who may read, write and delete in a TAXII collection")
struct CollectionRuleTests {
    func access(_ kind: CollectionKind, owner: String? = "USA", readers: [String] = [], writers: [String] = [], _ org: String, suspended: Bool = false) -> CollectionAccess {
        CollectionRule.access(kind: kind, owner: owner, readers: readers, writers: writers, organization: org, memberSuspended: suspended)
    }

    @Test func holdingsAreTheOwnersToReadAndWrite() {
        #expect(access(.holdings, "USA") == CollectionAccess(canRead: true, canWrite: true))
        #expect(access(.holdings, "GBR") == CollectionAccess(canRead: false, canWrite: false), "a partner does not even see them")
        #expect(!access(.holdings, "GBR").isVisible)
    }

    @Test func receivedReleasesAreReadOnlyAndOnlyForTheRecipient() {
        #expect(access(.received, "USA") == CollectionAccess(canRead: true, canWrite: false))
        #expect(!access(.received, "GBR").isVisible)
    }

    @Test func communityCollectionsFollowTheirListsSeparately() {
        let readOnly = access(.community, owner: nil, readers: ["USA", "GBR"], writers: ["USA"], "GBR")
        #expect(readOnly == CollectionAccess(canRead: true, canWrite: false))
        let writeOnly = access(.community, owner: nil, readers: ["USA"], writers: ["GBR"], "GBR")
        #expect(writeOnly == CollectionAccess(canRead: false, canWrite: true) && writeOnly.isVisible)
        #expect(!access(.community, owner: nil, readers: ["USA"], writers: ["USA"], "FRA").isVisible)
    }

    @Test func aSuspendedMemberStillSeesButNeverWrites() {
        #expect(access(.holdings, "USA", suspended: true) == CollectionAccess(canRead: true, canWrite: false))
        #expect(access(.community, owner: nil, readers: ["USA"], writers: ["USA"], "USA", suspended: true) == CollectionAccess(canRead: true, canWrite: false))
    }

    @Test func onlyThePostingOrganisationDeletes() {
        #expect(CollectionRule.mayDelete(postedBy: "USA", organization: "USA"))
        #expect(!CollectionRule.mayDelete(postedBy: "USA", organization: "GBR"))
    }

    @Test func noOrganisationReachesAnothersHoldingsOrReceivedReleases() async {
        await propertyCheck(count: 300, input: Generators.organization, Generators.organization, Gen.bool(0.5), Gen.bool(0.3)) { owner, org, received, suspended in
            let kind: CollectionKind = received ? .received : .holdings
            let a = CollectionRule.access(kind: kind, owner: owner, readers: [org], writers: [org], organization: org, memberSuspended: suspended)
            // The readers and writers lists never open an organisation's own collections to another.
            #expect(a.isVisible == (owner == org))
            #expect(!a.canWrite || (kind == .holdings && owner == org && !suspended))
        }
    }
}
