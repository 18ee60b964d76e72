import Testing
import TearlineCore

private func event(_ json: String) throws -> MISPEvent {
    try MISPEvent.event(try JSONValue.parse(Array(json.utf8)))
}

private func plans(_ e: MISPEvent, _ policy: MISPImportPolicy = MISPImportPolicy(organization: "USA", community: ["GBR"],
                                                                                  knownOrganizations: ["gbr": "GBR", "united kingdom": "GBR"]))
    throws -> ([MISPReportPlan], MISPMappingSummary) {
    var summary = MISPMappingSummary()
    let p = try MISPMapping.reports(for: e, policy: policy, summary: &summary)
    return (p, summary)
}

/// One attribute of `type` and `value`, with extra JSON members.
private func attr(_ type: String, _ value: String, _ extra: String = "") -> String {
    #"{"type": "\#(type)", "category": "Network activity", "value": "\#(value)"\#(extra.isEmpty ? "" : ", " + extra)}"#
}

@Suite("MISP events become reports")
struct MISPMappingTests {
    @Test func anEventBecomesAReportTitledByItsInfo() throws {
        let e = try event(#"{"Event": {"uuid": "u1", "info": "Heron C2", "distribution": "3", "Tag": [{"name": "tlp:green"}], "Attribute": [\#(attr("ip-dst", "203.0.113.10"))]}}"#)
        let (p, s) = try plans(e)
        #expect(p.count == 1)
        #expect(p[0].title == "Heron C2")
        #expect(p[0].portions.count == 2)
        #expect(p[0].portions[1].text.contains("203.0.113.10"))
        #expect(p[0].entities == [EntityMention(type: "ipv4", value: "203.0.113.10", portion: 1)])
        #expect(p[0].portions.allSatisfy { $0.marking.banner == "UNCLASSIFIED//TLP:GREEN" })
        #expect(p[0].discoverability == .allPartners)
        #expect(s.events == 1 && s.attributes == 1 && s.entities == 1)
    }

    @Test(arguments: [("tlp:white", TLPLevel.clear), ("tlp:clear", .clear), ("tlp:green", .green), ("tlp:amber", .amber),
                      ("tlp:amber+strict", .amberStrict), ("TLP:RED", .red)])
    func tlpTagsOfBothVersionsBecomeTLP(tag: String, level: TLPLevel) throws {
        let e = try event(#"{"info": "x", "distribution": 3, "Tag": [{"name": "\#(tag)"}], "Attribute": [\#(attr("domain", "x.example"))]}"#)
        #expect(try plans(e).0[0].titleMarking.tlp == level)
    }

    @Test func withoutATLPTagTheDefaultApplies() throws {
        let e = try event(#"{"info": "x", "distribution": 3, "Attribute": [\#(attr("domain", "x.example"))]}"#)
        #expect(try plans(e).0[0].titleMarking.tlp == .amber)
        let red = MISPImportPolicy(organization: "USA", defaultTLP: .red)
        #expect(try plans(e, red).0[0].titleMarking.tlp == .red)
    }

    @Test func theMostRestrictiveTLPTagWins() throws {
        let e = try event(#"{"info": "x", "distribution": 3, "Tag": [{"name": "tlp:green"}, {"name": "tlp:amber"}], "Attribute": []}"#)
        #expect(try plans(e).0[0].titleMarking.tlp == .amber)
    }

    @Test func organisationOnlyStaysInTheOrganisation() throws {
        let e = try event(#"{"info": "x", "distribution": 0, "Tag": [{"name": "tlp:green"}], "Attribute": [\#(attr("domain", "x.example"))]}"#)
        let plan = try plans(e).0[0]
        #expect(plan.titleMarking.relTo == ["USA"])
        #expect(plan.titleMarking.tlp == .amberStrict)
        #expect(plan.discoverability == .ownOrganization)
    }

    @Test func communityLevelsAreTheOperatorsCommunity() throws {
        for level in [1, 2] {
            let e = try event(#"{"info": "x", "distribution": \#(level), "Attribute": []}"#)
            let plan = try plans(e).0[0]
            #expect(plan.titleMarking.relTo == ["GBR", "USA"])
            #expect(plan.discoverability == .partners(["GBR"]))
        }
        let alone = MISPImportPolicy(organization: "USA")
        #expect(try plans(try event(#"{"info": "x", "distribution": 1}"#), alone).0[0].discoverability == .ownOrganization)
    }

    @Test func aSharingGroupBecomesRelToItsKnownMembers() throws {
        let e = try event(#"""
            {"info": "x", "distribution": "4", "SharingGroup": {"name": "Maritime", "SharingGroupOrg": [
              {"Organisation": {"name": "United Kingdom", "uuid": "a"}}, {"Organisation": {"name": "Atlantis", "uuid": "b"}}]},
             "Attribute": [\#(attr("ip-dst", "192.0.2.1"))]}
            """#)
        let (p, s) = try plans(e)
        #expect(p[0].titleMarking.relTo == ["GBR", "USA"])
        #expect(p[0].discoverability == .partners(["GBR"]))
        #expect(s.unknownOrganizations == ["Atlantis"])
    }

    @Test func attributesOnlyNarrowTheirEvent() throws {
        let e = try event(#"""
            {"info": "x", "distribution": 3, "Tag": [{"name": "tlp:green"}], "Attribute": [
              \#(attr("ip-dst", "192.0.2.1")),
              \#(attr("ip-dst", "192.0.2.2", #""Tag": [{"name": "tlp:red"}]"#)),
              \#(attr("ip-dst", "192.0.2.3", #""distribution": "0""#)),
              \#(attr("ip-dst", "192.0.2.4", #""Tag": [{"name": "tlp:white"}]"#))]}
            """#)
        let plan = try plans(e).0[0]
        func marking(of value: String) -> Marking? { plan.portions.first { $0.text.contains(value) }?.marking }
        #expect(marking(of: "192.0.2.1")?.banner == "UNCLASSIFIED//TLP:GREEN")
        #expect(marking(of: "192.0.2.2")?.tlp == .red)
        #expect(marking(of: "192.0.2.3")?.relTo == ["USA"])
        // A looser tag on an attribute does not loosen its event.
        #expect(marking(of: "192.0.2.4")?.tlp == .green)
        // Each marking has its portion; no portion mixes them.
        #expect(!(marking(of: "192.0.2.1")?.banner == marking(of: "192.0.2.2")?.banner))
    }

    @Test func objectsBecomeOnePortionEachUnderTheirNarrowestAttribute() throws {
        let e = try event(#"""
            {"info": "x", "distribution": 3, "Object": [{"name": "file", "Attribute": [
              {"type": "filename", "object_relation": "filename", "value": "loader.dll"},
              {"type": "sha256", "object_relation": "sha256", "value": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
               "Tag": [{"name": "tlp:red"}]}]}]}
            """#)
        let plan = try plans(e).0[0]
        #expect(plan.portions.count == 2)
        #expect(plan.portions[1].text.hasPrefix("Object file"))
        #expect(plan.portions[1].marking.tlp == .red)
        #expect(Set(plan.entities.map(\.type)) == ["filename", "file-hash"])
    }

    @Test func unknownTypesAndInvalidValuesStayAsText() throws {
        let e = try event(#"{"info": "x", "distribution": 3, "Attribute": [\#(attr("text", "a note")), \#(attr("ip-dst", "not-an-ip"))]}"#)
        let (p, s) = try plans(e)
        #expect(p[0].entities.isEmpty)
        #expect(p[0].portions[1].text.contains("a note") && p[0].portions[1].text.contains("not-an-ip"))
        #expect(s.keptAsText == ["text": 1])
        #expect(s.invalidValues == 1)
    }

    @Test func compositeTypesGiveAnEntityPerPart() {
        #expect(MISPAttributeTypes.entities(type: "domain|ip", value: "x.example|192.0.2.9").map(\.kind) == [.domain, .ipv4])
        #expect(MISPAttributeTypes.entities(type: "filename|md5", value: "a.exe|d41d8cd98f00b204e9800998ecf8427e").map(\.kind)
                == [.other("filename"), .fileHash])
        #expect(MISPAttributeTypes.entities(type: "ip-dst|port", value: "192.0.2.9|443").map(\.kind) == [.ipv4])
        #expect(MISPAttributeTypes.entities(type: "ip-src", value: "2001:db8::1").map(\.kind) == [.ipv6])
    }

    @Test func galaxiesAndOtherTagsAreKeptAsLabels() throws {
        let e = try event(#"""
            {"info": "x", "distribution": 3, "Tag": [{"name": "tlp:green"}, {"name": "kill-chain:delivery"}],
             "Galaxy": [{"name": "Threat Actor", "GalaxyCluster": [{"value": "APT Heron"}]}], "Attribute": []}
            """#)
        let (p, s) = try plans(e)
        #expect(p[0].portions[0].text.contains("Labels: kill-chain:delivery; Threat Actor: APT Heron"))
        #expect(!p[0].portions[0].text.contains("tlp:green"))
        #expect(s.labels == 2)
    }

    @Test func aLargeEventIsSplitIntoParts() throws {
        let attributes = (0..<2000).map { attr("ip-dst", "10.0.\($0 / 256).\($0 % 256)") }.joined(separator: ",")
        let e = try event(#"{"info": "Big", "distribution": 3, "Attribute": [\#(attributes)]}"#)
        let (p, s) = try plans(e)
        #expect(p.count == 3)
        #expect(p.map(\.title) == ["Big (part 1 of 3)", "Big (part 2 of 3)", "Big (part 3 of 3)"])
        #expect(p.allSatisfy { $0.entities.count <= 900 && $0.portions.count <= Report.maxPortions })
        #expect(p.reduce(0) { $0 + $1.entities.count } == 2000)
        #expect(s.reports == 3 && s.entities == 2000)
    }

    @Test func aFeedEventWithoutDistributionTakesThePolicys() throws {
        let e = try event(#"{"Event": {"info": "x", "Tag": [{"name": "tlp:green"}], "Attribute": []}}"#)
        #expect(e.distribution == nil)
        #expect(try plans(e).0[0].titleMarking.relTo == ["USA"])
        let open = MISPImportPolicy(organization: "USA", missingDistribution: 3)
        #expect(try plans(e, open).0[0].titleMarking.relTo == nil)
    }

    @Test func tlpOnlyIgnoresDistributionButOrganisationOnly() throws {
        let policy = MISPImportPolicy(organization: "USA", mode: .tlpOnly)
        let community = try event(#"{"info": "x", "distribution": 1, "Tag": [{"name": "tlp:green"}]}"#)
        #expect(try plans(community, policy).0[0].titleMarking.relTo == nil)
        #expect(try plans(community, policy).0[0].discoverability == .ownOrganization)
        let own = try event(#"{"info": "x", "distribution": 0, "Tag": [{"name": "tlp:green"}]}"#)
        #expect(try plans(own, policy).0[0].titleMarking.tlp == .amberStrict)
    }

    @Test func malformedEventsAreRefusedWithWhere() throws {
        #expect(throws: MISPFormatError.self) { try event(#"{"Event": {"uuid": "u", "Attribute": []}}"#) }
        do {
            _ = try event(#"{"Event": {"uuid": "u9", "info": "x", "Attribute": [{"type": "ip-dst"}]}}"#)
            Issue.record("an attribute without a value was accepted")
        } catch {
            #expect("\(error)".contains("u9") && "\(error)".contains("Attribute[0]"))
        }
        #expect(throws: MISPFormatError.self) { try MISPEvent.events(in: try JSONValue.parse(Array("[1]".utf8))) }
    }

    @Test func documentsHoldOneEventOrMany() throws {
        let one = #"{"Event": {"info": "a"}}"#
        #expect(try MISPEvent.events(in: try JSONValue.parse(Array(one.utf8))).count == 1)
        #expect(try MISPEvent.events(in: try JSONValue.parse(Array("[\(one), \(one)]".utf8))).count == 2)
        #expect(try MISPEvent.events(in: try JSONValue.parse(Array(#"{"response": [\#(one)]}"#.utf8))).count == 1)
    }

    @Test func summariesOfPartsMergeIntoTheSummaryOfTheWhole() throws {
        let events = try (0..<12).map { i in
            let tlp = i % 2 == 0 ? "tlp:green" : "tlp:amber"
            let ip = attr("ip-dst", "192.0.2.\(i)"), domain = attr("domain", "d\(i).example")
            return try event(#"""
                {"info": "e\#(i)", "distribution": "\#(i % 5)", "Tag": [{"name": "\#(tlp)"}, {"name": "label-\#(i)"}],
                 "SharingGroup": {"name": "g", "SharingGroupOrg": [{"Organisation": {"name": "Org \#(i % 4)", "uuid": "u"}}, {"Organisation": {"name": "Atlantis", "uuid": "a"}}]},
                 "Attribute": [\#(ip), \#(domain), \#(attr("text", "note")),
                               \#(attr("ip-src", "not an address"))]}
                """#)
        }
        let policy = MISPImportPolicy(organization: "USA", community: ["GBR"], knownOrganizations: ["gbr": "GBR"])
        var whole = MISPMappingSummary()
        for e in events { _ = try MISPMapping.reports(for: e, policy: policy, summary: &whole) }
        for cut in [1, 5, 11] {
            var first = MISPMappingSummary(), second = MISPMappingSummary()
            for e in events[..<cut] { _ = try MISPMapping.reports(for: e, policy: policy, summary: &first) }
            for e in events[cut...] { _ = try MISPMapping.reports(for: e, policy: policy, summary: &second) }
            first.merge(second)
            #expect(first == whole, "mapped in two parts cut at \(cut), merged")
        }
        #expect(whole.unknownOrganizations == ["Org 0", "Atlantis", "Org 1"], "in the order first met, once each")
        #expect(whole.events == 12 && whole.invalidValues == 12)
    }
}

