import Foundation
import GRDB

extension SQLiteSession: AlertRepository {
    func insertAlert(_ a: AlertRecord) throws {
        try db.cachedStatement(sql: """
            INSERT INTO alert (id, organization, subject, kind, detail, createdAt, resolvedBy, resolvedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [a.id, a.organization, a.subject, a.kind, a.detail, a.createdAt, a.resolvedBy, a.resolvedAt])
        state.insertedAlertKinds.append(a.kind)
    }

    func alerts(organization: String, openOnly: Bool, limit: Int) throws -> [AlertRecord] {
        let sql = """
            SELECT id, organization, subject, kind, detail, createdAt, resolvedBy, resolvedAt FROM alert
            WHERE organization = ? \(openOnly ? "AND resolvedAt IS NULL" : "") ORDER BY createdAt DESC, id DESC LIMIT ?
            """
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [organization, limit]).map { row in
            AlertRecord(id: row[0], organization: row[1], subject: row[2], kind: row[3], detail: row[4], createdAt: row[5],
                        resolvedBy: row[6], resolvedAt: row[7])
        }
    }

    func resolveAlerts(subject: String, by resolver: String, at time: Int64) throws -> Int {
        try db.cachedStatement(sql: "UPDATE alert SET resolvedBy = ?, resolvedAt = ? WHERE subject = ? AND resolvedAt IS NULL")
            .execute(arguments: [resolver, time, subject])
        return db.changesCount
    }
}
