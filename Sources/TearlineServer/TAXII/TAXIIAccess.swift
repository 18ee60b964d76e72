import Foundation
import TearlineCore
import TearlineStore

/// What a member may do with a collection: ``CollectionRule`` applied to a stored collection.
typealias TAXIIAccess = CollectionAccess

extension CollectionAccess {
    init(_ c: TAXIICollectionRecord, member: MemberRecord) {
        self = CollectionRule.access(kind: c.kind, owner: c.organization, readers: c.readers, writers: c.writers,
                                     organization: member.organization, memberSuspended: member.status == .suspended)
    }
}

/// Decides, within one request, which stored objects a member may read; markings and
/// partnerships are looked up once per distinct value.
final class SharedReadDecider {
    let session: any StoreSession
    let member: MemberRecord
    let reader: Reader
    let collection: TAXIICollectionRecord
    let isReader: Bool
    let topics: TagSet
    private var markings: [String: MarkingLabel?] = [:]
    private var partnerships: [String: PartnershipTerms?] = [:]
    private(set) var withheld = 0

    init(session: any StoreSession, member: MemberRecord, collection: TAXIICollectionRecord, access: TAXIIAccess) {
        self.session = session
        self.member = member
        self.reader = member.reader
        self.collection = collection
        self.isReader = access.canRead
        self.topics = TagSet(collection.topics)
    }

    func decide(owner: String, marking text: String) throws -> Decision {
        let label: MarkingLabel?
        if let cached = markings[text] {
            label = cached
        } else {
            label = (try? Marking.parse(text))?.label
            markings[text] = label
        }
        // why: a marking the node cannot read back is treated as unreadable, never as open.
        guard let label else { return .deny(.noAccessPath) }
        let terms: PartnershipTerms?
        if owner == member.organization {
            terms = nil
        } else if let cached = partnerships[owner] {
            terms = cached
        } else {
            let found = try session.partnership(between: member.organization, and: owner).map { $0.terms(releasesFrom: owner) }
            partnerships[owner] = found
            terms = found
        }
        let decision = DecisionRule.shared(reader, holding: SharedHolding(owner: owner, marking: label, topics: topics),
                                           isCollectionReader: isReader, partnership: terms)
        if !decision.isAllowed { withheld += 1 }
        return decision
    }
}

/// Strictly increasing microsecond times for `date_added`: every stored object has its own, so a
/// client that asks for what was added after the last date it saw misses nothing and repeats nothing.
final class TAXIIClock: @unchecked Sendable {
    // why @unchecked: `last` is behind `lock`.
    private let lock = NSLock()
    private var last: Int64 = 0

    func next(nowMs: Int64) -> Int64 {
        lock.withLock {
            last = max(nowMs * 1000, last + 1)
            return last
        }
    }
}
