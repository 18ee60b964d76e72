import Foundation
import GRDB

extension SQLiteSession: LedgerRepository {
    func setInterests(_ topics: [String], organization: String) throws {
        try db.cachedStatement(sql: "DELETE FROM organizationInterest WHERE organization = ?").execute(arguments: [organization])
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO organizationInterest (organization, topic) VALUES (?, ?)")
        for topic in topics { try insert.execute(arguments: [organization, topic]) }
    }

    func interests(organization: String) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT topic FROM organizationInterest WHERE organization = ? ORDER BY topic"), arguments: [organization])
    }

    func insertLedgerEntry(_ e: LedgerEntryRecord) throws {
        try db.cachedStatement(sql: "INSERT INTO ledgerEntry (id, partnership, giver, receiver, releaseId, value, at) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [e.id, e.partnership, e.giver, e.receiver, e.releaseId, e.value, e.at])
    }

    func ledger(partnership: String) throws -> [LedgerEntryRecord] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, partnership, giver, receiver, releaseId, value, at FROM ledgerEntry WHERE partnership = ? ORDER BY at, id
            """), arguments: [partnership]).map {
            LedgerEntryRecord(id: $0[0], partnership: $0[1], giver: $0[2], receiver: $0[3], releaseId: $0[4], value: $0[5], at: $0[6])
        }
    }

    func insertTerm(_ t: TermRecord) throws {
        let sealed = try context.entityKeys.seal(Data(t.text.utf8), context: "term:" + t.id)
        try db.cachedStatement(sql: """
            INSERT INTO term (id, partnership, askedBy, owedBy, releaseId, rfiId, sealedText, status, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [t.id, t.partnership, t.askedBy, t.owedBy, t.releaseId, t.rfiId, sealed, t.status, t.createdAt, t.updatedAt])
    }

    func term(id: String) throws -> TermRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.termColumns) FROM term WHERE id = ?"), arguments: [id]).map(term(from:))
    }

    func terms(partnership: String) throws -> [TermRecord] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.termColumns) FROM term WHERE partnership = ? ORDER BY createdAt, id"),
                         arguments: [partnership]).map(term(from:))
    }

    func updateTerm(_ t: TermRecord) throws {
        try db.cachedStatement(sql: "UPDATE term SET status = ?, updatedAt = ? WHERE id = ?").execute(arguments: [t.status, t.updatedAt, t.id])
    }

    func insertRFI(_ r: RFIRecord) throws {
        let sealed = try context.entityKeys.seal(Data(r.question.utf8), context: "rfi:" + r.id)
        try db.cachedStatement(sql: """
            INSERT INTO rfi (id, partnership, requester, responder, requestedBy, sealedQuestion, status, answerReleaseId, createdAt, answeredAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [r.id, r.partnership, r.requester, r.responder, r.requestedBy, sealed, r.status, r.answerReleaseId,
                                     r.createdAt, r.answeredAt])
    }

    func rfi(id: String) throws -> RFIRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.rfiColumns) FROM rfi WHERE id = ?"), arguments: [id]).map(rfi(from:))
    }

    func rfis(involving organization: String) throws -> [RFIRecord] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT \(Self.rfiColumns) FROM rfi WHERE requester = ? OR responder = ? ORDER BY createdAt DESC, id DESC
            """), arguments: [organization, organization]).map(rfi(from:))
    }

    func updateRFI(_ r: RFIRecord) throws {
        try db.cachedStatement(sql: "UPDATE rfi SET status = ?, answerReleaseId = ?, answeredAt = ? WHERE id = ?")
            .execute(arguments: [r.status, r.answerReleaseId, r.answeredAt, r.id])
    }

    private static let termColumns = "id, partnership, askedBy, owedBy, releaseId, rfiId, sealedText, status, createdAt, updatedAt"
    private static let rfiColumns = "id, partnership, requester, responder, requestedBy, sealedQuestion, status, answerReleaseId, createdAt, answeredAt"

    private func term(from row: Row) throws -> TermRecord {
        let id: String = row[0]
        guard let text = try? context.entityKeys.open(row[6], context: "term:" + id) else { throw StoreError.corruptRow("term") }
        return TermRecord(id: id, partnership: row[1], askedBy: row[2], owedBy: row[3], releaseId: row[4], rfiId: row[5],
                          text: String(decoding: text, as: UTF8.self), status: row[7], createdAt: row[8], updatedAt: row[9])
    }

    private func rfi(from row: Row) throws -> RFIRecord {
        let id: String = row[0]
        guard let question = try? context.entityKeys.open(row[5], context: "rfi:" + id) else { throw StoreError.corruptRow("rfi") }
        return RFIRecord(id: id, partnership: row[1], requester: row[2], responder: row[3], requestedBy: row[4],
                         question: String(decoding: question, as: UTF8.self), status: row[6], answerReleaseId: row[7], createdAt: row[8],
                         answeredAt: row[9])
    }
}
