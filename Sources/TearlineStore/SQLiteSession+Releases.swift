import Foundation
import GRDB
import TearlineCore

extension SQLiteSession: ReleaseRepository {
    func insertRelease(_ r: ReleaseRecord) throws {
        try db.cachedStatement(sql: """
            INSERT INTO release (id, reportId, originator, recipient, portions, banner, orconApproved, createdBy, createdAt,
                                 signature, revokedAt, revokedBy, consentRequestId)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [r.id, r.reportId, r.originator, r.recipient, Self.encode(r.portions), r.banner.banner, r.orconApproved,
                        r.createdBy, r.createdAt, r.signature, r.revokedAt, r.revokedBy, r.consentRequestId])
    }

    func updateRelease(_ r: ReleaseRecord) throws {
        try db.cachedStatement(sql: "UPDATE release SET revokedAt = ?, revokedBy = ? WHERE id = ?").execute(arguments: [r.revokedAt, r.revokedBy, r.id])
    }

    func release(id: String) throws -> ReleaseRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM release WHERE id = ?"), arguments: [id]).map(Self.release(from:))
    }

    func releases(recipient: String, after cursor: String?, limit: Int) throws -> Page<ReleaseRecord> {
        var rows: [Row]
        if let cursor {
            let (createdAt, id) = try Cursor.decode(cursor)
            rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM release WHERE recipient = ? AND (createdAt < ? OR (createdAt = ? AND id < ?))
                ORDER BY createdAt DESC, id DESC LIMIT ?
                """), arguments: [recipient, createdAt, createdAt, id, limit + 1])
        } else {
            rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM release WHERE recipient = ? ORDER BY createdAt DESC, id DESC LIMIT ?"),
                arguments: [recipient, limit + 1])
        }
        var next: String?
        if rows.count > limit {
            rows.removeLast()
            next = rows.last.map { Cursor.encode(createdAt: $0["createdAt"], id: $0["id"]) }
        }
        return Page(items: try rows.map(Self.release(from:)), next: next)
    }

    func releases(report: String) throws -> [ReleaseRecord] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM release WHERE reportId = ? ORDER BY createdAt, id"), arguments: [report])
            .map(Self.release(from:))
    }

    static func encode(_ set: PortionSet) -> String {
        set.indexes.map(String.init).joined(separator: ",")
    }

    static func release(from row: Row) throws -> ReleaseRecord {
        let text: String = row["portions"]
        var portions = PortionSet()
        for part in text.split(separator: ",") {
            guard let index = Int(part), index >= 0, index < PortionSet.capacity else { throw StoreError.corruptRow("release.portions") }
            portions.insert(index)
        }
        guard let banner = try? Marking.parse(row["banner"] as String) else { throw StoreError.corruptRow("release.banner") }
        return ReleaseRecord(
            id: row["id"], reportId: row["reportId"], originator: row["originator"], recipient: row["recipient"],
            portions: portions, banner: banner, orconApproved: row["orconApproved"], createdBy: row["createdBy"],
            createdAt: row["createdAt"], signature: row["signature"], revokedAt: row["revokedAt"], revokedBy: row["revokedBy"],
            consentRequestId: row["consentRequestId"])
    }
}
