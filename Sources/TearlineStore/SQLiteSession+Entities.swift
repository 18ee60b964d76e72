import Foundation
import GRDB
import TearlineCore

extension SQLiteSession: EntityRepository {
    /// Writes a report's mentions (normalised, blind) and returns what the in-memory index needs.
    @discardableResult
    func indexMentions(of report: Report, row: Int64, extracting: Bool = false) throws -> [IndexedMention] {
        let keys = context.entityKeys
        let mentions = EntityKeys.mentions(of: report, extracting: extracting).map { (id: keys.id(of: $0.entity), entity: $0.entity, portion: $0.portion) }
        // why: an entity already in the committed index has its row; only new ones are sealed and written.
        let known = context.entities.read { index in mentions.map { index.hasEntity($0.id) } }
        let entity = try db.cachedStatement(sql: "INSERT OR IGNORE INTO entity (id, kind, sealedName) VALUES (?, ?, ?)")
        for ((id, normalized, _), isKnown) in zip(mentions, known) where !isKnown {
            try entity.execute(arguments: [Int64(id), normalized.kind.rawValue, try keys.sealName(normalized, id: id)])
        }
        let indexed = mentions.map { IndexedMention(entity: $0.id, portion: $0.portion) }
        if !extracting { state.lastIndexed = (report.id, report.entities, indexed) }
        if !indexed.isEmpty {
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO mention (report, mentions) VALUES (?, ?)")
                .execute(arguments: [row, MentionPacking.pack(indexed)])
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
        // why: a report just inserted in this transaction had its mentions keyed then (normalising and
        // keying every entity is most of the cost); the same entities give the same mentions.
        if let last = state.lastIndexed, last.report == report.id, last.entities == report.entities { return last.mentions }
        return EntityKeys.mentions(of: report).map { IndexedMention(entity: context.entityKeys.id(of: $0.entity), portion: $0.portion) }
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

    public func grants(member: String) throws -> Set<String> {
        Set(try String.fetchAll(db.cachedStatement(sql: "SELECT reportId FROM needToKnowGrant WHERE memberId = ?"), arguments: [member]))
    }
}

/// A report's mentions as stored: 10 bytes each, the portion (UInt16) then the blind entity
/// identifier (UInt64), little-endian. One row per report keeps writing and loading linear.
enum MentionPacking {
    static func pack(_ mentions: [IndexedMention]) -> Data {
        var data = Data(capacity: mentions.count * 10)
        for m in mentions {
            withUnsafeBytes(of: UInt16(truncatingIfNeeded: m.portion).littleEndian) { data.append(contentsOf: $0) }
            withUnsafeBytes(of: m.entity.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    static func unpack(_ bytes: UnsafeRawBufferPointer) -> [IndexedMention] {
        var result: [IndexedMention] = []
        result.reserveCapacity(bytes.count / 10)
        var i = 0
        while i + 10 <= bytes.count {
            let portion = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt16.self))
            let entity = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i + 2, as: UInt64.self))
            result.append(IndexedMention(entity: entity, portion: Int(portion)))
            i += 10
        }
        return result
    }
}
