import Foundation
import GRDB

extension SQLiteSession: AccessRequestRepository {
    private static let columns = """
        id, requester, requesterOrganization, holder, entity, reports, sealedJustification, status, createdAt, decidedBy, decidedAt, outcome
        """

    func insertAccessRequest(_ r: AccessRequestRecord) throws {
        let sealed = try context.entityKeys.seal(Data(r.justification.utf8), context: "access-request:" + r.id)
        try db.cachedStatement(sql: "INSERT INTO accessRequest (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").execute(arguments: [
            r.id, r.requester, r.requesterOrganization, r.holder, Int64(r.entity), ListColumn.encode(r.reports), sealed,
            r.status.rawValue, r.createdAt, r.decidedBy, r.decidedAt, ListColumn.encode(r.outcome),
        ])
    }

    func accessRequest(id: String) throws -> AccessRequestRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.columns) FROM accessRequest WHERE id = ?"), arguments: [id]).map(accessRequest(from:))
    }

    func accessRequests(holder: String?, requesterOrganization: String?, limit: Int) throws -> [AccessRequestRecord] {
        let (column, value) = holder.map { ("holder", $0) } ?? ("requesterOrganization", requesterOrganization ?? "")
        return try Row.fetchAll(db.cachedStatement(sql: """
            SELECT \(Self.columns) FROM accessRequest WHERE \(column) = ? ORDER BY createdAt DESC, id DESC LIMIT ?
            """), arguments: [value, limit]).map(accessRequest(from:))
    }

    func updateAccessRequest(_ r: AccessRequestRecord) throws {
        try db.cachedStatement(sql: "UPDATE accessRequest SET status = ?, decidedBy = ?, decidedAt = ?, outcome = ? WHERE id = ?")
            .execute(arguments: [r.status.rawValue, r.decidedBy, r.decidedAt, ListColumn.encode(r.outcome), r.id])
    }

    private func accessRequest(from row: Row) throws -> AccessRequestRecord {
        let id: String = row[0]
        guard let status = AccessRequestStatus(rawValue: row[7]),
              let justification = try? context.entityKeys.open(row[6], context: "access-request:" + id) else {
            throw StoreError.corruptRow("accessRequest")
        }
        return AccessRequestRecord(
            id: id, requester: row[1], requesterOrganization: row[2], holder: row[3], entity: UInt64(row[4] as Int64),
            reports: ListColumn.decode(row[5]), justification: String(decoding: justification, as: UTF8.self), status: status,
            createdAt: row[8], decidedBy: row[9], decidedAt: row[10], outcome: ListColumn.decode(row[11]))
    }
}

extension SQLiteSession: NotificationRepository {
    func insertNotification(_ n: NotificationRecord) throws {
        let sealed = try context.entityKeys.seal(Data(n.detail.utf8), context: "notification:" + n.id)
        try db.cachedStatement(sql: "INSERT INTO notification (id, member, kind, sealedDetail, createdAt) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [n.id, n.member, n.kind, sealed, n.createdAt])
    }

    func notifications(member: String, limit: Int) throws -> [NotificationRecord] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, member, kind, sealedDetail, createdAt FROM notification WHERE member = ? ORDER BY createdAt DESC, id DESC LIMIT ?
            """), arguments: [member, limit]).map { row in
            let id: String = row[0]
            guard let detail = try? context.entityKeys.open(row[3], context: "notification:" + id) else { throw StoreError.corruptRow("notification") }
            return NotificationRecord(id: id, member: row[1], kind: row[2], detail: String(decoding: detail, as: UTF8.self), createdAt: row[4])
        }
    }
}
