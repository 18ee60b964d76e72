import Foundation
import TearlineCore

extension PostgresSession: ReleaseRepository {
    func insertRelease(_ r: ReleaseRecord, content: ReleaseContent) throws {
        let sealed = try context.sealer.seal(content, context: ContentSealer.releaseContext(r.id))
        try link.execute("""
            INSERT INTO release (id, reportId, originator, recipient, portions, banner, orconApproved, createdBy, createdAt,
                                 signature, revokedAt, revokedBy, consentRequestId, dataKey, sealed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(r.id), .text(r.reportId), .text(r.originator), .text(r.recipient), .text(SQLiteSession.encode(r.portions)),
                  .text(r.banner.banner), .int(r.orconApproved ? 1 : 0), .text(r.createdBy), .int(r.createdAt), .bytes(r.signature),
                  .optional(r.revokedAt), .optional(r.revokedBy), .optional(r.consentRequestId), .bytes(sealed.wrappedKey), .bytes(sealed.box)])
        state.indexChanges.append(.release(IndexedRelease(r), reportId: r.reportId))
    }

    func updateRelease(_ r: ReleaseRecord) throws {
        state.indexChanges.append(.release(IndexedRelease(r), reportId: r.reportId))
        guard r.isRevoked else {
            try link.execute("UPDATE release SET revokedAt = ?, revokedBy = ? WHERE id = ?", [.optional(r.revokedAt), .optional(r.revokedBy), .text(r.id)])
            return
        }
        // why: revoking destroys the release's key and its sealed copy.
        try link.execute("UPDATE release SET revokedAt = ?, revokedBy = ?, dataKey = NULL, sealed = NULL WHERE id = ?",
                         [.optional(r.revokedAt), .optional(r.revokedBy), .text(r.id)])
        state.destroyedReleases.append(r.id)
        context.releases.remove(r.id)
    }

    func releaseContent(id: String) throws -> ReleaseContent? {
        if let cached = context.releases.get(id) { return cached }
        guard let row = try link.row("SELECT dataKey, sealed FROM release WHERE id = ?", [.text(id)]),
              let wrappedKey = try row.optionalData("dataKey"), let box = try row.optionalData("sealed") else { return nil }
        guard let content = try? context.sealer.open(ReleaseContent.self, wrappedKey: wrappedKey, box: box, context: ContentSealer.releaseContext(id)) else {
            throw StoreError.corruptRow("release.sealed")
        }
        if readOnly { context.releases.put(id, content) }
        return content
    }

    func release(id: String) throws -> ReleaseRecord? {
        try remembered(.release(id)) { try loadRelease(id: id) }
    }

    private func loadRelease(id: String) throws -> ReleaseRecord? {
        try link.row("SELECT \(SQLiteSession.releaseColumns) FROM release WHERE id = ?", [.text(id)]).map(Self.release(from:))
    }

    func releases(recipient: String, after cursor: String?, limit: Int) throws -> Page<ReleaseRecord> {
        var items: [ReleaseRecord]
        if let cursor {
            let (createdAt, id) = try Cursor.decode(cursor)
            items = try link.rows("""
                SELECT \(SQLiteSession.releaseColumns) FROM release WHERE recipient = ? AND (createdAt < ? OR (createdAt = ? AND id < ?))
                ORDER BY createdAt DESC, id DESC LIMIT ?
                """, [.text(recipient), .int(createdAt), .int(createdAt), .text(id), .int(Int64(limit + 1))]).map(Self.release(from:))
        } else {
            items = try link.rows("SELECT \(SQLiteSession.releaseColumns) FROM release WHERE recipient = ? ORDER BY createdAt DESC, id DESC LIMIT ?",
                                  [.text(recipient), .int(Int64(limit + 1))]).map(Self.release(from:))
        }
        var next: String?
        if items.count > limit {
            items.removeLast()
            next = items.last.map { Cursor.encode(createdAt: $0.createdAt, id: $0.id) }
        }
        return Page(items: items, next: next)
    }

    func releases(report: String) throws -> [ReleaseRecord] {
        try link.rows("SELECT \(SQLiteSession.releaseColumns) FROM release WHERE reportId = ? ORDER BY createdAt, id", [.text(report)])
            .map(Self.release(from:))
    }

    // why: when the originator revokes, the recipient node must keep nothing it could open —
    // not the release's copy (``updateRelease(_:)`` destroys that) nor the report row the copy
    // was stored under, its portions, its index entries or what it made known to members.
    func destroyReceivedCopy(of release: ReleaseRecord) throws {
        // Only once: a copy already destroyed has no key and no text left.
        guard let row = try link.row("""
            SELECT rowid, originator FROM report WHERE id = ? AND (dataKey IS NOT NULL OR sealed IS NOT NULL)
            """, [.text(release.reportId)]),
              try row.string("originator") == release.originator else { return }
        // A received copy's report is its release's alone; never touch a report other releases share.
        guard try releases(report: release.reportId).allSatisfy({ $0.id == release.id }) else { return }
        let rowid = try row.int("rowid")
        let orphaned = context.entities.read { $0.entitiesOnlyIn(report: release.reportId) }
        try link.execute("UPDATE report SET dataKey = NULL, sealed = NULL, title = '', topics = '' WHERE id = ?", [.text(release.reportId)])
        try link.execute("DELETE FROM portion WHERE reportId = ?", [.text(release.reportId)])
        try link.execute("DELETE FROM mention WHERE report = ?", [.int(rowid)])
        for id in orphaned { try link.execute("DELETE FROM entity WHERE id = ?", [.int(Int64(id))]) }
        try deleteNotifications(about: release)
        state.indexChanges.append(.removeReport(release.reportId))
        state.destroyedReleases.append(release.id)
        context.reports.remove(release.reportId)
        context.releases.remove(release.id)
    }

    /// Correlation notifications the copy raised for the recipient's members (their detail is sealed, so each is opened).
    private func deleteNotifications(about release: ReleaseRecord) throws {
        let rows = try link.rows("""
            SELECT n.id, n.sealedDetail FROM notification n JOIN member m ON m.id = n.member WHERE m.organizationId = ?
            """, [.text(release.recipient)])
        for row in rows {
            let id = try row.string("id")
            let box = try row.data("sealedDetail")
            guard let detail = try? context.entityKeys.open(box, context: "notification:" + id),
                  let object = try? JSONSerialization.jsonObject(with: detail) as? [String: Any],
                  object["document"] as? String == release.id else { continue }
            try link.execute("DELETE FROM notification WHERE id = ?", [.text(id)])
        }
    }

    /// Decodes a row selected with ``SQLiteSession/releaseColumns``.
    static func release(from row: PGRow) throws -> ReleaseRecord {
        var portions = PortionSet()
        for part in try row.string("portions").split(separator: ",") {
            guard let index = Int(part), index >= 0, index < PortionSet.capacity else { throw StoreError.corruptRow("release.portions") }
            portions.insert(index)
        }
        let bannerText = try row.string("banner")
        guard let banner = try? Marking.parse(bannerText) else { throw StoreError.corruptRow("release.banner") }
        return ReleaseRecord(
            id: try row.string("id"), reportId: try row.string("reportId"), originator: try row.string("originator"),
            recipient: try row.string("recipient"), portions: portions, banner: banner, orconApproved: try row.bool("orconApproved"),
            createdBy: try row.string("createdBy"), createdAt: try row.int("createdAt"), signature: try row.data("signature"),
            revokedAt: try row.optionalInt("revokedAt"), revokedBy: try row.optionalString("revokedBy"),
            consentRequestId: try row.optionalString("consentRequestId"))
    }
}
