import Testing
import TearlineCore

@Suite("Trust level")
struct TrustLevelTests {
    @Test func ceilings() {
        #expect(TrustLevel.none.ceiling == nil)
        #expect(TrustLevel.minimal.ceiling == .unclassified)
        #expect(TrustLevel.limited.ceiling == .restricted)
        #expect(TrustLevel.low.ceiling == .confidential)
        #expect(TrustLevel.high.ceiling == .secret)
        #expect(TrustLevel.full.ceiling == .topSecret)
    }

    @Test func moreTrustNeverLowersTheCeiling() {
        let levels = TrustLevel.allCases.sorted()
        for (lower, higher) in zip(levels, levels.dropFirst()) {
            #expect(lower < higher)
            let low = lower.ceiling.map { $0.rawValue } ?? -1
            let high = higher.ceiling.map { $0.rawValue } ?? -1
            #expect(low < high, "\(higher) must allow more than \(lower)")
        }
    }

    @Test func namesRoundTrip() {
        #expect(TrustLevel.allCases.map(\.name) == ["none", "minimal", "limited", "low", "high", "full"])
        for level in TrustLevel.allCases { #expect(TrustLevel(name: level.name) == level) }
        #expect(TrustLevel(name: "HIGH") == nil)
        #expect(TrustLevel(name: "total") == nil)
    }

    @Test func partnershipIsActiveOnlyWhenActive() {
        #expect(PartnershipTerms(status: .active, trust: .none).isActive)
        #expect(!PartnershipTerms(status: .suspended, trust: .full).isActive)
    }
}
