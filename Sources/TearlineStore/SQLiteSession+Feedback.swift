import Foundation
import GRDB
import TearlineCore

extension SQLiteSession: FeedbackRepository {
    func insertFeedback(_ f: FeedbackRecord) throws {
        guard let originator = try String.fetchOne(db.cachedStatement(sql: "SELECT originator FROM release WHERE id = ?"), arguments: [f.releaseId]) else {
            throw StoreError.corruptRow("feedback on an unknown release")
        }
        let note = try f.note.map { try context.entityKeys.seal(Data($0.utf8), context: "feedback:" + f.id) }
        try db.cachedStatement(sql: """
            INSERT INTO feedback (id, releaseId, originator, organization, member, verdict, sealedNote, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [f.id, f.releaseId, originator, f.organization, f.member, f.verdict.rawValue, note, f.createdAt])
    }

    func feedback(release: String) throws -> [FeedbackRecord] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, releaseId, organization, member, verdict, sealedNote, createdAt FROM feedback WHERE releaseId = ? ORDER BY createdAt, id
            """), arguments: [release]).map(feedback(from:))
    }

    func feedbackReceived(originator: String, limit: Int) throws -> [FeedbackRecord] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, releaseId, organization, member, verdict, sealedNote, createdAt FROM feedback WHERE originator = ?
            ORDER BY createdAt DESC, id DESC LIMIT ?
            """), arguments: [originator, limit]).map(feedback(from:))
    }

    func currentVerdicts(originator: String) throws -> [CurrentVerdict] {
        // why the latest per release: a recipient may revise its judgement; the history stays, the last one counts.
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT f.releaseId, f.verdict, r.topics, f.organization FROM feedback f
            JOIN release l ON l.id = f.releaseId JOIN report r ON r.id = l.reportId
            WHERE f.originator = ? AND NOT EXISTS (
                SELECT 1 FROM feedback g WHERE g.releaseId = f.releaseId AND (g.createdAt > f.createdAt OR (g.createdAt = f.createdAt AND g.id > f.id)))
            """), arguments: [originator]).map { row in
            guard let verdict = FeedbackVerdict(rawValue: row[1]) else { throw StoreError.corruptRow("feedback.verdict") }
            return CurrentVerdict(releaseId: row[0], verdict: verdict, topics: ListColumn.decode(row[2]), organization: row[3])
        }
    }

    private func feedback(from row: Row) throws -> FeedbackRecord {
        let id: String = row[0]
        guard let verdict = FeedbackVerdict(rawValue: row[4]) else { throw StoreError.corruptRow("feedback.verdict") }
        let note = try (row[5] as Data?).map { box -> String in
            guard let plain = try? context.entityKeys.open(box, context: "feedback:" + id) else { throw StoreError.corruptRow("feedback.note") }
            return String(decoding: plain, as: UTF8.self)
        }
        return FeedbackRecord(id: id, releaseId: row[1], organization: row[2], member: row[3], verdict: verdict, note: note, createdAt: row[6])
    }
}
