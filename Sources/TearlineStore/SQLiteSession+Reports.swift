import Foundation
import GRDB
import TearlineCore

extension SQLiteSession: ReportRepository {
    func insertReport(_ stored: StoredReport) throws {
        let r = stored.report
        state.insertedReports.insert(r.id)
        try db.cachedStatement(sql: """
            INSERT INTO report (id, originator, title, titleMarking, sourceGrade, topics, createdBy, createdAt, signature)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [r.id, r.originator, r.title, r.titleMarking.portionMark, r.sourceGrade.code,
                        ListColumn.encode(r.topics), r.createdBy, r.createdAt, stored.signature])
        let portion = try db.cachedStatement(
            sql: "INSERT INTO portion (reportId, idx, marking, sourcesAndMethods, text) VALUES (?, ?, ?, ?, ?)")
        for p in r.portions {
            try portion.execute(arguments: [r.id, p.index, p.marking.portionMark, p.sourcesAndMethods, p.text])
        }
        let entity = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO entityMention (reportId, portionIdx, type, value) VALUES (?, ?, ?, ?)")
        for e in r.entities {
            try entity.execute(arguments: [r.id, e.portion, e.type, e.value])
        }
    }

    func report(id: String) throws -> StoredReport? {
        if let cached = reports.get(id) { return cached }
        guard let stored = try loadReport(id: id) else { return nil }
        // why: a report inserted by this very transaction may still roll back; anything else is committed.
        if !state.insertedReports.contains(id) { reports.put(stored) }
        return stored
    }

    private func loadReport(id: String) throws -> StoredReport? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM report WHERE id = ?"), arguments: [id]) else { return nil }
        let portions = try Row.fetchAll(db.cachedStatement(sql: "SELECT idx, marking, sourcesAndMethods, text FROM portion WHERE reportId = ? ORDER BY idx"), arguments: [id]
        ).map { row -> Portion in
            guard let marking = try? Marking.parse(row["marking"]) else { throw StoreError.corruptRow("portion.marking") }
            return Portion(index: row["idx"], marking: marking, sourcesAndMethods: row["sourcesAndMethods"], text: row["text"])
        }
        let entities = try Row.fetchAll(db.cachedStatement(sql: "SELECT portionIdx, type, value FROM entityMention WHERE reportId = ? ORDER BY portionIdx, type, value"),
            arguments: [id]
        ).map { EntityMention(type: $0["type"], value: $0["value"], portion: $0["portionIdx"]) }
        guard let titleMarking = try? Marking.parse(row["titleMarking"] as String),
              let grade = try? SourceGrade(code: row["sourceGrade"]) else {
            throw StoreError.corruptRow("report")
        }
        let report = Report(
            id: row["id"], originator: row["originator"], title: row["title"], titleMarking: titleMarking,
            sourceGrade: grade, topics: ListColumn.decode(row["topics"]), entities: entities, portions: portions,
            createdBy: row["createdBy"], createdAt: row["createdAt"])
        return StoredReport(report: report, signature: row["signature"])
    }

    func reportIds(originator: String, after cursor: String?, limit: Int) throws -> Page<String> {
        var rows: [Row]
        if let cursor {
            let (createdAt, id) = try Cursor.decode(cursor)
            rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, createdAt FROM report WHERE originator = ? AND (createdAt < ? OR (createdAt = ? AND id < ?))
                ORDER BY createdAt DESC, id DESC LIMIT ?
                """), arguments: [originator, createdAt, createdAt, id, limit + 1])
        } else {
            rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, createdAt FROM report WHERE originator = ? ORDER BY createdAt DESC, id DESC LIMIT ?"),
                arguments: [originator, limit + 1])
        }
        var next: String?
        if rows.count > limit {
            rows.removeLast()
            next = rows.last.map { Cursor.encode(createdAt: $0["createdAt"], id: $0["id"]) }
        }
        return Page(items: rows.map { $0["id"] }, next: next)
    }
}
