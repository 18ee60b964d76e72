import PropertyBased
import Testing
import TearlineCore

/// The rule for STIX holdings posted to TAXII collections (``DecisionRule/shared``).
@Suite("Shared holdings rule")
struct SharedRuleTests {
    let gbrAnalyst = Reader(organization: "GBR", clearance: .secret, topics: ["cti"])
    let active = PartnershipTerms(status: .active, trust: .high)

    func label(_ text: String) throws -> MarkingLabel { try Marking.parse(text).label }

    func decide(_ reader: Reader, _ marking: String, owner: String = "USA", topics: [String] = [], member: Bool = true,
                partnership: PartnershipTerms?) throws -> Set<String> {
        Set(DecisionRule.shared(reader, holding: SharedHolding(owner: owner, marking: try label(marking), topics: TagSet(topics)),
                                isCollectionReader: member, partnership: partnership).reasons.codes)
    }

    @Test func tlpContentCrossesToCommunityMembers() throws {
        for tlp in ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT"] {
            #expect(try decide(gbrAnalyst, "UNCLASSIFIED//TLP:\(tlp)", partnership: active).isEmpty, "TLP:\(tlp)")
            // TLP sharing among community members needs no partnership…
            #expect(try decide(gbrAnalyst, "UNCLASSIFIED//TLP:\(tlp)", partnership: nil).isEmpty, "TLP:\(tlp) without partnership")
        }
    }

    @Test func tlpRedStaysWithThePoster() throws {
        #expect(try decide(gbrAnalyst, "UNCLASSIFIED//TLP:RED", partnership: active) == ["tlp-red"])
        let usa = Reader(organization: "USA", clearance: .unclassified)
        #expect(try decide(usa, "UNCLASSIFIED//TLP:RED", partnership: nil).isEmpty)
    }

    @Test func nonMembersOfTheCollectionReadNothing() throws {
        #expect(try decide(gbrAnalyst, "UNCLASSIFIED//TLP:CLEAR", member: false, partnership: active) == ["no-access-path"])
        let usa = Reader(organization: "USA", clearance: .topSecret)
        #expect(try decide(usa, "UNCLASSIFIED//TLP:CLEAR", member: false, partnership: nil) == ["no-access-path"])
    }

    @Test func classifiedContentNeedsRelToPartnershipTrustAndClearance() throws {
        #expect(try decide(gbrAnalyst, "SECRET//REL TO USA, GBR", partnership: active).isEmpty)
        #expect(try decide(gbrAnalyst, "SECRET//REL TO USA, DEU", partnership: active) == ["not-rel-to"])
        #expect(try decide(gbrAnalyst, "SECRET", partnership: active) == ["not-rel-to"])
        #expect(try decide(gbrAnalyst, "SECRET//REL TO USA, GBR", partnership: nil) == ["no-partnership"])
        #expect(try decide(gbrAnalyst, "SECRET//REL TO USA, GBR", partnership: PartnershipTerms(status: .active, trust: .low)) == ["trust-ceiling"])
        #expect(try decide(gbrAnalyst, "SECRET//REL TO USA, GBR", partnership: PartnershipTerms(status: .suspended, trust: .high)) == ["partnership-suspended"])
        #expect(try decide(gbrAnalyst, "TOP SECRET//REL TO USA, GBR", partnership: PartnershipTerms(status: .active, trust: .full)) == ["clearance"])
        #expect(try decide(gbrAnalyst, "SECRET//NOFORN", partnership: active).isSuperset(of: ["noforn"]))
        #expect(try decide(gbrAnalyst, "SECRET//ORCON/REL TO USA, GBR", partnership: active) == ["orcon-not-approved"])
        #expect(try decide(gbrAnalyst, "SECRET//HCS//REL TO USA, GBR", partnership: active) == ["compartments"])
    }

    @Test func aSuspendedPartnershipStopsTLPSharingToo() throws {
        #expect(try decide(gbrAnalyst, "UNCLASSIFIED//TLP:GREEN", partnership: PartnershipTerms(status: .suspended, trust: .high)) == ["partnership-suspended"])
    }

    @Test func collectionTopicsAreNeedToKnow() throws {
        #expect(try decide(gbrAnalyst, "UNCLASSIFIED//TLP:GREEN", topics: ["cti"], partnership: active).isEmpty)
        #expect(try decide(gbrAnalyst, "UNCLASSIFIED//TLP:GREEN", topics: ["maritime"], partnership: active) == ["need-to-know"])
    }

    @Test func throttledAndSuspendedMembersReadNothing() throws {
        var reader = gbrAnalyst
        reader.isThrottled = true
        #expect(try decide(reader, "UNCLASSIFIED//TLP:CLEAR", partnership: active) == ["member-throttled"])
        reader.isThrottled = false
        reader.isSuspended = true
        #expect(try decide(reader, "UNCLASSIFIED//TLP:CLEAR", partnership: active) == ["member-suspended"])
    }

    /// The rule restated plainly, with sets and ranks, for the property below.
    static func reference(_ reader: Reader, marking: Marking, owner: String, topics: [String], member: Bool, partnership: PartnershipTerms?) -> Set<String> {
        var reasons = Set<String>()
        if !member { reasons.insert("no-access-path") }
        if reader.organization != owner {
            if marking.tlp == .red { reasons.insert("tlp-red") }
            if marking.noforn { reasons.insert("noforn") }
            if marking.orcon { reasons.insert("orcon-not-approved") }
            let restricts = marking.classification != .unclassified || marking.relTo != nil
            if restricts && !(marking.relTo ?? []).contains(reader.organization) { reasons.insert("not-rel-to") }
            if let partnership {
                if partnership.status != .active { reasons.insert("partnership-suspended") }
                if marking.classification != .unclassified && ReferenceRule.rank(marking.classification) > ReferenceRule.ceilingRank(partnership.trust) {
                    reasons.insert("trust-ceiling")
                }
            } else if marking.classification != .unclassified {
                reasons.insert("no-partnership")
            }
        }
        if ReferenceRule.rank(marking.classification) > ReferenceRule.rank(reader.clearance) { reasons.insert("clearance") }
        if !Set(marking.compartments).isSubset(of: Set(reader.compartments)) { reasons.insert("compartments") }
        if !topics.isEmpty && Set(topics).isDisjoint(with: Set(reader.topics)) { reasons.insert("need-to-know") }
        if reader.isThrottled { reasons.insert("member-throttled") }
        if reader.isSuspended { reasons.insert("member-suspended") }
        return reasons
    }

    /// Nobody reads a shared holding the rule, restated, denies; and everything it allows is read.
    @Test func agreesWithThePlainRestatement() async {
        let optionalPartnership = zip(Gen.bool(0.3), Generators.partnership).map { none, p in none ? nil : p }
        await propertyCheck(count: 1000, input: Generators.reader, Generators.marking, Generators.organization,
                            Generators.subset(of: Generators.topicPool), Gen.bool(0.85), optionalPartnership) {
            reader, marking, owner, topics, member, partnership in
            let decision = DecisionRule.shared(reader, holding: SharedHolding(owner: owner, marking: marking.label, topics: TagSet(topics)),
                                               isCollectionReader: member, partnership: partnership)
            let expected = Self.reference(reader, marking: marking, owner: owner, topics: topics, member: member, partnership: partnership)
            #expect(Set(decision.reasons.codes) == expected, "\(marking.banner) owner \(owner) reader \(reader.organization)")
            #expect(decision.isAllowed == expected.isEmpty)
        }
    }
}
