import Foundation
import GRDB
import TearlineCore

extension SQLiteSession: PartnershipRepository {
    func insertPartnership(_ p: PartnershipRecord) throws {
        try db.cachedStatement(sql: """
            INSERT INTO partnership (id, first, second, kind, dominant, firstTrust, secondTrust, firstSuspended, secondSuspended, status, createdAt, updatedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [p.id, p.first, p.second, p.kind.rawValue, p.dominant,
                                     p.sides.firstStance.trust.rawValue, p.sides.secondStance.trust.rawValue,
                                     p.sides.firstStance.suspended, p.sides.secondStance.suspended, p.status.rawValue, p.createdAt, p.updatedAt])
    }

    func updatePartnership(_ p: PartnershipRecord) throws {
        // `status` is kept as the derived overall status, for queries.
        try db.cachedStatement(sql: """
            UPDATE partnership SET firstTrust = ?, secondTrust = ?, firstSuspended = ?, secondSuspended = ?, status = ?, updatedAt = ? WHERE id = ?
            """).execute(arguments: [p.sides.firstStance.trust.rawValue, p.sides.secondStance.trust.rawValue,
                                     p.sides.firstStance.suspended, p.sides.secondStance.suspended, p.status.rawValue, p.updatedAt, p.id])
    }

    func partnership(id: String) throws -> PartnershipRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.partnershipColumns) FROM partnership WHERE id = ?"), arguments: [id]).map(Self.partnership(from:))
    }

    func partnership(between a: String, and b: String) throws -> PartnershipRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.partnershipColumns) FROM partnership WHERE first = ? AND second = ?"), arguments: [min(a, b), max(a, b)]
        ).map(Self.partnership(from:))
    }

    func partnerships(involving organization: String?) throws -> [PartnershipRecord] {
        if let organization {
            return try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.partnershipColumns) FROM partnership WHERE first = ? OR second = ? ORDER BY first, second"),
                arguments: [organization, organization]
            ).map(Self.partnership(from:))
        }
        return try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.partnershipColumns) FROM partnership ORDER BY first, second")).map(Self.partnership(from:))
    }

    static let partnershipColumns = "id, first, second, kind, dominant, firstTrust, secondTrust, firstSuspended, secondSuspended, createdAt, updatedAt"

    /// Decodes a row selected with ``partnershipColumns``, by position.
    static func partnership(from row: Row) throws -> PartnershipRecord {
        guard let kind = PartnershipKind(rawValue: row[3]), let firstTrust = TrustLevel(rawValue: row[5]),
              let secondTrust = TrustLevel(rawValue: row[6]) else {
            throw StoreError.corruptRow("partnership")
        }
        return PartnershipRecord(
            id: row[0], first: row[1], second: row[2], kind: kind, dominant: row[4],
            firstStance: PartnershipStance(trust: firstTrust, suspended: row[7]),
            secondStance: PartnershipStance(trust: secondTrust, suspended: row[8]), createdAt: row[9], updatedAt: row[10])
    }
}
