import Foundation
import GRDB
import TearlineCore

extension SQLiteSession: EntityRepository {
    /// Writes a report's mentions (normalised, blind) and returns what the in-memory index needs.
    @discardableResult
    func indexMentions(of report: Report, row: Int64) throws -> [IndexedMention] {
        let keys = context.entityKeys
        let entity = try db.cachedStatement(sql: "INSERT OR IGNORE INTO entity (id, kind, sealedName) VALUES (?, ?, ?)")
        let mention = try db.cachedStatement(sql: "INSERT OR IGNORE INTO mention (report, portionIdx, entity) VALUES (?, ?, ?)")
        let mentions = EntityKeys.mentions(of: report).map { (id: keys.id(of: $0.entity), entity: $0.entity, portion: $0.portion) }
        // why: an entity already in the committed index has its row; only new ones are sealed and written.
        let known = context.entities.read { index in mentions.map { index.hasEntity($0.id) } }
        var indexed: [IndexedMention] = []
        for ((id, normalized, portion), isKnown) in zip(mentions, known) {
            if !isKnown {
                try entity.execute(arguments: [Int64(id), normalized.kind.rawValue, try keys.sealName(normalized, id: id)])
            }
            try mention.execute(arguments: [row, portion, Int64(id)])
            indexed.append(IndexedMention(entity: id, portion: portion))
        }
        return indexed
    }

    public func withEntityIndex<T>(_ body: (EntityIndex) throws -> T) rethrows -> T {
        try context.entities.read(body)
    }

    public func entityId(of entity: NormalizedEntity) -> UInt64 {
        context.entityKeys.id(of: entity)
    }

    public func entityMentions(of report: Report) -> [IndexedMention] {
        EntityKeys.mentions(of: report).map { IndexedMention(entity: context.entityKeys.id(of: $0.entity), portion: $0.portion) }
    }

    public func entity(id: UInt64) throws -> NormalizedEntity? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT kind, sealedName FROM entity WHERE id = ?"), arguments: [Int64(id)]) else {
            return nil
        }
        return context.entityKeys.openName(row[1], kind: row[0], id: id)
    }

    public func setDiscoverability(_ discoverability: Discoverability, report: String) throws {
        try db.cachedStatement(sql: "UPDATE report SET discoverability = ? WHERE id = ?").execute(arguments: [discoverability.rawValue, report])
        state.indexChanges.append(.discoverability(report, discoverability))
    }

    public func discoverability(report: String) throws -> Discoverability? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT discoverability FROM report WHERE id = ?"), arguments: [report])
            .flatMap(Discoverability.init(rawValue:))
    }

    public func grants(member: String) throws -> Set<String> {
        Set(try String.fetchAll(db.cachedStatement(sql: "SELECT reportId FROM needToKnowGrant WHERE memberId = ?"), arguments: [member]))
    }
}
