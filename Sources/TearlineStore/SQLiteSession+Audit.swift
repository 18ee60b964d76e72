import Foundation
import GRDB
import TearlineCore

extension SQLiteSession: AuditRepository {
    func appendAudit(_ e: AuditRecord) throws {
        if readOnly {
            state.pendingAudit.append(e)
            return
        }
        try Self.insert(e, into: db)
    }

    static func insert(_ e: AuditRecord, into db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO auditEvent (at, actor, organization, concerns, action, object, decision, reasons, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [e.at, e.actor, e.organization, e.concerns, e.action, e.object, e.decision,
                                          ListColumn.encode(e.reasons), e.detail])
    }

    func auditEvents(_ q: AuditQuery) throws -> [AuditRecord] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let organization = q.organization {
            clauses.append("(organization = ? OR concerns = ?)")
            arguments += [organization, organization]
        }
        if let actor = q.actor { clauses.append("actor = ?"); arguments += [actor] }
        if let action = q.action { clauses.append("action = ?"); arguments += [action] }
        if let object = q.object { clauses.append("object = ?"); arguments += [object] }
        if let since = q.since { clauses.append("at >= ?"); arguments += [since] }
        if let until = q.until { clauses.append("at <= ?"); arguments += [until] }
        if let after = q.afterSeq { clauses.append("seq > ?"); arguments += [after] }
        if let org = q.actorOrganization { clauses.append("organization = ?"); arguments += [org] }
        if let concerns = q.concerns { clauses.append("concerns = ?"); arguments += [concerns] }
        if let prefix = q.actionPrefix { clauses.append("substr(action, 1, ?) = ?"); arguments += [prefix.utf8.count, prefix] }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        arguments += [q.limit]
        return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM auditEvent \(whereClause) ORDER BY seq \(q.newestFirst ? "DESC" : "ASC") LIMIT ?"), arguments: arguments)
            .map { row in
                AuditRecord(
                    seq: row["seq"], at: row["at"], actor: row["actor"], organization: row["organization"],
                    concerns: row["concerns"], action: row["action"], object: row["object"], decision: row["decision"],
                    reasons: ListColumn.decode(row["reasons"]), detail: row["detail"])
            }
    }
}
