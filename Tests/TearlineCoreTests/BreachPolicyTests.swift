import Testing
import TearlineCore

@Suite("Breach policy")
struct BreachPolicyTests {
    @Test func breachCodesAreStable() {
        #expect(BreachKind.allCases.map(\.rawValue) == ["leak-traced", "refused-forward", "consent-violation"])
        #expect(BreachKind(rawValue: "refused-forward") == .refusedForward)
        #expect(BreachResponse.allCases.map(\.rawValue) == ["recommend", "automatic"])
    }

    @Test(arguments: [
        (TrustLevel.full, TrustLevel.high),
        (.high, .low),
        (.low, .limited),
        (.limited, .minimal),
        (.minimal, .none),
    ])
    func downgradeIsOneStepDown(from: TrustLevel, to: TrustLevel) {
        #expect(TrustResponse.downgrade(from: from) == to)
    }

    @Test func downgradeStopsAtNone() {
        // why: `none` is the lowest level; there is nothing below it to fall to.
        #expect(TrustResponse.downgrade(from: .none) == .none)
    }

    @Test func downgradeLowersTheCeilingByExactlyOneLevel() {
        // No level lies strictly between a level and its downgrade.
        for level in TrustLevel.allCases where level != .none {
            let lower = TrustResponse.downgrade(from: level)
            #expect(lower < level)
            #expect(!TrustLevel.allCases.contains { lower < $0 && $0 < level }, "\(level) skipped a level")
        }
    }
}
