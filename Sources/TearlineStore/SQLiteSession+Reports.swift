import Foundation
import GRDB
import TearlineCore

extension SQLiteSession: ReportRepository {
    func insertReport(_ stored: StoredReport, discoverability: Discoverability) throws {
        let r = stored.report
        state.insertedReports.insert(r.id)
        // why: text is sealed before it reaches the file; only markings and metadata are stored in the clear.
        let sealed = try context.sealer.seal(ReportText(r), context: ContentSealer.reportContext(r.id))
        try db.cachedStatement(sql: """
            INSERT INTO report (id, originator, title, titleMarking, sourceGrade, topics, createdBy, createdAt, signature, dataKey, sealed,
                                discoverability)
            VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [r.id, r.originator, r.titleMarking.portionMark, r.sourceGrade.code,
                        ListColumn.encode(r.topics), r.createdBy, r.createdAt, stored.signature, sealed.wrappedKey, sealed.box,
                        discoverability.rawValue])
        let row = db.lastInsertedRowID
        let portion = try db.cachedStatement(
            sql: "INSERT INTO portion (reportId, idx, marking, sourcesAndMethods, text) VALUES (?, ?, ?, ?, '')")
        for p in r.portions {
            try portion.execute(arguments: [r.id, p.index, p.marking.portionMark, p.sourcesAndMethods])
        }
        let mentions = try indexMentions(of: r, row: row)
        state.indexChanges.append(.report(IndexedReport(r, discoverability: discoverability, mentions: mentions)))
    }

    func report(id: String) throws -> StoredReport? {
        if let cached = context.reports.get(id) { return cached }
        guard let stored = try loadReport(id: id) else { return nil }
        // why: a report inserted by this very transaction may still roll back; anything else is committed.
        if !state.insertedReports.contains(id) { context.reports.put(stored) }
        return stored
    }

    private func loadReport(id: String) throws -> StoredReport? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT originator, titleMarking, sourceGrade, topics, createdBy, createdAt, signature, dataKey, sealed FROM report WHERE id = ?
            """), arguments: [id]) else { return nil }
        // why: a received copy destroyed by revocation keeps an empty row; it is gone.
        if row[7] as Data? == nil, row[8] as Data? == nil { return nil }
        guard let wrappedKey: Data = row[7], let box: Data = row[8],
              let text = try? context.sealer.open(ReportText.self, wrappedKey: wrappedKey, box: box, context: ContentSealer.reportContext(id)) else {
            throw StoreError.corruptRow("report.sealed")
        }
        let markings = try Row.fetchAll(db.cachedStatement(sql: "SELECT idx, marking, sourcesAndMethods FROM portion WHERE reportId = ? ORDER BY idx"), arguments: [id])
        guard markings.count == text.portions.count else { throw StoreError.corruptRow("report.portions") }
        let portions = try zip(markings, text.portions).map { row, body -> Portion in
            guard let marking = try? Marking.parse(row[1] as String) else { throw StoreError.corruptRow("portion.marking") }
            return Portion(index: row[0], marking: marking, sourcesAndMethods: row[2], text: body)
        }
        guard let titleMarking = try? Marking.parse(row[1] as String),
              let grade = try? SourceGrade(code: row[2]) else {
            throw StoreError.corruptRow("report")
        }
        let report = Report(
            id: id, originator: row[0], title: text.title, titleMarking: titleMarking,
            sourceGrade: grade, topics: ListColumn.decode(row[3]), entities: text.entities, portions: portions,
            createdBy: row[4], createdAt: row[5])
        return StoredReport(report: report, signature: row[6])
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
