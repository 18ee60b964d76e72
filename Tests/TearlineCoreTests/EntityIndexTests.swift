import Testing
import TearlineCore

// Blind entity identifiers, named for what they stand for.
private let courier: UInt64 = 0xC0
private let safehouse: UInt64 = 0x5A
private let banker: UInt64 = 0xBA
private let ship: UInt64 = 0x51

/// Builders for the entity index tests: portions are written as markings, mentions as
/// (entity, portion) pairs, askers as the reader fixture plus partnerships and grants.
private enum Build {
    /// The organisations of these tests: a bare classification is written REL TO all of them, so
    /// that a portion may point across organisations unless a test says otherwise.
    static let everyone = "REL TO USA-CIA, USA-FBI, GBR, DEU, JOR"

    static func portion(_ marking: String, sourcesAndMethods: Bool = false) -> IndexedPortion {
        let bare = ["CONFIDENTIAL", "SECRET", "TOP SECRET"].contains(marking)
        return IndexedPortion(label: Fixture.marking(bare ? marking + "//" + everyone : marking).label, sourcesAndMethods: sourcesAndMethods)
    }

    /// A portion exactly as written, with no REL TO added.
    static func exactly(_ marking: String) -> IndexedPortion {
        IndexedPortion(label: Fixture.marking(marking).label, sourcesAndMethods: false)
    }

    static func report(
        _ id: String, by originator: String, topics: [String] = ["terrorism"], portions: [IndexedPortion] = [portion("SECRET")],
        discoverability: Discoverability = .ownOrganization, mentions: [(UInt64, Int)]
    ) -> IndexedReport {
        IndexedReport(id: id, originator: originator, topics: TagSet(topics), portions: portions,
                      discoverability: discoverability, mentions: mentions.map { IndexedMention(entity: $0.0, portion: $0.1) })
    }

    static func index(_ reports: [IndexedReport]) -> EntityIndex {
        var index = EntityIndex()
        for report in reports { index.add(report) }
        return index
    }

    static func asker(
        _ organization: String, clearance: Classification = .secret, topics: [String] = ["terrorism"],
        partnerships: [String: PartnershipTerms] = [:], grants: Set<String> = []
    ) -> Asker {
        Asker(reader: Fixture.reader(organization, clearance: clearance, topics: topics), grants: grants, partnerships: partnerships)
    }

    /// Story 6: an FBI analyst whose organisation has an active partnership with the CIA.
    static let fbi = asker("USA-FBI", partnerships: ["USA-CIA": Fixture.activeHigh])
    static let cia = asker("USA-CIA")

    static func release(_ id: String, to recipient: String, portions: [Int], revoked: Bool = false) -> IndexedRelease {
        IndexedRelease(id: id, recipient: recipient, portions: PortionSet(portions), revoked: revoked)
    }
}

/// A chain as its entities in order, and the way each link runs.
private func path(_ chain: [ChainLink]) -> [UInt64] { chain.map(\.from) + chain.suffix(1).map(\.to) }
private func vias(_ chain: [ChainLink]) -> [ChainLink.Via] { chain.map(\.via) }

/// The answers of an empty index: what a holding that leaves no trace must compare equal to.
private let noResult = EntityIndex().search(courier, for: Build.cia)
private let noChains = EntityIndex().chains(from: courier, to: banker, for: Build.cia)

/// A holding that must leave no trace, and the asker it must be hidden from.
struct HiddenHolding: Sendable, CustomTestStringConvertible {
    var name: String
    var discoverability: Discoverability
    var asker: Asker
    var testDescription: String { name }

    static let all = [
        HiddenHolding(name: "none, to a partner", discoverability: .none, asker: Build.fbi),
        HiddenHolding(name: "none, to the own organisation", discoverability: .none,
                      asker: Build.asker("USA-CIA", clearance: .confidential)),
        HiddenHolding(name: "own organisation, to a partner", discoverability: .ownOrganization, asker: Build.fbi),
        HiddenHolding(name: "partners list without the asker", discoverability: .partners(["GBR"]), asker: Build.fbi),
        HiddenHolding(name: "suspended partnership", discoverability: .allPartners,
                      asker: Build.asker("USA-FBI", partnerships: ["USA-CIA": Fixture.suspendedHigh])),
        HiddenHolding(name: "no partnership", discoverability: .partners(["USA-FBI"]), asker: Build.asker("USA-FBI")),
    ]
}

@Suite("Entity index")
struct EntityIndexTests {
    // MARK: Hits

    @Test func ownOrganizationMemberGetsAHit() {
        // why: rule 1, the originator's own members read its reports; a hit names the portion.
        let index = Build.index([
            Build.report("cia-1", by: "USA-CIA", portions: [Build.portion("UNCLASSIFIED"), Build.portion("SECRET")],
                         mentions: [(courier, 1)]),
        ])
        let result = index.search(courier, for: Build.cia)
        #expect(result.hits.map(\.access) == [.originator(reportId: "cia-1")])
        #expect(result.hits.map(\.portions) == [[1]])
        #expect(result.hits.map(\.originator) == ["USA-CIA"])
        #expect(result.hitCount == 1)
        #expect(result.pointers.isEmpty)
        #expect(result.nextBefore == nil)
    }

    @Test func hitListsOnlyReadableMentioningPortions() {
        // why: rule 2, a hit never names a portion above the reader's clearance.
        let index = Build.index([
            Build.report("cia-1", by: "USA-CIA",
                         portions: [Build.portion("SECRET"), Build.portion("TOP SECRET"), Build.portion("CONFIDENTIAL")],
                         mentions: [(courier, 0), (courier, 1), (courier, 2)]),
        ])
        #expect(index.search(courier, for: Build.cia).hits.map(\.portions) == [[0, 2]])
    }

    @Test func unreadableOwnHoldingBecomesAPointer() {
        // why: discovery without disclosure, own organisation is the default discoverability.
        let index = Build.index([
            Build.report("cia-1", by: "USA-CIA", portions: [Build.portion("UNCLASSIFIED"), Build.portion("TOP SECRET")],
                         mentions: [(courier, 1)]),
        ])
        let result = index.search(courier, for: Build.cia)
        #expect(result.hits.isEmpty)
        #expect(result.hitCount == 0)
        #expect(result.pointers == [EntityPointer(holder: "USA-CIA", count: 1)])
    }

    @Test func notDiscoverableStillReadByItsReaders() {
        // why: `.none` hides a holding from pointers only; who may read it still finds it.
        let index = Build.index([Build.report("cia-1", by: "USA-CIA", discoverability: .none, mentions: [(courier, 0)])])
        #expect(index.search(courier, for: Build.cia).hits.map(\.access) == [.originator(reportId: "cia-1")])
    }

    // MARK: Story 6: FBI and CIA

    @Test(arguments: [Discoverability.partners(["USA-FBI"]), .allPartners])
    func partnerLearnsOfAHoldingThenReadsItOnceReleased(discoverability: Discoverability) {
        // why: story 6, a partner is pointed at the CIA; after the release the pointer turns into a hit.
        var index = Build.index([
            Build.report("fbi-1", by: "USA-FBI", mentions: [(courier, 0)]),
            Build.report("cia-1", by: "USA-CIA", discoverability: discoverability, mentions: [(courier, 0)]),
        ])
        let before = index.search(courier, for: Build.fbi)
        #expect(before.hits.map(\.access) == [.originator(reportId: "fbi-1")])
        #expect(before.pointers == [EntityPointer(holder: "USA-CIA", count: 1)])

        index.record(Build.release("rel-1", to: "USA-FBI", portions: [0]), ofReport: "cia-1")
        let after = index.search(courier, for: Build.fbi)
        #expect(after.hits.map(\.access) == [.release(id: "rel-1", reportId: "cia-1"), .originator(reportId: "fbi-1")])
        #expect(after.hits.map(\.originator) == ["USA-CIA", "USA-FBI"])
        #expect(after.hitCount == 2)
        #expect(after.pointers.isEmpty)
    }

    @Test func hitReadsThroughEveryReleaseOfTheReport() {
        // why: rule 1, each release opens its own portions; the hit opens the one holding the first readable mention.
        var index = Build.index([
            Build.report("cia-1", by: "USA-CIA", portions: [Build.portion("SECRET"), Build.portion("SECRET"), Build.portion("SECRET")],
                         mentions: [(courier, 0), (courier, 1), (courier, 2)]),
        ])
        index.record(Build.release("rel-1", to: "USA-FBI", portions: [2]), ofReport: "cia-1")
        index.record(Build.release("rel-2", to: "USA-FBI", portions: [1]), ofReport: "cia-1")
        index.record(Build.release("rel-3", to: "GBR", portions: [0]), ofReport: "cia-1")
        let hits = index.search(courier, for: Build.fbi).hits
        #expect(hits.map(\.access) == [.release(id: "rel-2", reportId: "cia-1")])
        #expect(hits.map(\.portions) == [[1, 2]])
    }

    @Test func revokedReleaseGivesNoHit() {
        // why: rule 1, a revoked release no longer opens the report.
        var index = Build.index([Build.report("cia-1", by: "USA-CIA", mentions: [(courier, 0)])])
        index.record(Build.release("rel-1", to: "USA-FBI", portions: [0]), ofReport: "cia-1")
        #expect(index.search(courier, for: Build.fbi).hitCount == 1)
        index.record(Build.release("rel-1", to: "USA-FBI", portions: [0], revoked: true), ofReport: "cia-1")
        #expect(index.search(courier, for: Build.fbi).hits.isEmpty)
    }

    @Test func suspendedPartnershipGivesNoHitThroughARelease() {
        // why: rule 1, story 2, suspending a partnership cuts off every release at once.
        var index = Build.index([Build.report("cia-1", by: "USA-CIA", mentions: [(courier, 0)])])
        index.record(Build.release("rel-1", to: "USA-FBI", portions: [0]), ofReport: "cia-1")
        let suspended = Build.asker("USA-FBI", partnerships: ["USA-CIA": Fixture.suspendedHigh])
        #expect(index.search(courier, for: suspended).hits.isEmpty)
    }

    // MARK: Leaving no trace

    @Test(arguments: HiddenHolding.all)
    func undiscoverableHoldingLeavesNoTrace(hidden: HiddenHolding) {
        // why: discovery without disclosure, a holding not discoverable to the asker changes no answer.
        let visible = [
            Build.report("fbi-1", by: "USA-FBI", mentions: [(courier, 0), (safehouse, 0)]),
            Build.report("fbi-2", by: "USA-FBI", mentions: [(courier, 0)]),
            Build.report("cia-1", by: "USA-CIA", mentions: [(courier, 0)]),
            Build.report("cia-2", by: "USA-CIA", discoverability: .allPartners, mentions: [(courier, 0)]),
            Build.report("fbi-3", by: "USA-FBI", mentions: [(courier, 0), (banker, 0)]),
        ]
        let secret = Build.report("cia-hidden", by: "USA-CIA", portions: [Build.portion("TOP SECRET")],
                                  discoverability: hidden.discoverability,
                                  mentions: [(courier, 0), (safehouse, 0), (banker, 0), (ship, 0)])
        let without = Build.index(visible)
        let with = Build.index(visible + [secret])
        let asker = hidden.asker
        for entity in [courier, safehouse, banker, ship] {
            #expect(with.search(entity, for: asker) == without.search(entity, for: asker))
            #expect(with.search(entity, for: asker, limit: 1) == without.search(entity, for: asker, limit: 1))
            #expect(with.search(entity, for: asker, before: 2, limit: 1) == without.search(entity, for: asker, before: 2, limit: 1))
            #expect(with.pointedHoldings(entity, holder: "USA-CIA", for: asker) == without.pointedHoldings(entity, holder: "USA-CIA", for: asker))
            #expect(with.coOccurring(with: entity, for: asker) == without.coOccurring(with: entity, for: asker))
            #expect(with.chains(from: courier, to: entity, for: asker) == without.chains(from: courier, to: entity, for: asker))
        }
        #expect(with.corroboration(ofReport: "fbi-1", for: asker) == without.corroboration(ofReport: "fbi-1", for: asker))
    }

    // MARK: What a pointer may count

    @Test func sourcesAndMethodsNeverCountsForAPointer() {
        // why: a sources-and-methods portion is never revealed, not even as a count to its own organisation.
        let index = Build.index([
            Build.report("cia-1", by: "USA-CIA", portions: [Build.portion("SECRET", sourcesAndMethods: true)],
                         discoverability: .allPartners, mentions: [(courier, 0)]),
        ])
        let unreadable = Build.asker("USA-CIA", topics: ["cyber"])
        #expect(index.search(courier, for: unreadable) == noResult)
        #expect(index.search(courier, for: Build.fbi) == noResult)
    }

    @Test(arguments: ["SECRET//NOFORN", "TLP:RED", "SECRET", "SECRET//REL TO USA-CIA, GBR"])
    func neverLeavingPortionPointsOnlyWithinItsOrganization(marking: String) {
        // why: NOFORN, TLP:RED and a classified portion whose REL TO leaves the asker out can never
        // reach it, so only the originator's own members may be pointed at them.
        let index = Build.index([
            Build.report("cia-1", by: "USA-CIA", portions: [Build.exactly(marking)], discoverability: .allPartners,
                         mentions: [(courier, 0)]),
        ])
        #expect(index.search(courier, for: Build.fbi) == noResult)
        let unreadable = Build.asker("USA-CIA", topics: ["cyber"])
        #expect(index.search(courier, for: unreadable).pointers == [EntityPointer(holder: "USA-CIA", count: 1)])
    }

    @Test func aClassifiedPortionRelToTheAskerPoints() {
        // The control for the REL TO case above: the same portion, REL TO the asker, gives the pointer.
        let index = Build.index([
            Build.report("cia-1", by: "USA-CIA", portions: [Build.exactly("SECRET//REL TO USA-CIA, USA-FBI")], discoverability: .allPartners,
                         mentions: [(courier, 0)]),
        ])
        #expect(index.search(courier, for: Build.fbi).pointers == [EntityPointer(holder: "USA-CIA", count: 1)])
    }

    // MARK: Need-to-know and member status

    @Test func needToKnowOrAGrant() {
        // why: rule 3, the report's topics must meet the reader's, or the reader holds a grant.
        let index = Build.index([Build.report("cia-1", by: "USA-CIA", topics: ["proliferation"], mentions: [(courier, 0)])])
        #expect(index.search(courier, for: Build.asker("USA-CIA", topics: ["terrorism"])).hits.isEmpty)
        let granted = Build.asker("USA-CIA", topics: ["terrorism"], grants: ["cia-1"])
        #expect(index.search(courier, for: granted).hits.map(\.access) == [.originator(reportId: "cia-1")])
    }

    @Test(arguments: [(true, false), (false, true)])
    func throttledOrSuspendedReaderGetsNoHits(throttled: Bool, suspended: Bool) {
        // why: rule 4, a throttled or suspended member reads nothing.
        let index = Build.index([Build.report("cia-1", by: "USA-CIA", mentions: [(courier, 0)])])
        let reader = Fixture.reader("USA-CIA", throttled: throttled, suspended: suspended)
        let result = index.search(courier, for: Asker(reader: reader))
        #expect(result.hits.isEmpty)
        #expect(result.hitCount == 0)
    }

    // MARK: Paging

    @Test func pagesRunNewestFirst() {
        // why: hits come newest first, one page at a time, with a cursor until the last page.
        let index = Build.index((0..<7).map { Build.report("cia-\($0)", by: "USA-CIA", mentions: [(courier, 0)]) })
        let first = index.search(courier, for: Build.cia, limit: 3)
        #expect(first.hits.map(\.slot) == [6, 5, 4])
        #expect(first.nextBefore == 4)
        let second = index.search(courier, for: Build.cia, before: first.nextBefore, limit: 3)
        #expect(second.hits.map(\.slot) == [3, 2, 1])
        #expect(second.hits.map(\.access.reportId) == ["cia-3", "cia-2", "cia-1"])
        #expect(second.nextBefore == 1)
        let last = index.search(courier, for: Build.cia, before: second.nextBefore, limit: 3)
        #expect(last.hits.map(\.slot) == [0])
        #expect(last.nextBefore == nil)
        #expect([first, second, last].map(\.hitCount) == [7, 7, 7])
    }

    // MARK: Changing discoverability

    @Test func setDiscoverabilityChangesPointersAtOnce() {
        // why: discoverability is the originator's choice, and a change applies to the next search.
        var index = Build.index([Build.report("cia-1", by: "USA-CIA", mentions: [(courier, 0)])])
        #expect(index.search(courier, for: Build.fbi).pointers.isEmpty)
        index.setDiscoverability(.partners(["USA-FBI"]), ofReport: "cia-1")
        #expect(index.discoverability(ofReport: "cia-1") == .partners(["USA-FBI"]))
        #expect(index.search(courier, for: Build.fbi).pointers == [EntityPointer(holder: "USA-CIA", count: 1)])
        index.setDiscoverability(.none, ofReport: "cia-1")
        #expect(index.search(courier, for: Build.fbi).pointers.isEmpty)
    }

    @Test func pointedHoldingsAreTheHoldersUnreadableDiscoverableReports() {
        // why: an access request through a pointer covers exactly what the pointer counted.
        var index = Build.index([
            Build.report("cia-1", by: "USA-CIA", discoverability: .allPartners, mentions: [(courier, 0)]),
            Build.report("cia-2", by: "USA-CIA", discoverability: .allPartners, mentions: [(courier, 0)]),
            Build.report("cia-3", by: "USA-CIA", mentions: [(courier, 0)]),
            Build.report("cia-4", by: "USA-CIA", discoverability: .allPartners, mentions: [(banker, 0)]),
            Build.report("gbr-1", by: "GBR", discoverability: .allPartners, mentions: [(courier, 0)]),
            Build.report("cia-5", by: "USA-CIA", discoverability: .allPartners, mentions: [(courier, 0)]),
        ])
        index.record(Build.release("rel-2", to: "USA-FBI", portions: [0]), ofReport: "cia-2")
        let asker = Build.asker("USA-FBI", partnerships: ["USA-CIA": Fixture.activeHigh, "GBR": Fixture.activeHigh])
        #expect(index.pointedHoldings(courier, holder: "USA-CIA", for: asker) == ["cia-1", "cia-5"])
        #expect(index.pointedHoldings(courier, holder: "GBR", for: asker) == ["gbr-1"])
        #expect(index.search(courier, for: asker).pointers
            == [EntityPointer(holder: "GBR", count: 1), EntityPointer(holder: "USA-CIA", count: 2)])
    }

    // MARK: Co-occurrence

    @Test func coOccurrenceCountsReadableCoMentions() {
        // why: a co-mention is only shown where the reader may read both mentions.
        let index = Build.index([
            Build.report("r-1", by: "USA-CIA", portions: [Build.portion("SECRET"), Build.portion("TOP SECRET")],
                         mentions: [(courier, 0), (safehouse, 0), (banker, 1)]),
            Build.report("r-2", by: "USA-CIA", portions: [Build.portion("SECRET"), Build.portion("CONFIDENTIAL")],
                         mentions: [(courier, 0), (safehouse, 1), (banker, 1)]),
            Build.report("r-3", by: "USA-CIA", portions: [Build.portion("SECRET"), Build.portion("SECRET")],
                         mentions: [(courier, 0), (safehouse, 0), (safehouse, 1)]),
            Build.report("r-4", by: "USA-CIA", portions: [Build.portion("TOP SECRET")],
                         mentions: [(courier, 0), (safehouse, 0), (ship, 0)]),
        ])
        let found = index.coOccurring(with: courier, for: Build.cia)
        #expect(found.map(\.entity) == [safehouse, banker])
        #expect(found.map(\.count) == [3, 1])
    }

    // MARK: Chains

    @Test func directChainThroughAReadableReport() {
        // why: a chain link over a report the reader may read names the document.
        let index = Build.index([Build.report("r-1", by: "USA-CIA", mentions: [(courier, 0), (safehouse, 0)])])
        let result = index.chains(from: courier, to: safehouse, for: Build.cia)
        #expect(result.length == 1)
        #expect(result.chains.map(path) == [[courier, safehouse]])
        #expect(result.chains.map(vias) == [[.document(.originator(reportId: "r-1"))]])
    }

    @Test func twoLinkChainAndTheDepthLimit() {
        // why: chains are shortest paths over readable holdings, bounded by the depth asked for.
        let index = Build.index([
            Build.report("r-1", by: "USA-CIA", mentions: [(courier, 0), (safehouse, 0)]),
            Build.report("r-2", by: "USA-CIA", mentions: [(safehouse, 0), (banker, 0)]),
        ])
        let result = index.chains(from: courier, to: banker, for: Build.cia)
        #expect(result.length == 2)
        #expect(result.chains.map(path) == [[courier, safehouse, banker]])
        let shallow = index.chains(from: courier, to: banker, for: Build.cia, maxDepth: 1)
        #expect(shallow.chains.isEmpty)
        #expect(shallow.length == 0)
    }

    @Test func chainThroughADiscoverableHoldingNamesOnlyItsHolder() {
        // why: discovery without disclosure, an unreadable holding joins known entities and names only its holder.
        let index = Build.index([
            Build.report("fbi-1", by: "USA-FBI", mentions: [(courier, 0), (safehouse, 0)]),
            Build.report("cia-1", by: "USA-CIA", discoverability: .allPartners, mentions: [(safehouse, 0), (banker, 0)]),
        ])
        let result = index.chains(from: courier, to: banker, for: Build.fbi)
        #expect(result.chains.map(path) == [[courier, safehouse, banker]])
        #expect(result.chains.map(vias) == [[.document(.originator(reportId: "fbi-1")), .pointer(holder: "USA-CIA")]])
    }

    @Test func chainNeverRunsThroughAnEntityTheReaderDoesNotKnow() {
        // why: a chain never reveals a new name; `ship` is only in holdings the reader cannot read.
        let reports = [
            Build.report("fbi-1", by: "USA-FBI", mentions: [(courier, 0)]),
            Build.report("cia-1", by: "USA-CIA", discoverability: .allPartners, mentions: [(courier, 0), (ship, 0)]),
            Build.report("cia-2", by: "USA-CIA", discoverability: .allPartners, mentions: [(ship, 0), (banker, 0)]),
            Build.report("fbi-2", by: "USA-FBI", mentions: [(banker, 0)]),
        ]
        let unknown = Build.index(reports).chains(from: courier, to: banker, for: Build.fbi)
        #expect(unknown.chains.isEmpty)
        #expect(unknown.length == 0)

        // Once the reader reads of `ship` elsewhere, the same holdings may join it.
        let known = Build.index(reports + [Build.report("fbi-3", by: "USA-FBI", mentions: [(ship, 0)])])
            .chains(from: courier, to: banker, for: Build.fbi)
        #expect(known.chains.map(path) == [[courier, ship, banker]])
        #expect(known.chains.map(vias) == [[.pointer(holder: "USA-CIA"), .pointer(holder: "USA-CIA")]])
    }

    @Test func chainNeverLinksThroughAMentionThatMayNotPoint() {
        // why: sources-and-methods and NOFORN mentions are never revealed across organisations, not even as a link.
        let index = Build.index([
            Build.report("fbi-1", by: "USA-FBI", mentions: [(safehouse, 0)]),
            Build.report("fbi-2", by: "USA-FBI", mentions: [(ship, 0)]),
            Build.report("cia-1", by: "USA-CIA",
                         portions: [Build.portion("SECRET", sourcesAndMethods: true), Build.portion("SECRET//NOFORN"),
                                    Build.portion("SECRET")],
                         discoverability: .allPartners, mentions: [(safehouse, 0), (banker, 1), (ship, 2)]),
        ])
        #expect(index.chains(from: safehouse, to: ship, for: Build.fbi) == noChains)
        #expect(index.chains(from: ship, to: banker, for: Build.fbi) == noChains)
    }

    @Test func undiscoverableHoldingNeverFormsALink() {
        // why: discovery without disclosure, a holding hidden from the asker links nothing.
        let index = Build.index([
            Build.report("fbi-1", by: "USA-FBI", mentions: [(courier, 0), (safehouse, 0)]),
            Build.report("cia-1", by: "USA-CIA", mentions: [(safehouse, 0), (banker, 0)]),
        ])
        #expect(index.chains(from: courier, to: banker, for: Build.fbi) == noChains)
        #expect(index.chains(from: safehouse, to: banker, for: Build.fbi) == noChains)
    }

    // MARK: Corroboration

    @Test func corroborationCountsOtherOriginatorsTheReaderMayReadOrDiscover() {
        // why: corroboration shows only holdings the reader may read or discover, and never the report's own originator.
        var index = Build.index([
            Build.report("cia-1", by: "USA-CIA", portions: [Build.portion("SECRET"), Build.portion("TOP SECRET")],
                         mentions: [(courier, 0), (safehouse, 0), (banker, 1)]),
            Build.report("cia-2", by: "USA-CIA", mentions: [(courier, 0)]),
            Build.report("gbr-1", by: "GBR", discoverability: .allPartners, mentions: [(courier, 0)]),
            Build.report("deu-1", by: "DEU", mentions: [(safehouse, 0)]),
            Build.report("fbi-1", by: "USA-FBI", mentions: [(safehouse, 0)]),
            Build.report("jor-1", by: "JOR", discoverability: .allPartners, mentions: [(banker, 0)]),
        ])
        index.record(Build.release("rel-1", to: "USA-CIA", portions: [0]), ofReport: "fbi-1")
        let active = Fixture.activeHigh
        let asker = Build.asker("USA-CIA", partnerships: ["GBR": active, "DEU": active, "USA-FBI": active, "JOR": active])
        #expect(index.corroboration(ofReport: "cia-1", for: asker) == ["GBR", "USA-FBI"])
    }

    // MARK: Discoverability

    @Test(arguments: [Discoverability.none, .ownOrganization, .allPartners, .partners(["GBR"]), .partners(["GBR", "USA-FBI"])])
    func discoverabilityRoundTrips(discoverability: Discoverability) {
        // why: the storage form must read back as the same choice.
        #expect(Discoverability(rawValue: discoverability.rawValue) == discoverability)
    }

    @Test func discoverabilityParsingSortsPartners() {
        #expect(Discoverability(rawValue: "partners:USA-FBI,GBR") == .partners(["GBR", "USA-FBI"]))
        #expect(Discoverability.default == .ownOrganization)
    }

    @Test(arguments: ["partners:", "partners:A,,B", "partners:A,", "everyone", "", "Own-Organisation"])
    func discoverabilityParsingRejectsJunk(text: String) {
        // why: an unreadable choice must not silently widen or narrow who discovers a report.
        #expect(Discoverability(rawValue: text) == nil)
    }

    // MARK: Adding reports

    @Test func addingAReportTwiceDoesNothing() {
        // why: reports never change, so a second add of the same id is ignored.
        var index = Build.index([Build.report("cia-1", by: "USA-CIA", mentions: [(courier, 0)])])
        let before = index.search(courier, for: Build.cia)
        index.add(Build.report("cia-1", by: "GBR", discoverability: .none, mentions: [(courier, 0), (banker, 0)]))
        #expect(index.reportCount == 1)
        #expect(index.mentionCount == 1)
        #expect(!index.hasEntity(banker))
        #expect(index.search(courier, for: Build.cia) == before)
        #expect(index.discoverability(ofReport: "cia-1") == .ownOrganization)
    }

    @Test func mentionsOfMissingPortionsAreIgnored() {
        // why: a mention must sit in a portion the decision rule can judge.
        let index = Build.index([
            Build.report("cia-1", by: "USA-CIA", mentions: [(courier, 0), (courier, 0), (safehouse, 1), (banker, -1)]),
        ])
        #expect(index.mentions(ofReport: "cia-1") == [IndexedMention(entity: courier, portion: 0)])
        #expect(index.mentionCount == 1)
        #expect(!index.hasEntity(safehouse))
        #expect(!index.hasEntity(banker))
        #expect(index.postingCount(courier) == 1)
    }
}

/// A destroyed report (a revoked received copy) leaves the index: no search, chain or pointer
/// reaches it, and the entities only it mentioned are no longer known.
@Suite struct EntityIndexRemovalTests {
    @Test func aRemovedReportLeavesNoPostingAndNamesTheEntitiesOnlyItHeld() {
        var index = Build.index([
            Build.report("kept", by: "USA-CIA", mentions: [(courier, 0)]),
            Build.report("copy", by: "USA-CIA", mentions: [(courier, 0), (banker, 0)]),
        ])
        #expect(index.search(courier, for: Build.cia).hitCount == 2)
        #expect(index.entitiesOnlyIn(report: "copy") == [banker])
        #expect(index.remove(report: "copy") == [banker])
        #expect(!index.contains(report: "copy"))
        #expect(index.search(courier, for: Build.cia).hitCount == 1, "the kept report is still found")
        #expect(index.search(banker, for: Build.cia) == noResult, "as if the copy never existed")
        #expect(!index.hasEntity(banker) && index.hasEntity(courier))
        #expect(index.mentions(ofReport: "copy").isEmpty)
        #expect(index.remove(report: "copy").isEmpty, "removing twice does nothing")
        #expect(index.chains(from: courier, to: banker, for: Build.cia) == noChains)
    }
}
