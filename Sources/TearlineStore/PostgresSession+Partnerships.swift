import Foundation
import TearlineCore

extension PostgresSession: PartnershipRepository {
    func insertPartnership(_ p: PartnershipRecord) throws {
        try link.execute("""
            INSERT INTO partnership (id, first, second, kind, dominant, firstTrust, secondTrust, firstSuspended, secondSuspended, status, createdAt, updatedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(p.id), .text(p.first), .text(p.second), .text(p.kind.rawValue), .optional(p.dominant),
                  .int(Int64(p.sides.firstStance.trust.rawValue)), .int(Int64(p.sides.secondStance.trust.rawValue)),
                  .int(p.sides.firstStance.suspended ? 1 : 0), .int(p.sides.secondStance.suspended ? 1 : 0), .text(p.status.rawValue),
                  .int(p.createdAt), .int(p.updatedAt)])
    }

    func updatePartnership(_ p: PartnershipRecord) throws {
        // `status` is kept as the derived overall status, for queries.
        try link.execute("""
            UPDATE partnership SET firstTrust = ?, secondTrust = ?, firstSuspended = ?, secondSuspended = ?, status = ?, updatedAt = ? WHERE id = ?
            """, [.int(Int64(p.sides.firstStance.trust.rawValue)), .int(Int64(p.sides.secondStance.trust.rawValue)),
                  .int(p.sides.firstStance.suspended ? 1 : 0), .int(p.sides.secondStance.suspended ? 1 : 0), .text(p.status.rawValue),
                  .int(p.updatedAt), .text(p.id)])
    }

    func partnership(id: String) throws -> PartnershipRecord? {
        try remembered(.partnership(id: id)) { try loadPartnership(id: id) }
    }

    private func loadPartnership(id: String) throws -> PartnershipRecord? {
        try link.row("SELECT \(SQLiteSession.partnershipColumns) FROM partnership WHERE id = ?", [.text(id)]).map(Self.partnership(from:))
    }

    func partnership(between a: String, and b: String) throws -> PartnershipRecord? {
        try remembered(.partnershipBetween(min(a, b), max(a, b))) { try loadPartnership(between: a, and: b) }
    }

    private func loadPartnership(between a: String, and b: String) throws -> PartnershipRecord? {
        try link.row("SELECT \(SQLiteSession.partnershipColumns) FROM partnership WHERE first = ? AND second = ?", [.text(min(a, b)), .text(max(a, b))])
            .map(Self.partnership(from:))
    }

    func partnerships(involving organization: String?) throws -> [PartnershipRecord] {
        // why COLLATE "C": the order is Swift's (and SQLite's) byte order, whatever the cluster's locale.
        if let organization {
            return try link.rows("""
                SELECT \(SQLiteSession.partnershipColumns) FROM partnership WHERE first = ? OR second = ?
                ORDER BY first COLLATE "C", second COLLATE "C"
                """, [.text(organization), .text(organization)]).map(Self.partnership(from:))
        }
        return try link.rows("SELECT \(SQLiteSession.partnershipColumns) FROM partnership ORDER BY first COLLATE \"C\", second COLLATE \"C\"")
            .map(Self.partnership(from:))
    }

    static func partnership(from row: PGRow) throws -> PartnershipRecord {
        guard let kind = PartnershipKind(rawValue: try row.string("kind")), let firstTrust = TrustLevel(rawValue: Int(try row.int("firstTrust"))),
              let secondTrust = TrustLevel(rawValue: Int(try row.int("secondTrust"))) else {
            throw StoreError.corruptRow("partnership")
        }
        return PartnershipRecord(
            id: try row.string("id"), first: try row.string("first"), second: try row.string("second"), kind: kind,
            dominant: try row.optionalString("dominant"),
            firstStance: PartnershipStance(trust: firstTrust, suspended: try row.bool("firstSuspended")),
            secondStance: PartnershipStance(trust: secondTrust, suspended: try row.bool("secondSuspended")),
            createdAt: try row.int("createdAt"), updatedAt: try row.int("updatedAt"))
    }
}

extension PostgresSession: AlertRepository {
    func insertAlert(_ a: AlertRecord) throws {
        try link.execute("INSERT INTO alert (id, organization, subject, kind, detail, createdAt, resolvedBy, resolvedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         [.text(a.id), .text(a.organization), .text(a.subject), .text(a.kind), .text(a.detail), .int(a.createdAt),
                          .optional(a.resolvedBy), .optional(a.resolvedAt)])
        state.insertedAlertKinds.append(a.kind)
    }

    func alerts(organization: String, openOnly: Bool, limit: Int) throws -> [AlertRecord] {
        let sql = """
            SELECT id, organization, subject, kind, detail, createdAt, resolvedBy, resolvedAt FROM alert
            WHERE organization = ? \(openOnly ? "AND resolvedAt IS NULL" : "") ORDER BY createdAt DESC, id COLLATE "C" DESC LIMIT ?
            """
        return try link.rows(sql, [.text(organization), .int(Int64(limit))]).map { row in
            AlertRecord(id: try row.string("id"), organization: try row.string("organization"), subject: try row.string("subject"),
                        kind: try row.string("kind"), detail: try row.string("detail"), createdAt: try row.int("createdAt"),
                        resolvedBy: try row.optionalString("resolvedBy"), resolvedAt: try row.optionalInt("resolvedAt"))
        }
    }

    func resolveAlerts(subject: String, by resolver: String, at time: Int64) throws -> Int {
        try link.rows("UPDATE alert SET resolvedBy = ?, resolvedAt = ? WHERE subject = ? AND resolvedAt IS NULL RETURNING id",
                      [.text(resolver), .int(time), .text(subject)]).count
    }
}
