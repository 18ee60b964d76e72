import Foundation
import GRDB
import TearlineCore

extension SQLiteSession: ReleaseRepository {
    func insertRelease(_ r: ReleaseRecord, content: ReleaseContent) throws {
        let sealed = try context.sealer.seal(content, context: ContentSealer.releaseContext(r.id))
        try db.cachedStatement(sql: """
            INSERT INTO release (id, reportId, originator, recipient, portions, banner, orconApproved, createdBy, createdAt,
                                 signature, revokedAt, revokedBy, consentRequestId, dataKey, sealed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [r.id, r.reportId, r.originator, r.recipient, Self.encode(r.portions), r.banner.banner, r.orconApproved,
                        r.createdBy, r.createdAt, r.signature, r.revokedAt, r.revokedBy, r.consentRequestId,
                        sealed.wrappedKey, sealed.box])
        state.indexChanges.append(.release(IndexedRelease(r), reportId: r.reportId))
    }

    func updateRelease(_ r: ReleaseRecord) throws {
        state.indexChanges.append(.release(IndexedRelease(r), reportId: r.reportId))
        guard r.isRevoked else {
            try db.cachedStatement(sql: "UPDATE release SET revokedAt = ?, revokedBy = ? WHERE id = ?").execute(arguments: [r.revokedAt, r.revokedBy, r.id])
            return
        }
        // why: revoking destroys the release's key and its sealed copy; with secure_delete on, the
        // bytes are zeroed in the file, and the store truncates the journal after the commit.
        try db.cachedStatement(sql: "UPDATE release SET revokedAt = ?, revokedBy = ?, dataKey = NULL, sealed = NULL WHERE id = ?")
            .execute(arguments: [r.revokedAt, r.revokedBy, r.id])
        state.destroyedReleases.append(r.id)
        context.releases.remove(r.id)
    }

    func releaseContent(id: String) throws -> ReleaseContent? {
        if let cached = context.releases.get(id) { return cached }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT dataKey, sealed FROM release WHERE id = ?"), arguments: [id]),
              let wrappedKey: Data = row[0], let box: Data = row[1] else { return nil }
        guard let content = try? context.sealer.open(ReleaseContent.self, wrappedKey: wrappedKey, box: box, context: ContentSealer.releaseContext(id)) else {
            throw StoreError.corruptRow("release.sealed")
        }
        if readOnly { context.releases.put(id, content) }
        return content
    }

    func release(id: String) throws -> ReleaseRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.releaseColumns) FROM release WHERE id = ?"), arguments: [id]).map(Self.release(from:))
    }

    func releases(recipient: String, after cursor: String?, limit: Int) throws -> Page<ReleaseRecord> {
        var rows: [Row]
        if let cursor {
            let (createdAt, id) = try Cursor.decode(cursor)
            rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Self.releaseColumns) FROM release WHERE recipient = ? AND (createdAt < ? OR (createdAt = ? AND id < ?))
                ORDER BY createdAt DESC, id DESC LIMIT ?
                """), arguments: [recipient, createdAt, createdAt, id, limit + 1])
        } else {
            rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.releaseColumns) FROM release WHERE recipient = ? ORDER BY createdAt DESC, id DESC LIMIT ?"),
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
        try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.releaseColumns) FROM release WHERE reportId = ? ORDER BY createdAt, id"), arguments: [report])
            .map(Self.release(from:))
    }

    static func encode(_ set: PortionSet) -> String {
        set.indexes.map(String.init).joined(separator: ",")
    }

    static let releaseColumns = "id, reportId, originator, recipient, portions, banner, orconApproved, createdBy, createdAt, signature, revokedAt, revokedBy, consentRequestId"

    /// Decodes a row selected with ``releaseColumns``, by position.
    static func release(from row: Row) throws -> ReleaseRecord {
        let text: String = row[4]
        var portions = PortionSet()
        for part in text.split(separator: ",") {
            guard let index = Int(part), index >= 0, index < PortionSet.capacity else { throw StoreError.corruptRow("release.portions") }
            portions.insert(index)
        }
        guard let banner = try? Marking.parse(row[5] as String) else { throw StoreError.corruptRow("release.banner") }
        return ReleaseRecord(
            id: row[0], reportId: row[1], originator: row[2], recipient: row[3],
            portions: portions, banner: banner, orconApproved: row[6], createdBy: row[7],
            createdAt: row[8], signature: row[9], revokedAt: row[10], revokedBy: row[11],
            consentRequestId: row[12])
    }
}

extension IndexedRelease {
    init(_ r: ReleaseRecord) {
        self.init(id: r.id, recipient: r.recipient, portions: r.portions, revoked: r.isRevoked)
    }
}
