import Foundation
import TearlineCore
import TearlineStore

/// Correlation alerts: when a new report or release mentions an entity that appears in another
/// holding discoverable to an organisation, that organisation's members whose need-to-know
/// covers it are told, with pointer data only.
extension EntityService {
    /// At most this many members of one organisation are considered per new document.
    static let correlationMemberBudget = 500

    /// A new report: its own organisation's members who may read a mention learn of other
    /// holdings; partners to whom the report is discoverable, and who hold readable material on
    /// the same entity, learn of the new pointer.
    func notifyCorrelations(_ s: any StoreSession, newReport report: Report, discoverability: Discoverability, now: Int64) throws {
        try notifyCorrelations(s, newReport: report, discoverability: discoverability, now: now,
                               circle: try CorrelationCircle(s, organization: report.originator))
    }

    /// Who a new report of one organisation may concern: its members, and each partnership with
    /// the partner's members. Read once for a bulk import of many reports (it does not change
    /// inside the import's transaction).
    final class CorrelationCircle {
        let members: [MemberRecord]
        let partners: [(partnership: PartnershipRecord, partner: String)]
        /// Partners' members, read the first time a report is pointable to them.
        private var partnerMembers: [String: [MemberRecord]] = [:]

        init(_ s: any StoreSession, organization: String) throws {
            members = try s.members(organization: organization).prefix(EntityService.correlationMemberBudget).filter(EntityService.canBeTold)
            partners = try s.partnerships(involving: organization).map { partnership in
                (partnership, partnership.first == organization ? partnership.second : partnership.first)
            }
        }

        func members(of partner: String, _ s: any StoreSession) throws -> [MemberRecord] {
            if let known = partnerMembers[partner] { return known }
            let found = try s.members(organization: partner).prefix(EntityService.correlationMemberBudget).filter(EntityService.canBeTold)
            partnerMembers[partner] = found
            return found
        }
    }

    /// As ``notifyCorrelations(_:newReport:discoverability:now:)``, with the organisation's circle already read.
    func notifyCorrelations(_ s: any StoreSession, newReport report: Report, discoverability: Discoverability, now: Int64,
                            circle: CorrelationCircle) throws {
        let mentions = s.entityMentions(of: report)
        guard !mentions.isEmpty else { return }
        for member in circle.members {
            let readable = mentions.filter { m in
                DecisionRule.read(member.reader, portionIndex: m.portion, marking: report.portions[m.portion].marking,
                                  reportTopics: report.topicTags, hasGrant: false, channel: .originator).isAllowed
            }
            try notify(s, member: member, document: report.id, entities: readable.map(\.entity), excluding: report.id, now: now)
        }
        for (partnership, partner) in circle.partners {
            guard DiscoveryRule.isDiscoverable(discoverability, holder: report.originator, asker: partner, partnership: partnership.terms(releasesFrom: report.originator)) else { continue }
            let partnerTag = TagTable.shared.id(partner)
            let pointable = Set(mentions.filter { m in
                let p = report.portions[m.portion]
                return DiscoveryRule.mayPointAcross(p.marking.label, sourcesAndMethods: p.sourcesAndMethods, askerTag: partnerTag)
            }.map(\.entity))
            guard !pointable.isEmpty else { continue }
            for member in try circle.members(of: partner, s) {
                let asker = try asker(s, member)
                for entity in pointable.sorted() {
                    let found = s.withEntityIndex { $0.search(entity, for: asker, limit: 0) }
                    // why: only members who can read material of their own on the entity are told, and
                    // they learn no more than a search would show them once the report is committed.
                    guard found.hitCount > 0, let name = try s.entity(id: entity) else { continue }
                    var pointers = found.pointers
                    if let i = pointers.firstIndex(where: { $0.holder == report.originator }) {
                        pointers[i].count += 1
                    } else {
                        pointers.append(EntityPointer(holder: report.originator, count: 1))
                        pointers.sort { $0.holder < $1.holder }
                    }
                    try insertCorrelation(s, member: member, document: nil, entity: name, entityId: entity, ownHits: found.hitCount,
                                          pointers: pointers, now: now)
                }
            }
        }
    }

    /// A new release: the recipient's members who may read a mention in it learn of other holdings.
    func notifyCorrelations(_ s: any StoreSession, newRelease release: ReleaseRecord, report: Report, now: Int64) throws {
        let mentions = s.entityMentions(of: report).filter { release.portions.contains($0.portion) }
        guard !mentions.isEmpty, let partnership = try s.partnership(between: release.originator, and: release.recipient) else { return }
        let channel = ReadChannel.release(ReleaseFacts(portions: release.portions, revoked: false, partnership: partnership.terms(releasesFrom: release.originator)))
        for member in try s.members(organization: release.recipient).prefix(Self.correlationMemberBudget) where Self.canBeTold(member) {
            let readable = mentions.filter { m in
                DecisionRule.read(member.reader, portionIndex: m.portion, marking: report.portions[m.portion].marking,
                                  reportTopics: report.topicTags, hasGrant: false, channel: channel).isAllowed
            }
            try notify(s, member: member, document: release.id, entities: readable.map(\.entity), excluding: report.id, now: now)
        }
    }

    static func canBeTold(_ member: MemberRecord) -> Bool {
        member.status == .active && !member.throttled
    }

    /// One notification per entity that has other holdings the member may read or discover.
    private func notify(_ s: any StoreSession, member: MemberRecord, document: String, entities: [UInt64], excluding: String, now: Int64) throws {
        guard !entities.isEmpty else { return }
        let asker = try asker(s, member)
        for entity in Set(entities).sorted() {
            let found = s.withEntityIndex { $0.search(entity, for: asker, limit: 0, excluding: excluding) }
            guard found.hitCount > 0 || !found.pointers.isEmpty, let name = try s.entity(id: entity) else { continue }
            try insertCorrelation(s, member: member, document: document, entity: name, entityId: entity, ownHits: found.hitCount,
                                  pointers: found.pointers, now: now)
        }
    }

    private func insertCorrelation(_ s: any StoreSession, member: MemberRecord, document: String?, entity: NormalizedEntity, entityId: UInt64,
                                   ownHits: Int, pointers: [EntityPointer], now: Int64) throws {
        let detail = NotificationDetail(
            document: document, entity: EntityRef(kind: entity.kind.rawValue, value: entity.key),
            pointers: try pointerViews(pointers, entity: entityId, asker: member.organization, now: now), ownHits: ownHits)
        try s.insertNotification(NotificationRecord(id: self.ids.make("ntf"), member: member.id, kind: "correlation",
                                                    detail: try Self.encode(detail), createdAt: now))
    }

    static func encode(_ detail: NotificationDetail) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(detail), as: UTF8.self)
    }
}
