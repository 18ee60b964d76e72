import PropertyBased
import Testing
import TearlineCore

/// A release whose portion `i` has classification `levels[i]`.
private func exposure(_ id: String, _ levels: [Classification]) -> ReleaseExposure {
    ReleaseExposure(releaseId: id, portions: levels.enumerated().map { ExposedPortion(index: $0, classification: $1) })
}

@Suite("Trust what-if")
struct TrustWhatIfTests {
    /// A release made at `high` trust (ceiling SECRET), one portion at each level up to SECRET.
    let madeAtHigh = exposure("rel-1", [.unclassified, .restricted, .confidential, .secret])
    let allUnclassified = exposure("rel-2", [.unclassified, .unclassified])

    @Test func loweringLosesExactlyThePortionsAboveTheNewCeiling() {
        // why: at `low` the ceiling is CONFIDENTIAL; only the SECRET portion goes.
        let losses = TrustWhatIf.losses([madeAtHigh], at: .low)
        #expect(losses == [ReleaseLoss(releaseId: "rel-1", lostPortions: [3], keptPortions: [0, 1, 2])])
        #expect(TrustWhatIf.losses([madeAtHigh], at: .minimal)
            == [ReleaseLoss(releaseId: "rel-1", lostPortions: [1, 2, 3], keptPortions: [0])])
    }

    @Test func raisingBackLosesNone() {
        for level in [TrustLevel.high, .full] {
            #expect(TrustWhatIf.losses([madeAtHigh, allUnclassified], at: level).isEmpty)
            #expect(TrustWhatIf.totalLostPortions([madeAtHigh, allUnclassified], at: level) == 0)
        }
    }

    @Test func levelNoneLosesEverything() {
        // why: `none` has no ceiling; nothing may cross, not even UNCLASSIFIED.
        let losses = TrustWhatIf.losses([madeAtHigh, allUnclassified], at: .none)
        #expect(losses == [
            ReleaseLoss(releaseId: "rel-1", lostPortions: [0, 1, 2, 3], keptPortions: []),
            ReleaseLoss(releaseId: "rel-2", lostPortions: [0, 1], keptPortions: []),
        ])
        #expect(TrustWhatIf.totalLostPortions([madeAtHigh, allUnclassified], at: .none) == 6)
    }

    @Test func onlyReleasesThatLoseSomethingAreListed() {
        let losses = TrustWhatIf.losses([allUnclassified, madeAtHigh], at: .limited)
        #expect(losses.map(\.releaseId) == ["rel-1"])
        #expect(losses.first?.lostPortions == [2, 3])
    }

    @Test func totalCountsLostPortionsAcrossReleases() {
        let topSecret = exposure("rel-3", [.topSecret, .secret, .unclassified])
        #expect(TrustWhatIf.totalLostPortions([madeAtHigh, topSecret, allUnclassified], at: .low) == 3)
        #expect(TrustWhatIf.totalLostPortions([madeAtHigh, topSecret], at: .high) == 1)
    }

    @Test func portionIndexesAreReportedNotPositions() {
        let sparse = ReleaseExposure(releaseId: "rel-4", portions: [
            ExposedPortion(index: 7, classification: .secret), ExposedPortion(index: 254, classification: .unclassified),
        ])
        #expect(TrustWhatIf.losses([sparse], at: .low)
            == [ReleaseLoss(releaseId: "rel-4", lostPortions: [7], keptPortions: [254])])
    }

    @Test func lostExactlyWhenTheReadRuleDeniesForTrustCeiling() async {
        // why: the what-if must predict what DecisionRule.read will do once trust changes.
        await propertyCheck(count: 500, input: Generators.marking.array(of: 1...8), Generators.trust, Generators.reader,
                            Gen.bool(0.8), Gen.bool(0.2)) { markings, trust, reader, active, revoked in
            let release = ReleaseExposure(
                releaseId: "rel", portions: markings.enumerated().map { ExposedPortion(index: $0, classification: $1.classification) })
            let channel = ReadChannel.release(ReleaseFacts(
                portions: PortionSet(markings.indices), revoked: revoked,
                partnership: PartnershipTerms(status: active ? .active : .suspended, trust: trust)))
            let lost = Set(TrustWhatIf.losses([release], at: trust).first?.lostPortions ?? [])
            var denied = 0
            for (index, marking) in markings.enumerated() {
                let decision = DecisionRule.read(reader, portionIndex: index, marking: marking,
                                                 reportTopics: TagSet(["terrorism"]), hasGrant: true, channel: channel)
                let deniedForTrust = decision.reasons.contains(.trustCeiling)
                if deniedForTrust { denied += 1 }
                #expect(lost.contains(index) == deniedForTrust, "portion \(index) \(marking) at \(trust)")
                #expect(TrustWhatIf.isLost(marking.classification, at: trust) == deniedForTrust)
            }
            #expect(TrustWhatIf.totalLostPortions([release], at: trust) == denied)
        }
    }
}
