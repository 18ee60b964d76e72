import Testing
import TearlineCore

@Suite("Throttle lift rule")
struct ThrottleLiftRuleTests {
    static func security(_ id: String = "mem_sec", org: String = "USA", appointedBy: Set<String> = [],
                         suspended: Bool = false, throttled: Bool = false, roles: [Role] = [.security]) -> Lifter {
        .member(LifterFacts(id: id, organization: org, roles: roles, isSuspended: suspended, isThrottled: throttled, appointedBy: appointedBy))
    }

    @Test func anIndependentSecurityMemberLifts() {
        #expect(ThrottleLiftRule.decide(Self.security(appointedBy: ["mem_admin"]), lifts: "mem_analyst", of: "USA") == .allow)
    }

    @Test func nobodyLiftsTheirOwnThrottle() {
        #expect(ThrottleLiftRule.decide(Self.security("mem_analyst"), lifts: "mem_analyst", of: "USA") == .deny(.conflictOfInterest))
    }

    @Test func theThrottledMembersAppointeeDoesNotLift() {
        // The case: a throttled admin created a security member to lift its own throttle.
        #expect(ThrottleLiftRule.decide(Self.security(appointedBy: ["mem_admin"]), lifts: "mem_admin", of: "USA") == .deny(.conflictOfInterest))
        // Nor through a member it appointed, who appointed the lifter.
        #expect(ThrottleLiftRule.decide(Self.security(appointedBy: ["mem_deputy", "mem_admin"]), lifts: "mem_admin", of: "USA")
                    == .deny(.conflictOfInterest))
    }

    @Test func onlyAnActiveSecurityMemberOfTheOrganisationLifts() {
        #expect(ThrottleLiftRule.decide(Self.security(roles: [.admin]), lifts: "mem_analyst", of: "USA") == .deny(.roleRequired))
        #expect(ThrottleLiftRule.decide(Self.security(suspended: true), lifts: "mem_analyst", of: "USA") == .deny(.memberSuspended))
        #expect(ThrottleLiftRule.decide(Self.security(throttled: true), lifts: "mem_analyst", of: "USA") == .deny(.memberThrottled))
        #expect(ThrottleLiftRule.decide(Self.security(org: "GBR"), lifts: "mem_analyst", of: "USA") == .deny(.noAccessPath))
    }

    @Test func theNodeAdministratorAlwaysLifts() {
        #expect(ThrottleLiftRule.decide(.nodeAdmin, lifts: "mem_analyst", of: "USA") == .allow)
    }
}
