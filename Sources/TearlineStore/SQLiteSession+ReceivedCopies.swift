import Foundation
import GRDB
import TearlineCore

extension SQLiteSession {
    // why: when the originator revokes, the recipient node must keep nothing it could open —
    // not the release's copy (``updateRelease(_:)`` destroys that) nor the report row the copy
    // was stored under, its portions, its index entries or what it made known to members.
    func destroyReceivedCopy(of release: ReleaseRecord) throws {
        // Only once: a copy already destroyed has no key and no text left.
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT rowid, originator FROM report WHERE id = ? AND (dataKey IS NOT NULL OR sealed IS NOT NULL)
            """), arguments: [release.reportId]),
              (row[1] as String) == release.originator else { return }
        // A received copy's report is its release's alone; never touch a report other releases share.
        guard try releases(report: release.reportId).allSatisfy({ $0.id == release.id }) else { return }
        let rowid: Int64 = row[0]
        let orphaned = context.entities.read { $0.entitiesOnlyIn(report: release.reportId) }
        try db.cachedStatement(sql: "UPDATE report SET dataKey = NULL, sealed = NULL, title = '', topics = '' WHERE id = ?")
            .execute(arguments: [release.reportId])
        try db.cachedStatement(sql: "DELETE FROM portion WHERE reportId = ?").execute(arguments: [release.reportId])
        try db.cachedStatement(sql: "DELETE FROM mention WHERE report = ?").execute(arguments: [rowid])
        let entity = try db.cachedStatement(sql: "DELETE FROM entity WHERE id = ?")
        for id in orphaned { try entity.execute(arguments: [Int64(id)]) }
        try deleteNotifications(about: release)
        state.indexChanges.append(.removeReport(release.reportId))
        state.destroyedReleases.append(release.id)
        context.reports.remove(release.reportId)
        context.releases.remove(release.id)
    }

    /// Correlation notifications the copy raised for the recipient's members (their detail is sealed, so each is opened).
    private func deleteNotifications(about release: ReleaseRecord) throws {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT n.id, n.sealedDetail FROM notification n JOIN member m ON m.id = n.member WHERE m.organizationId = ?
            """), arguments: [release.recipient])
        let delete = try db.cachedStatement(sql: "DELETE FROM notification WHERE id = ?")
        for row in rows {
            let id: String = row[0]
            guard let detail = try? context.entityKeys.open(row[1], context: "notification:" + id),
                  let object = try? JSONSerialization.jsonObject(with: detail) as? [String: Any],
                  object["document"] as? String == release.id else { continue }
            try delete.execute(arguments: [id])
        }
    }
}
