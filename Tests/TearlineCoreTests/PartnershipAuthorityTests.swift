import Testing
import TearlineCore

@Suite("Who may change a partnership, and organisation ids")
struct PartnershipAuthorityTests {
    @Test func eitherPeerMaySuspend() {
        for actor in ["USA", "GBR"] {
            #expect(PartnershipAuthority.maySetStatus(kind: .peer, dominant: nil, sides: ("USA", "GBR"), actor: actor))
        }
        #expect(!PartnershipAuthority.maySetStatus(kind: .peer, dominant: nil, sides: ("USA", "GBR"), actor: "DEU"))
    }

    @Test func onlyTheDominantSideWithdrawsSupport() {
        // Story 2: USA, dominant over DEU, suspends the partnership; DEU cannot.
        #expect(PartnershipAuthority.maySetStatus(kind: .hierarchical, dominant: "USA", sides: ("USA", "DEU"), actor: "USA"))
        #expect(!PartnershipAuthority.maySetStatus(kind: .hierarchical, dominant: "USA", sides: ("USA", "DEU"), actor: "DEU"))
        #expect(!PartnershipAuthority.maySetStatus(kind: .hierarchical, dominant: "USA", sides: ("USA", "DEU"), actor: "GBR"))
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
