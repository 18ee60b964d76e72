import Foundation
import PropertyBased
import Testing
import TearlineCore

/// The set a partner node may search privately: exactly the holdings the discovery rule opens to
/// the partner, with a mention that could point across nodes; nothing else leaves a trace.
@Suite("Partner discovery set")
struct PartnerSetTests {
    private static let phone: UInt64 = 0xF0
    private static let ip: UInt64 = 0x1F

    private static func report(_ id: String, by originator: String = "USA", marking: String = "SECRET//REL TO USA, GBR",
                               sourcesAndMethods: Bool = false, discoverability: Discoverability = .allPartners,
                               entity: UInt64 = phone) -> IndexedReport {
        IndexedReport(id: id, originator: originator, topics: TagSet(["terrorism"]),
                      portions: [IndexedPortion(label: Fixture.marking(marking).label, sourcesAndMethods: sourcesAndMethods)],
                      discoverability: discoverability, mentions: [IndexedMention(entity: entity, portion: 0)])
    }

    private static func set(_ reports: [IndexedReport], holders: [String: PartnershipTerms] = ["USA": Fixture.activeHigh]) -> [UInt64: [EntityPointer]] {
        var index = EntityIndex()
        for r in reports { index.add(r) }
        return index.partnerSet(for: "GBR", holders: holders)
    }

    @Test func aDiscoverableHoldingIsOfferedWithItsHolderAndCount() {
        let set = Self.set([Self.report("r1"), Self.report("r2", discoverability: .partners(["GBR"])), Self.report("r3", entity: Self.ip)])
        #expect(set[Self.phone] == [EntityPointer(holder: "USA", count: 2)])
        #expect(set[Self.ip] == [EntityPointer(holder: "USA", count: 1)])
    }

    @Test(arguments: [
        ("own organisation only", "SECRET//REL TO USA, GBR", false, Discoverability.ownOrganization),
        ("discoverable to nobody", "SECRET//REL TO USA, GBR", false, .none),
        ("named partners without GBR", "SECRET//REL TO USA, GBR", false, .partners(["DEU"])),
        ("NOFORN", "SECRET//NOFORN", false, .allPartners),
        ("sources and methods", "SECRET//REL TO USA, GBR", true, .allPartners),
        ("TLP:RED", "TLP:RED", false, .allPartners),
        ("REL TO without GBR", "SECRET//REL TO USA, DEU", false, .allPartners),
    ])
    func aHoldingTheRuleClosesLeavesNoTrace(_ name: String, _ marking: String, _ sourcesAndMethods: Bool, _ discoverability: Discoverability) {
        let closed = Self.report("closed", marking: marking, sourcesAndMethods: sourcesAndMethods, discoverability: discoverability)
        #expect(Self.set([closed]).isEmpty, "\(name)")
        // why: beside an open holding, the closed one does not even change the count.
        #expect(Self.set([Self.report("open"), closed]) == Self.set([Self.report("open")]), "\(name)")
    }

    @Test func aSuspendedPartnershipOffersNothing() {
        #expect(Self.set([Self.report("r1")], holders: ["USA": Fixture.suspendedHigh]).isEmpty)
    }

    @Test func holdingsOfOrganisationsNotHostedHereAreNeverOffered() {
        // why: a copy received from another node (its originator is not among the holders) is not ours to offer.
        #expect(Self.set([Self.report("copy", by: "DEU")]).isEmpty)
        // nor is the partner's own material, even were it listed.
        #expect(Self.set([Self.report("own", by: "GBR")], holders: ["GBR": Fixture.activeHigh]).isEmpty)
    }

    @Test func theHoldingsAnAccessRequestCoversAreTheOnesInTheSet() {
        var index = EntityIndex()
        for r in [Self.report("open"), Self.report("noforn", marking: "SECRET//NOFORN"), Self.report("other", by: "FRA")] { index.add(r) }
        #expect(index.partnerHoldings(Self.phone, holder: "USA", partner: "GBR", terms: Fixture.activeHigh) == ["open"])
        #expect(index.partnerHoldings(Self.phone, holder: "USA", partner: "GBR", terms: Fixture.suspendedHigh).isEmpty)
        #expect(index.partnerHoldings(Self.ip, holder: "USA", partner: "GBR", terms: Fixture.activeHigh).isEmpty)
    }

    /// The set restated holding by holding from the rule as documented.
    private static func reference(_ world: IndexWorld, partner: String, holders: [String: PartnershipTerms]) -> [UInt64: [EntityPointer]] {
        var counts: [UInt64: [String: Int]] = [:]
        for report in world.reports where report.originator != partner {
            guard let terms = holders[report.originator], terms.status == .active else { continue }
            let open = switch report.discoverability {
            case .none, .ownOrganization: false
            case .allPartners: true
            case .partners(let names): names.contains(partner)
            }
            guard open else { continue }
            for entity in IndexGenerators.entities {
                let pointable = ReferenceIndex.mentioning(entity, in: report).contains { p in
                    let label = report.portions[p].label
                    let relTo = !label.restrictsRelease || label.relTo.contains(id: TagTable.shared.id(partner))
                    return !report.portions[p].sourcesAndMethods && !label.noforn && !label.tlpRed && relTo
                }
                if pointable { counts[entity, default: [:]][report.originator, default: 0] += 1 }
            }
        }
        return counts.mapValues { $0.map { EntityPointer(holder: $0.key, count: $0.value) }.sorted { $0.holder < $1.holder } }
    }

    @Test func theSetIsExactlyWhatTheRuleOpensToThePartner() async {
        // why: nobody learns, even as a count, of a holding the discovery rule keeps from them.
        await propertyCheck(count: 300, input: IndexGenerators.world) { world in
            let partner = world.asker.reader.organization
            let index = world.index()
            #expect(index.partnerSet(for: partner, holders: world.asker.partnerships) == Self.reference(world, partner: partner, holders: world.asker.partnerships))
        }
    }
}

@Suite("Private discovery cryptography")
struct DiscoveryCryptoTests {
    private let entity = NormalizedEntity(kind: .phone, key: "+442079460958")
    private let other = NormalizedEntity(kind: .phone, key: "+442079460959")

    @Test func theAskerLearnsTheHoldersOutputThroughTheBlindedExchange() throws {
        let key = DiscoveryKey()
        let query = try DiscoveryQuery(entity, publicKey: key.publicKey)
        #expect(query.blindedElement.count == DiscoveryOPRF.elementBytes)
        let output = try query.finish(evaluation: try key.evaluate(blindedElement: query.blindedElement))
        #expect(output == key.output(entity))
        #expect(output != key.output(other))
        // why: the element sent hides the value; blinding the same entity twice sends unrelated bytes.
        #expect(try DiscoveryQuery(entity, publicKey: key.publicKey).blindedElement != query.blindedElement)
    }

    @Test func anotherKeysOutputsDoNotMatch() throws {
        #expect(DiscoveryKey().output(entity) != DiscoveryKey().output(entity))
    }

    @Test func aForgedEvaluationDoesNotVerify() throws {
        let published = DiscoveryKey()
        let query = try DiscoveryQuery(entity, publicKey: published.publicKey)
        // Evaluated with a key other than the published one: its proof fails.
        let forged = try DiscoveryKey().evaluate(blindedElement: query.blindedElement)
        #expect(throws: DiscoveryCryptoError.self) { try query.finish(evaluation: forged) }
        #expect(throws: DiscoveryCryptoError.self) { try query.finish(evaluation: Data(repeating: 7, count: 145)) }
        #expect(throws: DiscoveryCryptoError.self) { try query.finish(evaluation: Data()) }
        var flipped = try published.evaluate(blindedElement: query.blindedElement)
        flipped[flipped.count - 1] ^= 1
        #expect(throws: DiscoveryCryptoError.self) { try query.finish(evaluation: flipped) }
    }

    @Test func aReplayedEvaluationDoesNotVerify() throws {
        let key = DiscoveryKey()
        let first = try DiscoveryQuery(entity, publicKey: key.publicKey)
        let answer = try key.evaluate(blindedElement: first.blindedElement)
        // The same answer offered to a second query, of the same entity or another.
        #expect(throws: DiscoveryCryptoError.self) { try DiscoveryQuery(entity, publicKey: key.publicKey).finish(evaluation: answer) }
        #expect(throws: DiscoveryCryptoError.self) { try DiscoveryQuery(other, publicKey: key.publicKey).finish(evaluation: answer) }
    }

    @Test func aMalformedElementOrKeyIsRefused() {
        #expect(throws: DiscoveryCryptoError.self) { try DiscoveryKey().evaluate(blindedElement: Data(repeating: 2, count: 49)) }
        #expect(throws: DiscoveryCryptoError.self) { try DiscoveryQuery(entity, publicKey: Data(repeating: 1, count: 49)) }
        #expect(throws: DiscoveryCryptoError.self) { try DiscoveryKey(rawRepresentation: Data([1, 2, 3])) }
        #expect(!DiscoveryOPRF.isPublicKey(Data(repeating: 1, count: 49)))
    }

    @Test func aKeySurvivesItsRawForm() throws {
        let key = DiscoveryKey()
        let again = try DiscoveryKey(rawRepresentation: key.rawRepresentation)
        #expect(again.output(entity) == key.output(entity))
        #expect(again.publicKey == key.publicKey)
        #expect(DiscoveryOPRF.isPublicKey(key.publicKey))
    }

    @Test func anEntryOpensOnlyWithItsOwnOutput() {
        let key = DiscoveryKey()
        let pointers = [EntityPointer(holder: "USA-FBI", count: 1), EntityPointer(holder: "USA", count: 3)]
        let payload = DiscoverySealing.seal(pointers, output: key.output(entity))
        #expect(DiscoverySealing.open(payload, output: key.output(entity)) == pointers.sorted { $0.holder < $1.holder })
        #expect(DiscoverySealing.open(payload, output: key.output(other)) == nil)
        var altered = payload
        altered[20] ^= 1
        #expect(DiscoverySealing.open(altered, output: key.output(entity)) == nil)
        #expect(DiscoverySealing.tag(key.output(entity)).count == DiscoverySealing.tagBytes)
        #expect(DiscoverySealing.tag(key.output(entity)) != DiscoverySealing.tag(key.output(other)))
    }

    @Test func sealingIsDeterministicSoTheSameSetIsTheSameBytes() {
        let output = DiscoveryKey().output(entity)
        let pointers = [EntityPointer(holder: "USA", count: 2)]
        #expect(DiscoverySealing.seal(pointers, output: output) == DiscoverySealing.seal(pointers, output: output))
        #expect(DiscoverySealing.seal(pointers, output: output) != DiscoverySealing.seal([EntityPointer(holder: "USA", count: 3)], output: output))
    }
}

@Suite("Private discovery budget")
struct DiscoveryBudgetTests {
    private let budget = DiscoveryBudget(perDay: 10, alertAt: 8)

    @Test func evaluationsCountUntilTheBudgetIsSpent() {
        var state = DiscoveryBudgetState()
        let first = DiscoveryBudgetRule.charge(7, state: state, budget: budget, now: 1_000)
        #expect(first.allowed && first.alert == nil && first.remaining == 3)
        state = first.state
        let second = DiscoveryBudgetRule.charge(1, state: state, budget: budget, now: 2_000)
        #expect(second.allowed && second.alert == .threshold && second.remaining == 2)
        state = second.state
        let third = DiscoveryBudgetRule.charge(1, state: state, budget: budget, now: 3_000)
        #expect(third.allowed && third.alert == nil, "the threshold is alerted once a window")
        state = third.state
        // why whole: a request that would go past the budget is refused and charges nothing.
        let over = DiscoveryBudgetRule.charge(2, state: state, budget: budget, now: 4_000)
        #expect(!over.allowed && over.alert == .exhausted && over.state.used == 9)
        let again = DiscoveryBudgetRule.charge(2, state: over.state, budget: budget, now: 5_000)
        #expect(!again.allowed && again.alert == nil, "exhaustion is alerted once a window")
        let last = DiscoveryBudgetRule.charge(1, state: again.state, budget: budget, now: 6_000)
        #expect(last.allowed && last.remaining == 0)
    }

    @Test func aNewWindowStartsAfterADay() {
        let spent = DiscoveryBudgetState(windowStart: 1_000, used: 10, alerted: 2)
        #expect(!DiscoveryBudgetRule.charge(1, state: spent, budget: budget, now: 1_000 + DiscoveryBudgetRule.window - 1).allowed)
        let next = DiscoveryBudgetRule.charge(1, state: spent, budget: budget, now: 1_000 + DiscoveryBudgetRule.window)
        #expect(next.allowed && next.state.used == 1 && next.state.alerted == 0)
    }

    @Test func aZeroBudgetRefusesEverything() {
        #expect(!DiscoveryBudgetRule.charge(1, state: DiscoveryBudgetState(), budget: DiscoveryBudget(perDay: 0, alertAt: 1), now: 5).allowed)
    }
}

@Suite("Private discovery set pages")
struct DiscoverySetPageTests {
    private let page = DiscoverySetPage(epoch: 3, reset: true, more: true, after: 0, through: 2, publicKey: DiscoveryKey().publicKey, entries: [
        .init(tag: Data(repeating: 1, count: 16), payload: Data([9, 8, 7])),
        .init(tag: Data(repeating: 2, count: 16), payload: Data(repeating: 5, count: 40)),
    ])

    @Test func aPageRoundTrips() throws {
        #expect(try DiscoverySetPage.decode(page.encoded()) == page)
        let empty = DiscoverySetPage(epoch: 1, reset: false, more: false, after: 5, through: 5, publicKey: Data(), entries: [])
        #expect(try DiscoverySetPage.decode(empty.encoded()) == empty)
    }

    @Test func aMalformedPageIsRefused() {
        let bytes = page.encoded()
        #expect(throws: DiscoverySetPage.Malformed.self) { try DiscoverySetPage.decode(Array(bytes.dropLast())) }
        #expect(throws: DiscoverySetPage.Malformed.self) { try DiscoverySetPage.decode(bytes + [0]) }
        #expect(throws: DiscoverySetPage.Malformed.self) { try DiscoverySetPage.decode(Array("TLDS2".utf8) + bytes.dropFirst(5)) }
        #expect(throws: DiscoverySetPage.Malformed.self) { try DiscoverySetPage.decode([]) }
        var flags = bytes
        flags[13] = 0xFF
        #expect(throws: DiscoverySetPage.Malformed.self) { try DiscoverySetPage.decode(flags) }
    }
}

@Suite("Private discovery key rotation")
struct DiscoveryRotationTests {
    private let day: Int64 = 24 * 3600 * 1000
    private let usa2: [UInt64: [EntityPointer]] = [1: [EntityPointer(holder: "USA", count: 2)]]

    @Test func aPartnerWithoutAKeyGetsOne() {
        #expect(DiscoveryRotation.reason(keyCreatedAt: nil, now: 0, published: [:], desired: [:]) == .first)
    }

    @Test func aKeyIsReplacedAfterAWeek() {
        #expect(DiscoveryRotation.reason(keyCreatedAt: 0, now: 7 * day - 1, published: usa2, desired: usa2) == nil)
        #expect(DiscoveryRotation.reason(keyCreatedAt: 0, now: 7 * day, published: usa2, desired: usa2) == .schedule)
    }

    @Test(arguments: [
        ("the entry went", [UInt64: [EntityPointer]]()),
        ("the count fell", [1: [EntityPointer(holder: "USA", count: 1)]]),
        ("the holder went, another came", [1: [EntityPointer(holder: "USA-FBI", count: 5)]]),
    ])
    func anyLossReplacesTheKey(_ name: String, _ desired: [UInt64: [EntityPointer]]) {
        #expect(DiscoveryRotation.reason(keyCreatedAt: 0, now: day, published: usa2, desired: desired) == .withdrawn, "\(name)")
    }

    @Test func growthKeepsTheKeyAndWritesOnlyWhatChanged() {
        let desired: [UInt64: [EntityPointer]] = [1: [EntityPointer(holder: "USA", count: 3)], 2: [EntityPointer(holder: "USA", count: 1)],
                                                  3: [EntityPointer(holder: "USA", count: 1)]]
        let published = usa2.merging([3: [EntityPointer(holder: "USA", count: 1)]]) { a, _ in a }
        #expect(DiscoveryRotation.reason(keyCreatedAt: 0, now: day, published: published, desired: desired) == nil)
        #expect(DiscoveryRotation.changed(published: published, desired: desired, rotating: false) == [1, 2])
        #expect(DiscoveryRotation.changed(published: published, desired: desired, rotating: true) == [1, 2, 3])
    }

    @Test func holdersRoundTripAsText() {
        let pointers = [EntityPointer(holder: "USA-FBI", count: 1), EntityPointer(holder: "USA", count: 3)]
        #expect(DiscoveryHolders.encode(pointers) == "USA:3,USA-FBI:1")
        #expect(DiscoveryHolders.decode("USA:3,USA-FBI:1") == pointers.sorted { $0.holder < $1.holder })
        #expect(DiscoveryHolders.decode("USA:0") == nil)
        #expect(DiscoveryHolders.decode("USA") == nil)
    }
}
