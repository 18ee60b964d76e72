import Foundation
import TearlineCore

extension PostgresSession: ConsentRepository {
    func insertConsentRequest(_ c: ConsentRequestRecord) throws {
        try link.execute("""
            INSERT INTO consentRequest (id, releaseId, reportId, originator, holder, target, requestedBy, status, createdAt,
                                        decidedBy, decidedAt, resultingReleaseId)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(c.id), .text(c.releaseId), .text(c.reportId), .text(c.originator), .text(c.holder), .text(c.target),
                  .text(c.requestedBy), .text(c.status.rawValue), .int(c.createdAt), .optional(c.decidedBy), .optional(c.decidedAt),
                  .optional(c.resultingReleaseId)])
    }

    func updateConsentRequest(_ c: ConsentRequestRecord) throws {
        try link.execute("UPDATE consentRequest SET status = ?, decidedBy = ?, decidedAt = ?, resultingReleaseId = ? WHERE id = ?",
                         [.text(c.status.rawValue), .optional(c.decidedBy), .optional(c.decidedAt), .optional(c.resultingReleaseId), .text(c.id)])
    }

    func consentRequest(id: String) throws -> ConsentRequestRecord? {
        try link.row("SELECT * FROM consentRequest WHERE id = ?", [.text(id)]).map(Self.consent(from:))
    }

    func consentRequests(involving organization: String) throws -> [ConsentRequestRecord] {
        try link.rows("SELECT * FROM consentRequest WHERE originator = ? OR holder = ? ORDER BY createdAt, id COLLATE \"C\"",
                      [.text(organization), .text(organization)]).map(Self.consent(from:))
    }

    static func consent(from row: PGRow) throws -> ConsentRequestRecord {
        guard let status = ConsentStatus(rawValue: try row.string("status")) else { throw StoreError.corruptRow("consentRequest.status") }
        return ConsentRequestRecord(
            id: try row.string("id"), releaseId: try row.string("releaseId"), reportId: try row.string("reportId"),
            originator: try row.string("originator"), holder: try row.string("holder"), target: try row.string("target"),
            requestedBy: try row.string("requestedBy"), status: status, createdAt: try row.int("createdAt"),
            decidedBy: try row.optionalString("decidedBy"), decidedAt: try row.optionalInt("decidedAt"),
            resultingReleaseId: try row.optionalString("resultingReleaseId"))
    }
}

extension PostgresSession: NotificationRepository {
    func insertNotification(_ n: NotificationRecord) throws {
        let sealed = try context.entityKeys.seal(Data(n.detail.utf8), context: "notification:" + n.id)
        try link.execute("INSERT INTO notification (id, member, kind, sealedDetail, createdAt) VALUES (?, ?, ?, ?, ?)",
                         [.text(n.id), .text(n.member), .text(n.kind), .bytes(sealed), .int(n.createdAt)])
    }

    func notifications(member: String, limit: Int) throws -> [NotificationRecord] {
        try link.rows("""
            SELECT id, member, kind, sealedDetail, createdAt FROM notification WHERE member = ? ORDER BY createdAt DESC, id COLLATE "C" DESC LIMIT ?
            """, [.text(member), .int(Int64(limit))]).map { row in
            let id = try row.string("id")
            guard let detail = try? context.entityKeys.open(try row.data("sealedDetail"), context: "notification:" + id) else {
                throw StoreError.corruptRow("notification")
            }
            return NotificationRecord(id: id, member: try row.string("member"), kind: try row.string("kind"),
                                      detail: String(decoding: detail, as: UTF8.self), createdAt: try row.int("createdAt"))
        }
    }
}
