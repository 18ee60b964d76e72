import Testing
import TearlineCore

@Suite("Denial reasons")
struct DenialReasonsTests {
    @Test func codesAreStable() {
        #expect(DenialReasons.catalogue.map(\.1) == [
            "no-access-path", "release-revoked", "partnership-suspended", "portion-not-released", "trust-ceiling",
            "clearance", "compartments", "need-to-know", "member-throttled", "member-suspended",
            "no-partnership", "sources-and-methods", "noforn", "not-rel-to", "orcon-not-approved", "tlp-red",
            "self-release", "third-party-rule", "role-required", "marking-above-author", "bad-signature",
            "imposed-by-partner", "grant-above-granter", "conflict-of-interest",
        ])
    }

    @Test func everyReasonIsOneDistinctBit() {
        var seen = DenialReasons()
        for (reason, code) in DenialReasons.catalogue {
            #expect(reason.rawValue.nonzeroBitCount == 1, "\(code)")
            #expect(seen.isDisjoint(with: reason), "\(code) shares a bit")
            seen.formUnion(reason)
        }
        #expect(seen.rawValue.nonzeroBitCount == DenialReasons.catalogue.count)
    }

    @Test func codesFollowTheCatalogueOrder() {
        let reasons: DenialReasons = [.memberSuspended, .noAccessPath, .clearance]
        #expect(reasons.codes == ["no-access-path", "clearance", "member-suspended"])
        #expect(DenialReasons().codes == [])
    }

    @Test func codesRoundTrip() {
        for (reason, code) in DenialReasons.catalogue {
            #expect(reason.codes == [code])
            #expect(DenialReasons(codes: [code]) == reason)
        }
        let all = DenialReasons(codes: DenialReasons.catalogue.map(\.1))
        #expect(all.codes == DenialReasons.catalogue.map(\.1))
    }

    @Test func unknownCodesAreIgnored() {
        #expect(DenialReasons(codes: ["clearance", "no-such-reason"]) == .clearance)
    }

    @Test func decisionCarriesReasonsOnlyWhenDenied() {
        #expect(Decision.allow.isAllowed)
        #expect(Decision.allow.reasons == [])
        let deny = Decision.deny([.noforn, .tlpRed])
        #expect(!deny.isAllowed)
        #expect(deny.reasons.codes == ["noforn", "tlp-red"])
    }
}
