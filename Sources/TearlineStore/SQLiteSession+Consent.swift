import Foundation
import GRDB
import TearlineCore

extension SQLiteSession: ConsentRepository {
    func insertConsentRequest(_ c: ConsentRequestRecord) throws {
        try db.cachedStatement(sql: """
            INSERT INTO consentRequest (id, releaseId, reportId, originator, holder, target, requestedBy, status, createdAt,
                                        decidedBy, decidedAt, resultingReleaseId)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [c.id, c.releaseId, c.reportId, c.originator, c.holder, c.target, c.requestedBy, c.status.rawValue,
                        c.createdAt, c.decidedBy, c.decidedAt, c.resultingReleaseId])
    }

    func updateConsentRequest(_ c: ConsentRequestRecord) throws {
        try db.cachedStatement(sql: "UPDATE consentRequest SET status = ?, decidedBy = ?, decidedAt = ?, resultingReleaseId = ? WHERE id = ?").execute(arguments: [c.status.rawValue, c.decidedBy, c.decidedAt, c.resultingReleaseId, c.id])
    }

    func consentRequest(id: String) throws -> ConsentRequestRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM consentRequest WHERE id = ?"), arguments: [id]).map(Self.consent(from:))
    }

    func consentRequests(involving organization: String) throws -> [ConsentRequestRecord] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM consentRequest WHERE originator = ? OR holder = ? ORDER BY createdAt, id"),
            arguments: [organization, organization]
        ).map(Self.consent(from:))
    }

    static func consent(from row: Row) throws -> ConsentRequestRecord {
        guard let status = ConsentStatus(rawValue: row["status"]) else { throw StoreError.corruptRow("consentRequest.status") }
        return ConsentRequestRecord(
            id: row["id"], releaseId: row["releaseId"], reportId: row["reportId"], originator: row["originator"],
            holder: row["holder"], target: row["target"], requestedBy: row["requestedBy"], status: status,
            createdAt: row["createdAt"], decidedBy: row["decidedBy"], decidedAt: row["decidedAt"],
            resultingReleaseId: row["resultingReleaseId"])
    }
}
