import PropertyBased
import Testing
import TearlineCore

/// A random world for the entity index: reports in the order they were added, their releases,
/// and one asker.
struct IndexWorld: Sendable {
    var reports: [IndexedReport]
    /// By report id, in the order they were recorded.
    var releases: [String: [IndexedRelease]]
    var asker: Asker

    /// The index of this world, optionally built without one report.
    func index(without excluded: String? = nil) -> EntityIndex {
        var index = EntityIndex()
        for report in reports where report.id != excluded {
            index.add(report)
            for release in releases[report.id] ?? [] { index.record(release, ofReport: report.id) }
        }
        return index
    }
}

/// Random index worlds, built from integer and boolean generators so that failures shrink.
enum IndexGenerators {
    static let organizations = ["USA-CIA", "USA-FBI", "GBR", "DEU", "JOR"]
    static let entities: [UInt64] = [11, 22, 33, 44]
    static let markings = ["UNCLASSIFIED", "CONFIDENTIAL//REL TO USA-CIA, USA-FBI, GBR, DEU, JOR", "SECRET", "SECRET//REL TO USA-CIA, GBR",
                           "SECRET//NOFORN", "SECRET//HCS//REL TO USA-CIA, USA-FBI, GBR, DEU, JOR", "TLP:RED"].map(Fixture.marking)
    static let topics = ["terrorism", "finance", "cyber"]

    static let portion = zip(Gen.int(in: 0...(markings.count - 1)), Gen.bool(0.2))
        .map { IndexedPortion(label: markings[$0].label, sourcesAndMethods: $1) }

    /// Portions 0...4 over reports of 1...4 portions, so some mentions name a missing portion.
    static let mention = zip(Gen.int(in: 0...(entities.count - 1)), Gen.int(in: 0...4))
        .map { IndexedMention(entity: entities[$0], portion: $1) }

    static let discoverability = zip(Gen.int(in: 0...3), Generators.subset(of: organizations))
        .map { kind, named -> Discoverability in
            switch kind {
            case 0: .none
            case 1: .ownOrganization
            case 2: .allPartners
            default: .partners(SortedStrings.make(named))
            }
        }

    /// A release as its recipient's number (5: the asker's organisation), its portions as a bit
    /// mask, and whether it is revoked.
    static let release = zip(Gen.int(in: 0...5), Gen.int(in: 0...15), Gen.bool(0.2))

    static let report = zip(Gen.int(in: 0...4), Generators.subset(of: topics), portion.array(of: 1...4),
                            mention.array(of: 0...6), discoverability, release.array(of: 0...3))

    /// A reader without an organisation yet: the world places it.
    static let reader = zip(Generators.classification, Gen.bool(0.3), Generators.subset(of: topics), Gen.bool(0.05), Gen.bool(0.05))
        .map { clearance, hcs, topics, throttled, suspended in
            Reader(organization: "", clearance: clearance, compartments: hcs ? ["HCS"] : [], topics: topics,
                   isThrottled: throttled, isSuspended: suspended)
        }

    /// 3–5 organisations originate 0–8 reports. The asker belongs to one of them or, past the
    /// last, to NZL, which originates nothing; its organisation has partnerships with some of the pool.
    static let world = zip(Gen.int(in: 3...5), report.array(of: 0...8), Generators.partnership.optional(valueRate: 0.7).array(of: 5),
                           Gen.int(in: 0...5), reader, Gen.int(in: 0...255).optional(valueRate: 0.3))
        .map { count, specs, terms, seat, reader, grantMask in
            var reader = reader
            reader.organization = seat % (count + 1) < count ? organizations[seat % (count + 1)] : "NZL"
            var reports: [IndexedReport] = []
            var releases: [String: [IndexedRelease]] = [:]
            for (i, spec) in specs.enumerated() {
                let (originator, topics, portions, mentions, discoverability, releaseSpecs) = spec
                let id = "r\(i)"
                reports.append(IndexedReport(id: id, originator: organizations[originator % count], topics: TagSet(topics),
                                             portions: portions, discoverability: discoverability, mentions: mentions))
                releases[id] = releaseSpecs.enumerated().map { j, release in
                    IndexedRelease(id: "\(id)-rel\(j)", recipient: release.0 == 5 ? reader.organization : organizations[release.0 % count],
                                   portions: PortionSet((0..<4).filter { release.1 & (1 << $0) != 0 }), revoked: release.2)
                }
            }
            let partnerships = Dictionary(uniqueKeysWithValues: Swift.zip(organizations, terms).compactMap { name, t in t.map { (name, $0) } })
            let grants = Set((0..<8).filter { (grantMask ?? 0) & (1 << $0) != 0 }.map { "r\($0)" })
            return IndexWorld(reports: reports, releases: releases, asker: Asker(reader: reader, grants: grants, partnerships: partnerships))
        }
}

/// The entity search restated naively, holding by holding, from `DecisionRule.read` and the
/// discovery rule as `Discoverability` documents it, without the index's postings or interning.
enum ReferenceIndex {
    struct Hit: Hashable {
        var access: HoldingAccess
        var originator: String
        var portions: [Int]
    }

    /// One page of an answer, with slots left out so that answers of different indexes compare.
    struct Page: Hashable {
        var hits: [Hit]
        var hitCount: Int
        var pointers: [EntityPointer]
        var hasMore: Bool
    }

    /// The portions of `report` that mention `entity`, ascending; mentions of missing portions do not count.
    static func mentioning(_ entity: UInt64, in report: IndexedReport) -> [Int] {
        Set(report.mentions.filter { $0.entity == entity && report.portions.indices.contains($0.portion) }.map(\.portion)).sorted()
    }

    /// Every channel through which the asker's organisation holds `report`.
    static func channels(_ report: IndexedReport, in world: IndexWorld) -> [(HoldingAccess, ReadChannel)] {
        let organization = world.asker.reader.organization
        if organization == report.originator { return [(.originator(reportId: report.id), .originator)] }
        guard let terms = world.asker.partnerships[report.originator] else { return [] }
        return (world.releases[report.id] ?? []).filter { $0.recipient == organization }.map {
            (.release(id: $0.id, reportId: report.id),
             .release(ReleaseFacts(portions: $0.portions, revoked: $0.revoked, partnership: terms)))
        }
    }

    static func allows(_ channel: ReadChannel, portion p: Int, of report: IndexedReport, for asker: Asker) -> Bool {
        DecisionRule.read(asker.reader, portionIndex: p, label: report.portions[p].label, reportTopics: report.topics,
                          hasGrant: asker.grants.contains(report.id), channel: channel).isAllowed
    }

    /// The first document through which the asker may read portion `p`, if any.
    static func access(_ p: Int, of report: IndexedReport, in world: IndexWorld) -> HoldingAccess? {
        channels(report, in: world).first { allows($0.1, portion: p, of: report, for: world.asker) }?.0
    }

    /// May a mention in portion `p` count towards a pointer? The holding is discoverable to the
    /// asker's organisation; the portion is never sources-and-methods, and across organisations
    /// neither NOFORN nor TLP:RED, and REL TO the asker where it restricts release.
    static func pointable(_ p: Int, of report: IndexedReport, for asker: Asker) -> Bool {
        let organization = asker.reader.organization
        let own = organization == report.originator
        let partner = asker.partnerships[report.originator]?.status == .active
        let discoverable = switch report.discoverability {
        case .none: false
        case .ownOrganization: own
        case .allPartners: own || partner
        case .partners(let names): own || (partner && names.contains(organization))
        }
        let portion = report.portions[p]
        let relTo = !portion.label.restrictsRelease || portion.label.relTo.contains(id: TagTable.shared.id(organization))
        return discoverable && !portion.sourcesAndMethods && (own || (!portion.label.noforn && !portion.label.tlpRed && relTo))
    }

    /// The hit the asker gets from one holding, if any.
    static func hit(_ entity: UInt64, in report: IndexedReport, of world: IndexWorld) -> Hit? {
        let readable = mentioning(entity, in: report).compactMap { p in access(p, of: report, in: world).map { (p, $0) } }
        guard let first = readable.first else { return nil }
        return Hit(access: first.1, originator: report.originator, portions: readable.map(\.0))
    }

    /// Whether a holding counts towards a pointer for the asker: unreadable, with a pointable mention.
    static func isPointed(_ entity: UInt64, in report: IndexedReport, of world: IndexWorld) -> Bool {
        hit(entity, in: report, of: world) == nil
            && mentioning(entity, in: report).contains { pointable($0, of: report, for: world.asker) }
    }

    /// Every hit with its slot, newest first.
    static func hits(_ entity: UInt64, in world: IndexWorld) -> [(slot: UInt32, hit: Hit)] {
        world.reports.enumerated().reversed().compactMap { slot, report in
            hit(entity, in: report, of: world).map { (UInt32(slot), $0) }
        }
    }

    static func pointers(_ entity: UInt64, in world: IndexWorld) -> [EntityPointer] {
        let counts = Dictionary(grouping: world.reports.filter { isPointed(entity, in: $0, of: world) }, by: \.originator)
        return counts.map { EntityPointer(holder: $0.key, count: $0.value.count) }.sorted { $0.holder < $1.holder }
    }

    /// Every page of the index's answer, following the cursor, in comparable form.
    static func pages(_ entity: UInt64, of index: EntityIndex, for asker: Asker, limit: Int) -> [Page] {
        var pages: [Page] = []
        var before: UInt32?
        repeat {
            let result = index.search(entity, for: asker, before: before, limit: limit)
            pages.append(Page(hits: result.hits.map(Hit.init), hitCount: result.hitCount, pointers: result.pointers,
                              hasMore: result.nextBefore != nil))
            before = result.nextBefore
        } while before != nil && pages.count <= index.reportCount
        return pages
    }
}

extension ReferenceIndex.Hit {
    init(_ hit: EntityHit) { self.init(access: hit.access, originator: hit.originator, portions: hit.portions) }
}

@Suite("Entity index properties")
struct EntityIndexPropertyTests {
    @Test func hitsAreExactlyTheReadableMentions() async {
        // why: rules 1–4, a search shows each holding where the asker may read a mention, with exactly those portions.
        await propertyCheck(count: 300, input: IndexGenerators.world) { world in
            let index = world.index()
            for entity in IndexGenerators.entities {
                let result = index.search(entity, for: world.asker, limit: 100)
                let reference = ReferenceIndex.hits(entity, in: world)
                #expect(result.hits.map(ReferenceIndex.Hit.init) == reference.map { $0.hit }, "entity \(entity)")
                #expect(result.hits.map(\.slot) == reference.map { $0.slot }, "entity \(entity)")
                #expect(result.hitCount == reference.count)
                #expect(result.nextBefore == nil)
            }
        }
    }

    @Test func pointersCountExactlyTheDiscoverableUnreadableHoldings() async {
        // why: discovery without disclosure, a pointer counts the holdings discoverable to the asker that it cannot read.
        await propertyCheck(count: 300, input: IndexGenerators.world) { world in
            let index = world.index()
            for entity in IndexGenerators.entities {
                #expect(index.search(entity, for: world.asker).pointers == ReferenceIndex.pointers(entity, in: world), "entity \(entity)")
                for holder in IndexGenerators.organizations {
                    let pointed = world.reports.filter { $0.originator == holder && ReferenceIndex.isPointed(entity, in: $0, of: world) }
                    #expect(index.pointedHoldings(entity, holder: holder, for: world.asker) == pointed.map(\.id), "entity \(entity), \(holder)")
                }
            }
        }
    }

    @Test func nobodyReadsWhatTheRuleDenies() async {
        // why: the decision rule is the only way in; every portion a hit names is one it allows.
        await propertyCheck(count: 300, input: IndexGenerators.world) { world in
            let index = world.index()
            for entity in IndexGenerators.entities {
                for hit in index.search(entity, for: world.asker, limit: 100).hits {
                    guard let report = world.reports.first(where: { $0.id == hit.access.reportId }) else {
                        Issue.record("hit on unknown report \(hit.access.reportId)")
                        continue
                    }
                    #expect(hit.originator == report.originator)
                    let channels = ReferenceIndex.channels(report, in: world)
                    #expect(channels.contains { $0.0 == hit.access }, "\(hit.access) is not a way the asker holds \(report.id)")
                    for p in hit.portions {
                        #expect(ReferenceIndex.mentioning(entity, in: report).contains(p))
                        #expect(channels.contains { ReferenceIndex.allows($0.1, portion: p, of: report, for: world.asker) },
                                "portion \(p) of \(report.id) shown against the decision rule")
                    }
                }
            }
        }
    }

    @Test func invisibleHoldingsLeaveNoTrace() async {
        // why: discovery without disclosure, a holding the asker may neither read nor discover changes no page of any answer.
        await propertyCheck(count: 200, input: IndexGenerators.world, Gen.int(in: 1...3)) { world, limit in
            let full = world.index()
            for entity in IndexGenerators.entities {
                let pages = ReferenceIndex.pages(entity, of: full, for: world.asker, limit: limit)
                for report in world.reports
                where ReferenceIndex.hit(entity, in: report, of: world) == nil && !ReferenceIndex.isPointed(entity, in: report, of: world) {
                    let without = ReferenceIndex.pages(entity, of: world.index(without: report.id), for: world.asker, limit: limit)
                    #expect(pages == without, "entity \(entity), without \(report.id)")
                }
            }
        }
    }
}
