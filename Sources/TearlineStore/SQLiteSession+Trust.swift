import Foundation
import GRDB
import TearlineCore

extension SQLiteSession: TrustRepository {
    func insertTrustChange(_ c: TrustChangeRecord) throws {
        try db.cachedStatement(sql: """
            INSERT INTO trustChange (id, partnership, changedBy, organization, fromTrust, toTrust, fromStatus, toStatus, reason, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [c.id, c.partnership, c.changedBy, c.organization, c.fromTrust.rawValue, c.toTrust.rawValue,
                                     c.fromStatus.rawValue, c.toStatus.rawValue, c.reason, c.at])
    }

    func trustChanges(partnership: String) throws -> [TrustChangeRecord] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, partnership, changedBy, organization, fromTrust, toTrust, fromStatus, toStatus, reason, at FROM trustChange
            WHERE partnership = ? ORDER BY at, id
            """), arguments: [partnership]).map { row in
            guard let from = TrustLevel(rawValue: row[4]), let to = TrustLevel(rawValue: row[5]),
                  let fromStatus = PartnershipStatus(rawValue: row[6]), let toStatus = PartnershipStatus(rawValue: row[7]) else {
                throw StoreError.corruptRow("trustChange")
            }
            return TrustChangeRecord(id: row[0], partnership: row[1], changedBy: row[2], organization: row[3], fromTrust: from, toTrust: to,
                                     fromStatus: fromStatus, toStatus: toStatus, reason: row[8], at: row[9])
        }
    }

    func insertBreach(_ b: BreachRecord) throws {
        try db.cachedStatement(sql: """
            INSERT INTO breach (id, partnership, against, kind, detail, response, trust, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [b.id, b.partnership, b.against, b.kind.rawValue, b.detail, b.response, b.trust.rawValue, b.at])
    }

    func breaches(partnership: String) throws -> [BreachRecord] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, partnership, against, kind, detail, response, trust, at FROM breach WHERE partnership = ? ORDER BY at, id
            """), arguments: [partnership]).map { row in
            guard let kind = BreachKind(rawValue: row[3]), let trust = TrustLevel(rawValue: row[6]) else { throw StoreError.corruptRow("breach") }
            return BreachRecord(id: row[0], partnership: row[1], against: row[2], kind: kind, detail: row[4], response: row[5], trust: trust, at: row[7])
        }
    }

    func breachResponse(organization: String) throws -> BreachResponse {
        let text = try String.fetchOne(db.cachedStatement(sql: "SELECT breachResponse FROM organization WHERE id = ?"), arguments: [organization])
        return text.flatMap(BreachResponse.init(rawValue:)) ?? .recommend
    }

    func setBreachResponse(_ response: BreachResponse, organization: String) throws {
        try db.cachedStatement(sql: "UPDATE organization SET breachResponse = ? WHERE id = ?").execute(arguments: [response.rawValue, organization])
    }
}
