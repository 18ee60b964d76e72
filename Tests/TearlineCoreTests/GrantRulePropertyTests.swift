import PropertyBased
import Testing
import TearlineCore

@Suite("Grant rule properties")
struct GrantRulePropertyTests {
    static let roles = Generators.subset(of: Role.allCases.map(\.rawValue)).map { $0.compactMap(Role.init(rawValue:)) }

    static let holding = zip(Generators.organization, roles, Generators.classification, Generators.subset(of: Generators.compartmentPool))
        .map { org, roles, clearance, compartments in
            GrantHolding(organization: org, roles: roles, clearance: clearance, compartments: compartments)
        }

    /// Nobody grants more than they hold: whatever a member's grant allows is within its own access.
    @Test func anAllowedGrantIsWithinTheGranter() async {
        await propertyCheck(count: 1000, input: Self.holding, Self.holding) { granter, grant in
            let decision = GrantRule.decide(.member(granter), grants: grant)
            if decision.isAllowed {
                #expect(grant.clearance <= granter.clearance)
                #expect(grant.compartments.isSubset(of: granter.compartments))
                #expect(granter.roles.contains(.admin))
                #expect(granter.organization == grant.organization)
            }
            // The rule restated: exactly these reasons, and no others.
            var expected = DenialReasons()
            if granter.organization != grant.organization || !granter.roles.contains(.admin) {
                expected = .roleRequired
            } else if grant.clearance > granter.clearance || !grant.compartments.isSubset(of: granter.compartments) {
                expected = .grantAboveGranter
            }
            #expect(decision.reasons == expected)
        }
    }

    /// What an admin grants, the new member (made an admin) can grant again: grants never widen down a chain.
    @Test func grantsNeverWidenAlongAChain() async {
        await propertyCheck(count: 500, input: Self.holding, Self.holding, Self.holding) { first, second, third in
            var second = second
            second.organization = first.organization
            second.roles.insert(.admin)
            var third = third
            third.organization = first.organization
            guard GrantRule.decide(.member(first), grants: second).isAllowed,
                  GrantRule.decide(.member(second), grants: third).isAllowed else { return }
            #expect(third.clearance <= first.clearance)
            #expect(third.compartments.isSubset(of: first.compartments))
        }
    }

    /// The node administrator may grant anything.
    @Test func theNodeAdministratorGrantsAnything() async {
        await propertyCheck(count: 200, input: Self.holding) { grant in
            #expect(GrantRule.decide(.nodeAdmin, grants: grant) == .allow)
        }
    }
}
