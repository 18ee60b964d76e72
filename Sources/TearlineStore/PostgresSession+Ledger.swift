import Foundation
import TearlineCore

extension PostgresSession: LedgerRepository {
    func setInterests(_ topics: [String], organization: String) throws {
        try link.execute("DELETE FROM organizationInterest WHERE organization = ?", [.text(organization)])
        for topic in topics {
            try link.execute("INSERT INTO organizationInterest (organization, topic) VALUES (?, ?) ON CONFLICT DO NOTHING", [.text(organization), .text(topic)])
        }
    }

    func interests(organization: String) throws -> [String] {
        try link.rows("SELECT topic FROM organizationInterest WHERE organization = ? ORDER BY topic", [.text(organization)]).map { try $0.string("topic") }
    }

    func insertLedgerEntry(_ e: LedgerEntryRecord) throws {
        try link.execute("INSERT INTO ledgerEntry (id, partnership, giver, receiver, releaseId, value, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [.text(e.id), .text(e.partnership), .text(e.giver), .text(e.receiver), .text(e.releaseId), .double(e.value), .int(e.at)])
    }

    func ledger(partnership: String) throws -> [LedgerEntryRecord] {
        try link.rows("SELECT id, partnership, giver, receiver, releaseId, value, at FROM ledgerEntry WHERE partnership = ? ORDER BY at, id",
                      [.text(partnership)]).map { row in
            LedgerEntryRecord(id: try row.string("id"), partnership: try row.string("partnership"), giver: try row.string("giver"),
                              receiver: try row.string("receiver"), releaseId: try row.string("releaseId"), value: try row.double("value"),
                              at: try row.int("at"))
        }
    }

    func insertTerm(_ t: TermRecord) throws {
        let sealed = try context.entityKeys.seal(Data(t.text.utf8), context: "term:" + t.id)
        try link.execute("""
            INSERT INTO term (id, partnership, askedBy, owedBy, releaseId, rfiId, sealedText, status, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(t.id), .text(t.partnership), .text(t.askedBy), .text(t.owedBy), .optional(t.releaseId), .optional(t.rfiId), .bytes(sealed),
                  .text(t.status), .int(t.createdAt), .int(t.updatedAt)])
    }

    func term(id: String) throws -> TermRecord? {
        try link.row("SELECT \(Self.termColumns) FROM term WHERE id = ?", [.text(id)]).map(term(from:))
    }

    func terms(partnership: String) throws -> [TermRecord] {
        try link.rows("SELECT \(Self.termColumns) FROM term WHERE partnership = ? ORDER BY createdAt, id", [.text(partnership)]).map(term(from:))
    }

    func updateTerm(_ t: TermRecord) throws {
        try link.execute("UPDATE term SET status = ?, updatedAt = ? WHERE id = ?", [.text(t.status), .int(t.updatedAt), .text(t.id)])
    }

    func insertRFI(_ r: RFIRecord) throws {
        let sealed = try context.entityKeys.seal(Data(r.question.utf8), context: "rfi:" + r.id)
        try link.execute("""
            INSERT INTO rfi (id, partnership, requester, responder, requestedBy, sealedQuestion, status, answerReleaseId, createdAt, answeredAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(r.id), .text(r.partnership), .text(r.requester), .text(r.responder), .text(r.requestedBy), .bytes(sealed), .text(r.status),
                  .optional(r.answerReleaseId), .int(r.createdAt), .optional(r.answeredAt)])
    }

    func rfi(id: String) throws -> RFIRecord? {
        try link.row("SELECT \(Self.rfiColumns) FROM rfi WHERE id = ?", [.text(id)]).map(rfi(from:))
    }

    func rfis(involving organization: String) throws -> [RFIRecord] {
        try link.rows("SELECT \(Self.rfiColumns) FROM rfi WHERE requester = ? OR responder = ? ORDER BY createdAt DESC, id DESC",
                      [.text(organization), .text(organization)]).map(rfi(from:))
    }

    func updateRFI(_ r: RFIRecord) throws {
        try link.execute("UPDATE rfi SET status = ?, answerReleaseId = ?, answeredAt = ? WHERE id = ?",
                         [.text(r.status), .optional(r.answerReleaseId), .optional(r.answeredAt), .text(r.id)])
    }

    private static let termColumns = "id, partnership, askedBy, owedBy, releaseId, rfiId, sealedText, status, createdAt, updatedAt"
    private static let rfiColumns = "id, partnership, requester, responder, requestedBy, sealedQuestion, status, answerReleaseId, createdAt, answeredAt"

    private func term(from row: PGRow) throws -> TermRecord {
        let id = try row.string("id")
        guard let text = try? context.entityKeys.open(try row.data("sealedText"), context: "term:" + id) else { throw StoreError.corruptRow("term") }
        return TermRecord(id: id, partnership: try row.string("partnership"), askedBy: try row.string("askedBy"), owedBy: try row.string("owedBy"),
                          releaseId: try row.optionalString("releaseId"), rfiId: try row.optionalString("rfiId"),
                          text: String(decoding: text, as: UTF8.self), status: try row.string("status"), createdAt: try row.int("createdAt"),
                          updatedAt: try row.int("updatedAt"))
    }

    private func rfi(from row: PGRow) throws -> RFIRecord {
        let id = try row.string("id")
        guard let question = try? context.entityKeys.open(try row.data("sealedQuestion"), context: "rfi:" + id) else { throw StoreError.corruptRow("rfi") }
        return RFIRecord(id: id, partnership: try row.string("partnership"), requester: try row.string("requester"), responder: try row.string("responder"),
                         requestedBy: try row.string("requestedBy"), question: String(decoding: question, as: UTF8.self), status: try row.string("status"),
                         answerReleaseId: try row.optionalString("answerReleaseId"), createdAt: try row.int("createdAt"),
                         answeredAt: try row.optionalInt("answeredAt"))
    }
}
