import Testing
import TearlineCore

@Suite("Grant rule")
struct GrantRuleTests {
    static func holding(org: String = "USA", roles: [Role] = [.admin], _ clearance: Classification, _ compartments: [String] = [])
        -> GrantHolding {
        GrantHolding(organization: org, roles: roles, clearance: clearance, compartments: compartments)
    }

    @Test func anAdminGrantsUpToWhatItHolds() {
        let admin = Granter.member(Self.holding(.secret, ["SI"]))
        #expect(GrantRule.decide(admin, grants: Self.holding(roles: [.analyst], .secret, ["SI"])) == .allow)
        #expect(GrantRule.decide(admin, grants: Self.holding(roles: [.analyst], .confidential)) == .allow)
    }

    @Test func aSecretAdminDoesNotMakeATopSecretHCSMember() {
        // The case: an admin cleared SECRET created a member cleared TOP SECRET with HCS.
        let admin = Granter.member(Self.holding(.secret))
        #expect(GrantRule.decide(admin, grants: Self.holding(roles: [.analyst], .topSecret, ["HCS"])) == .deny(.grantAboveGranter))
        #expect(GrantRule.decide(admin, grants: Self.holding(roles: [.analyst], .topSecret)) == .deny(.grantAboveGranter))
        #expect(GrantRule.decide(admin, grants: Self.holding(roles: [.analyst], .secret, ["HCS"])) == .deny(.grantAboveGranter))
    }

    @Test func onlyAnAdminOfTheSameOrganisationGrants() {
        let analyst = Granter.member(Self.holding(roles: [.analyst, .security], .topSecret))
        #expect(GrantRule.decide(analyst, grants: Self.holding(roles: [.analyst], .secret)) == .deny(.roleRequired))
        let foreign = Granter.member(Self.holding(org: "GBR", .topSecret))
        #expect(GrantRule.decide(foreign, grants: Self.holding(roles: [.analyst], .secret)) == .deny(.roleRequired))
        #expect(GrantRule.decide(analyst, grants: Self.holding(roles: [.analyst], .topSecret, ["HCS"])) == .deny(.roleRequired))
    }

    @Test func anAdminAppointsRolesItDoesNotHold() {
        // The admin role is the authority to staff the organisation.
        let admin = Granter.member(Self.holding(.secret))
        #expect(GrantRule.decide(admin, grants: Self.holding(roles: [.security, .releaser, .liaison], .secret)) == .allow)
    }

    @Test func theNodeAdministratorIsExempt() {
        #expect(GrantRule.decide(.nodeAdmin, grants: Self.holding(roles: [.admin], .topSecret, ["HCS", "SI"])) == .allow)
        #expect(GrantRule.isExempt(.nodeAdmin))
        #expect(!GrantRule.isExempt(.member(Self.holding(.topSecret))))
    }
}
