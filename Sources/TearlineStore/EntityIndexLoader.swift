import Foundation
import GRDB
import GRDBSQLite
import TearlineCore

/// Builds the in-memory entity index from the database when the store opens: reports in row
/// order (so slots follow insertion order), their portion markings, releases and mentions.
/// The mention table is read with raw statements: it holds ten rows per report or more.
enum EntityIndexLoader {
    static func load(_ db: Database, into box: any EntityIndexHolding) throws {
        var releases: [String: [IndexedRelease]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT \(SQLiteSession.releaseColumns) FROM release ORDER BY rowid") {
            let release = try SQLiteSession.release(from: row)
            releases[release.reportId, default: []].append(IndexedRelease(release))
        }
        guard let connection = db.sqliteConnection else { throw StoreError.corruptRow("no connection") }
        let reports = try RawStatement(connection, "SELECT rowid, id, originator, topics, discoverability FROM report ORDER BY rowid")
        let portions = try RawStatement(connection, """
            SELECT r.rowid, p.idx, p.marking, p.sourcesAndMethods FROM report r JOIN portion p ON p.reportId = r.id ORDER BY r.rowid, p.idx
            """)
        let mentions = try RawStatement(connection, "SELECT report, mentions FROM mention ORDER BY report")
        var labels: [String: MarkingLabel] = [:]
        var topicSets: [String: TagSet] = [:]
        var index = EntityIndex()
        var portionRow = portions.step()
        var mentionRow = mentions.step()
        while reports.step() {
            let row = reports.int64(0)
            let id = reports.text(1)
            var indexedPortions: [IndexedPortion] = []
            while portionRow, portions.int64(0) < row { portionRow = portions.step() }
            while portionRow, portions.int64(0) == row {
                let text = portions.text(2)
                let label: MarkingLabel
                if let known = labels[text] { label = known } else {
                    guard let marking = try? Marking.parse(text) else { throw StoreError.corruptRow("portion.marking") }
                    label = marking.label
                    labels[text] = label
                }
                indexedPortions.append(IndexedPortion(label: label, sourcesAndMethods: portions.int64(3) != 0))
                portionRow = portions.step()
            }
            var indexedMentions: [IndexedMention] = []
            while mentionRow, mentions.int64(0) < row { mentionRow = mentions.step() }
            if mentionRow, mentions.int64(0) == row {
                indexedMentions = mentions.blob(1, MentionPacking.unpack)
                mentionRow = mentions.step()
            }
            let topicsText = reports.text(3)
            let topics = topicSets[topicsText] ?? TagSet(ListColumn.decode(topicsText))
            topicSets[topicsText] = topics
            index.add(IndexedReport(
                id: id, originator: reports.text(2), topics: topics, portions: indexedPortions,
                discoverability: Discoverability(rawValue: reports.text(4)) ?? .default, mentions: indexedMentions))
            for release in releases[id] ?? [] { index.record(release, ofReport: id) }
        }
        try reports.finish()
        box.update { $0 = index }
    }
}

/// A prepared statement stepped by hand, for scans of millions of rows.
final class RawStatement {
    private var statement: OpaquePointer?
    private let connection: OpaquePointer
    private var result: Int32 = SQLITE_OK

    init(_ connection: OpaquePointer, _ sql: String) throws {
        self.connection = connection
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK else {
            throw StoreError.corruptRow(String(cString: sqlite3_errmsg(connection)))
        }
    }

    deinit { sqlite3_finalize(statement) }

    /// Advances to the next row; false at the end (or on an error, which `finish` reports).
    func step() -> Bool {
        result = sqlite3_step(statement)
        return result == SQLITE_ROW
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func blob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard let bytes = sqlite3_column_blob(statement, column) else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return body(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        return String(cString: bytes)
    }

    func finish() throws {
        if result != SQLITE_DONE && result != SQLITE_ROW { throw StoreError.corruptRow(String(cString: sqlite3_errmsg(connection))) }
    }
}
