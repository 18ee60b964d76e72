import Foundation
import TearlineCore

extension PostgresSession: ReportRepository {
    func insertReport(_ stored: StoredReport, discoverability: Discoverability) throws {
        let r = stored.report
        state.insertedReports.insert(r.id)
        // why: text is sealed before it reaches the database; only markings and metadata are stored in the clear.
        let sealed = try context.sealer.seal(ReportText(r), context: ContentSealer.reportContext(r.id))
        guard let row = try link.row("""
            INSERT INTO report (id, originator, title, titleMarking, sourceGrade, topics, createdBy, createdAt, signature, dataKey, sealed,
                                discoverability)
            VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING rowid
            """, [.text(r.id), .text(r.originator), .text(r.titleMarking.portionMark), .text(r.sourceGrade.code),
                  .text(ListColumn.encode(r.topics)), .text(r.createdBy), .int(r.createdAt), .bytes(stored.signature),
                  .bytes(sealed.wrappedKey), .bytes(sealed.box), .text(discoverability.rawValue)]) else {
            throw StoreError.corruptRow("report.rowid")
        }
        for p in r.portions {
            try link.execute("INSERT INTO portion (reportId, idx, marking, sourcesAndMethods, text) VALUES (?, ?, ?, ?, '')",
                             [.text(r.id), .int(Int64(p.index)), .text(p.marking.portionMark), .int(p.sourcesAndMethods ? 1 : 0)])
        }
        let mentions = try indexMentions(of: r, row: try row.int("rowid"))
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
        guard let row = try link.row("""
            SELECT originator, titleMarking, sourceGrade, topics, createdBy, createdAt, signature, dataKey, sealed FROM report WHERE id = ?
            """, [.text(id)]) else { return nil }
        let wrappedKey = try row.optionalData("dataKey"), box = try row.optionalData("sealed")
        // why: a received copy destroyed by revocation keeps an empty row; it is gone.
        if wrappedKey == nil, box == nil { return nil }
        guard let wrappedKey, let box,
              let text = try? context.sealer.open(ReportText.self, wrappedKey: wrappedKey, box: box, context: ContentSealer.reportContext(id)) else {
            throw StoreError.corruptRow("report.sealed")
        }
        let markings = try link.rows("SELECT idx, marking, sourcesAndMethods FROM portion WHERE reportId = ? ORDER BY idx", [.text(id)])
        guard markings.count == text.portions.count else { throw StoreError.corruptRow("report.portions") }
        let portions = try zip(markings, text.portions).map { row, body -> Portion in
            guard let marking = try? Marking.parse(try row.string("marking")) else { throw StoreError.corruptRow("portion.marking") }
            return Portion(index: Int(try row.int("idx")), marking: marking, sourcesAndMethods: try row.bool("sourcesAndMethods"), text: body)
        }
        guard let titleMarking = try? Marking.parse(try row.string("titleMarking")),
              let grade = try? SourceGrade(code: try row.string("sourceGrade")) else {
            throw StoreError.corruptRow("report")
        }
        let report = Report(
            id: id, originator: try row.string("originator"), title: text.title, titleMarking: titleMarking,
            sourceGrade: grade, topics: ListColumn.decode(try row.string("topics")), entities: text.entities, portions: portions,
            createdBy: try row.string("createdBy"), createdAt: try row.int("createdAt"))
        return StoredReport(report: report, signature: try row.data("signature"))
    }

    func reportIds(originator: String, after cursor: String?, limit: Int) throws -> Page<String> {
        var rows: [PGRow]
        if let cursor {
            let (createdAt, id) = try Cursor.decode(cursor)
            rows = try link.rows("""
                SELECT id, createdAt FROM report WHERE originator = ? AND (createdAt < ? OR (createdAt = ? AND id < ?))
                ORDER BY createdAt DESC, id DESC LIMIT ?
                """, [.text(originator), .int(createdAt), .int(createdAt), .text(id), .int(Int64(limit + 1))])
        } else {
            rows = try link.rows("SELECT id, createdAt FROM report WHERE originator = ? ORDER BY createdAt DESC, id DESC LIMIT ?",
                                 [.text(originator), .int(Int64(limit + 1))])
        }
        var next: String?
        if rows.count > limit {
            rows.removeLast()
            next = try rows.last.map { Cursor.encode(createdAt: try $0.int("createdAt"), id: try $0.string("id")) }
        }
        return Page(items: try rows.map { try $0.string("id") }, next: next)
    }
}

extension PostgresSession: EntityRepository {
    /// Writes a report's mentions (normalised, blind) and returns what the in-memory index needs.
    @discardableResult
    func indexMentions(of report: Report, row: Int64, extracting: Bool = false) throws -> [IndexedMention] {
        let keys = context.entityKeys
        let mentions = EntityKeys.mentions(of: report, extracting: extracting).map { (id: keys.id(of: $0.entity), entity: $0.entity, portion: $0.portion) }
        // why: an entity already in the committed index has its row; only new ones are sealed and written.
        let known = context.entities.read { index in mentions.map { index.hasEntity($0.id) } }
        for ((id, normalized, _), isKnown) in zip(mentions, known) where !isKnown {
            try link.execute("INSERT INTO entity (id, kind, sealedName) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                             [.int(Int64(bitPattern: id)), .text(normalized.kind.rawValue), .bytes(try keys.sealName(normalized, id: id))])
        }
        let indexed = mentions.map { IndexedMention(entity: $0.id, portion: $0.portion) }
        if !indexed.isEmpty {
            try link.execute("INSERT INTO mention (report, mentions) VALUES (?, ?) ON CONFLICT (report) DO UPDATE SET mentions = excluded.mentions",
                             [.int(row), .bytes(MentionPacking.pack(indexed))])
        }
        return indexed
    }

    public func withEntityIndex<T>(_ body: (EntityIndex) throws -> T) rethrows -> T {
        try context.entities.read(body)
    }

    public func entityId(of entity: NormalizedEntity) -> UInt64 {
        context.entityKeys.id(of: entity)
    }

    public func entityMentions(of report: Report) -> [IndexedMention] {
        EntityKeys.mentions(of: report).map { IndexedMention(entity: context.entityKeys.id(of: $0.entity), portion: $0.portion) }
    }

    public func entity(id: UInt64) throws -> NormalizedEntity? {
        guard let row = try link.row("SELECT kind, sealedName FROM entity WHERE id = ?", [.int(Int64(bitPattern: id))]) else { return nil }
        return context.entityKeys.openName(try row.data("sealedName"), kind: try row.string("kind"), id: id)
    }

    public func setDiscoverability(_ discoverability: Discoverability, report: String) throws {
        try link.execute("UPDATE report SET discoverability = ? WHERE id = ?", [.text(discoverability.rawValue), .text(report)])
        state.indexChanges.append(.discoverability(report, discoverability))
    }

    public func grants(member: String) throws -> Set<String> {
        Set(try link.rows("SELECT reportId FROM needToKnowGrant WHERE memberId = ?", [.text(member)]).map { try $0.string("reportId") })
    }
}
