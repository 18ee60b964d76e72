import PropertyBased
import Testing
import TearlineCore

@Suite("The role table")
struct RoleRuleTests {
    @Test func everyDutyHasItsRoles() {
        for duty in Duty.allCases { #expect(RoleRule.table[duty]?.isEmpty == false, "\(duty)") }
    }

    @Test func onlyAReleaserReleasesAndDecides() {
        for duty in [Duty.release, .decide, .setDiscoverability] {
            #expect(RoleRule.permits(duty, roles: [.releaser]))
            for role in Role.allCases where role != .releaser { #expect(!RoleRule.permits(duty, roles: [role]), "\(role) \(duty)") }
        }
    }

    @Test func onlySecurityInvestigates() {
        #expect(RoleRule.permits(.investigate, roles: [.security]))
        for role in Role.allCases where role != .security { #expect(!RoleRule.permits(.investigate, roles: [role]), "\(role)") }
    }

    @Test func onlyAnAdminAdministers() {
        #expect(RoleRule.permits(.administer, roles: [.admin]))
        #expect(!RoleRule.permits(.administer, roles: [.analyst, .releaser, .security, .liaison]))
        #expect(RoleRule.permits(.grantReleases, roles: [.admin]) && !RoleRule.permits(.grantReleases, roles: [.releaser]))
    }

    @Test func analystsAndReleasersWriteAndAsk() {
        for duty in [Duty.writeReports, .askForInformation] {
            #expect(RoleRule.permits(duty, roles: [.analyst]) && RoleRule.permits(duty, roles: [.releaser]))
            #expect(!RoleRule.permits(duty, roles: [.security, .admin, .liaison]))
        }
    }

    @Test func aLiaisonOnlyWatches() {
        for duty in Duty.allCases { #expect(!RoleRule.permits(duty, roles: [.liaison]), "\(duty)") }
    }

    @Test func noRolesNoDuties() async {
        for duty in Duty.allCases { #expect(!RoleRule.permits(duty, roles: [Role]())) }
    }

    /// More roles never take a duty away, and a duty is permitted exactly when one role carries it.
    @Test func dutiesGrowWithRoles() async {
        let roles = Gen.int(in: 0...((1 << Role.allCases.count) - 1)).map { mask in
            Role.allCases.indices.filter { mask & (1 << $0) != 0 }.map { Role.allCases[$0] }
        }
        await propertyCheck(count: 200, input: roles, roles) { some, more in
            for duty in Duty.allCases {
                if RoleRule.permits(duty, roles: some) { #expect(RoleRule.permits(duty, roles: some + more)) }
                #expect(RoleRule.permits(duty, roles: some) == some.contains { RoleRule.permits(duty, roles: [$0]) })
            }
        }
    }
}
