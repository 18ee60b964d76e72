/// A portion as the entity index sees it: its marking and whether it is sources-and-methods.
public struct IndexedPortion: Hashable, Sendable {
    public var label: MarkingLabel
    public var sourcesAndMethods: Bool

    public init(label: MarkingLabel, sourcesAndMethods: Bool) {
        self.label = label
        self.sourcesAndMethods = sourcesAndMethods
    }
}

/// A release of an indexed report: what its recipient holds.
public struct IndexedRelease: Hashable, Sendable {
    public var id: String
    public var recipient: String
    public var portions: PortionSet
    public var revoked: Bool

    public init(id: String, recipient: String, portions: PortionSet, revoked: Bool) {
        self.id = id
        self.recipient = recipient
        self.portions = portions
        self.revoked = revoked
    }
}

/// One entity mention: the entity's blind identifier and the portion that holds it.
public struct IndexedMention: Hashable, Sendable {
    public var entity: UInt64
    public var portion: Int

    public init(entity: UInt64, portion: Int) {
        self.entity = entity
        self.portion = portion
    }
}

/// What the index needs to know about a report (a holding of its originator).
public struct IndexedReport: Sendable {
    public var id: String
    public var originator: String
    public var topics: TagSet
    public var portions: [IndexedPortion]
    public var discoverability: Discoverability
    public var mentions: [IndexedMention]

    public init(id: String, originator: String, topics: TagSet, portions: [IndexedPortion], discoverability: Discoverability,
                mentions: [IndexedMention]) {
        self.id = id
        self.originator = originator
        self.topics = topics
        self.portions = portions
        self.discoverability = discoverability
        self.mentions = mentions
    }
}

/// The entity index: a postings structure (entity → the portions that mention it), linear in
/// mentions, with the policy facts of each holding beside it so that a search applies the
/// decision rule and the discovery rule without I/O. It never holds a pairwise table.
///
/// Entities are named by opaque 64-bit blind identifiers (the store derives them with a keyed
/// hash), so the index holds no names. Pure and single-threaded: callers guard it.
public struct EntityIndex: Sendable {
    // Holdings, by slot (insertion order).
    var reportIds: [String] = []
    var slots: [String: UInt32] = [:]
    var originators: [UInt32] = []
    var topicSet: [UInt32] = []
    var discover: [UInt32] = []
    var portionStart: [UInt32] = [0]
    var portionKind: [UInt32] = []
    var mentionStart: [UInt32] = [0]
    var mentionEntity: [UInt32] = []
    var mentionPortion: [UInt16] = []
    var releases: [UInt32: [IndexedRelease]] = [:]
    var hasReleases: [Bool] = []

    // Interned tables.
    var organizations = Interner<String>()
    var topicSets = Interner<TagSet>()
    var portionKinds = Interner<IndexedPortion>()
    var discoverabilities = Interner<Discoverability>()

    // Postings, by local entity number: (slot << 16 | portion), ascending.
    var entityNumbers: [UInt64: UInt32] = [:]
    var entityIds: [UInt64] = []
    var postings: [ContiguousArray<UInt64>] = []

    public init() {}

    public var reportCount: Int { reportIds.count }
    public var entityCount: Int { entityIds.count }
    public var mentionCount: Int { mentionEntity.count }

    public func contains(report id: String) -> Bool { slots[id] != nil }

    /// Adds a report. Adding a report already present does nothing (reports never change).
    public mutating func add(_ report: IndexedReport) {
        guard slots[report.id] == nil else { return }
        precondition(report.portions.count < Int(UInt16.max), "a report holds fewer than 65,535 portions")
        let slot = UInt32(reportIds.count)
        reportIds.append(report.id)
        slots[report.id] = slot
        originators.append(organizations.intern(report.originator))
        topicSet.append(topicSets.intern(report.topics))
        discover.append(discoverabilities.intern(report.discoverability))
        hasReleases.append(false)
        for portion in report.portions { portionKind.append(portionKinds.intern(portion)) }
        portionStart.append(UInt32(portionKind.count))
        var previous: IndexedMention?
        for mention in report.mentions.sorted(by: { ($0.portion, $0.entity) < ($1.portion, $1.entity) })
        where report.portions.indices.contains(mention.portion) && mention != previous {
            previous = mention
            let number = entityNumber(mention.entity)
            mentionEntity.append(number)
            mentionPortion.append(UInt16(mention.portion))
            postings[Int(number)].append(UInt64(slot) << 16 | UInt64(mention.portion))
        }
        mentionStart.append(UInt32(mentionEntity.count))
    }

    /// Records a new release of an indexed report, or a change to one (a revocation).
    public mutating func record(_ release: IndexedRelease, ofReport reportId: String) {
        guard let slot = slots[reportId] else { return }
        var list = releases[slot] ?? []
        if let i = list.firstIndex(where: { $0.id == release.id }) { list[i] = release } else { list.append(release) }
        releases[slot] = list
        hasReleases[Int(slot)] = true
    }

    /// Takes a destroyed report out of the index: its postings go, so no search, link or pointer
    /// reaches it, and its id is no longer known. Returns the entities that no other holding
    /// mentions any more (their stored names can go too).
    /// why: a revoked received copy must leave nothing on the recipient node, index included.
    @discardableResult
    public mutating func remove(report reportId: String) -> [UInt64] {
        guard let slot = slots[reportId] else { return [] }
        var orphaned: [UInt64] = []
        for number in Set(mentionRange(slot).map { Int(mentionEntity[$0]) }) {
            postings[number].removeAll { UInt32(truncatingIfNeeded: $0 >> 16) == slot }
            if postings[number].isEmpty { orphaned.append(entityIds[number]) }
        }
        slots[reportId] = nil
        releases[slot] = nil
        hasReleases[Int(slot)] = false
        return orphaned.sorted()
    }

    /// The entities of a report that no other holding mentions.
    public func entitiesOnlyIn(report reportId: String) -> [UInt64] {
        guard let slot = slots[reportId] else { return [] }
        return Set(mentionRange(slot).map { Int(mentionEntity[$0]) }).filter { number in
            postings[number].allSatisfy { UInt32(truncatingIfNeeded: $0 >> 16) == slot }
        }.map { entityIds[$0] }.sorted()
    }

    /// Changes who may discover a report.
    public mutating func setDiscoverability(_ discoverability: Discoverability, ofReport reportId: String) {
        guard let slot = slots[reportId] else { return }
        discover[Int(slot)] = discoverabilities.intern(discoverability)
    }

    public func discoverability(ofReport reportId: String) -> Discoverability? {
        slots[reportId].map { discoverabilities.values[Int(discover[Int($0)])] }
    }

    /// The blind identifiers of the entities a report mentions, with their portions.
    public func mentions(ofReport reportId: String) -> [IndexedMention] {
        guard let slot = slots[reportId] else { return [] }
        return mentionRange(slot).map { IndexedMention(entity: entityIds[Int(mentionEntity[$0])], portion: Int(mentionPortion[$0])) }
    }

    /// How many postings an entity has (all holdings, before any policy).
    public func postingCount(_ entity: UInt64) -> Int {
        entityNumbers[entity].map { postings[Int($0)].count } ?? 0
    }

    /// The memory the index takes, in bytes: its arrays, the report ids and their lookup table, and
    /// the releases recorded per report. An estimate: a heap string is counted with 32 bytes of
    /// header, a dictionary entry at a load factor of 3/4; the allocator's own slack is left out.
    public var approximateBytes: Int {
        let postingBytes = postings.reduce(0) { $0 + $1.capacity * 8 + 32 }
        let idBytes = reportIds.reduce(0) { $0 + ($1.utf8.count > 15 ? $1.utf8.count + 32 : 0) }
        // why capacities: a growing array holds up to twice what it counts.
        let slotBytes = reportIds.capacity * 16 + idBytes + slots.capacity * (16 + 4) * 4 / 3
            + (originators.capacity + topicSet.capacity + discover.capacity + portionStart.capacity + mentionStart.capacity) * 4
            + hasReleases.capacity
        let releaseBytes = releases.capacity * (4 + 8) * 4 / 3 + releases.values.reduce(0) { total, list in
            total + 32 + list.capacity * MemoryLayout<IndexedRelease>.stride + list.reduce(0) { $0 + ($1.id.utf8.count > 15 ? $1.id.utf8.count + 32 : 0) }
        }
        return postingBytes + slotBytes + releaseBytes + portionKind.capacity * 4 + mentionEntity.capacity * 4 + mentionPortion.capacity * 2
            + entityIds.capacity * 8 + postings.capacity * 8 + entityNumbers.capacity * (8 + 4) * 4 / 3
    }

    mutating func entityNumber(_ entity: UInt64) -> UInt32 {
        if let number = entityNumbers[entity] { return number }
        let number = UInt32(entityIds.count)
        entityNumbers[entity] = number
        entityIds.append(entity)
        postings.append([])
        return number
    }

    func mentionRange(_ slot: UInt32) -> Range<Int> {
        Int(mentionStart[Int(slot)])..<Int(mentionStart[Int(slot) + 1])
    }

    func portion(_ slot: UInt32, _ index: Int) -> IndexedPortion? {
        let start = Int(portionStart[Int(slot)]), end = Int(portionStart[Int(slot) + 1])
        guard index >= 0, start + index < end else { return nil }
        return portionKinds.values[Int(portionKind[start + index])]
    }
}

/// Interns values: equal values share one small number.
struct Interner<Value: Hashable & Sendable>: Sendable {
    private(set) var values: [Value] = []
    private var numbers: [Value: UInt32] = [:]

    mutating func intern(_ value: Value) -> UInt32 {
        if let number = numbers[value] { return number }
        let number = UInt32(values.count)
        values.append(value)
        numbers[value] = number
        return number
    }

    func number(of value: Value) -> UInt32? { numbers[value] }
}

extension EntityIndex {
    /// Whether any holding mentions this entity (an entity whose last holding was destroyed is not).
    public func hasEntity(_ entity: UInt64) -> Bool { entityNumbers[entity].map { !postings[Int($0)].isEmpty } ?? false }
}

extension IndexedReport {
    /// The index's view of a report: its policy facts and its mentions.
    public init(_ report: Report, discoverability: Discoverability, mentions: [IndexedMention]) {
        self.init(id: report.id, originator: report.originator, topics: report.topicTags,
                  portions: report.portions.map { IndexedPortion(label: $0.marking.label, sourcesAndMethods: $0.sourcesAndMethods) },
                  discoverability: discoverability, mentions: mentions)
    }
}
