import Foundation
import TearlineCore

/// Keeps this process's entity index and caches in step with writes made by every instance on
/// the database: the node's change log.
///
/// Each write transaction appends rows to `changeLog`: one for each change to what the index
/// holds or a cache may hold (a report added or emptied, a release recorded or revoked, a
/// discoverability changed), or a bare `write` row when it changed nothing of those, because the
/// read memo (``PostgresReadMemo``) is valid only while no write has committed. Writers hold the node's writer lock, so the log's sequence numbers commit in order.
/// Every transaction on every instance starts by reading the rows after the last one this process
/// applied (one indexed query that is empty when nothing moved) and applies them, so an instance
/// acts on another's revocation from its very next request, never after a timer.
final class PostgresChangeFollower: @unchecked Sendable {
    // why @unchecked: `applied` is guarded by `lock`; the index and caches are Sendable.
    private let lock = NSLock()
    private var applied: Int64 = 0
    let context: StoreContext
    /// What read requests remember between writes; it follows `applied`.
    let memo = PostgresReadMemo()

    init(context: StoreContext) { self.context = context }

    /// The last sequence number this process applied.
    var appliedSeq: Int64 { lock.withLock { applied } }

    /// What a change-log row names.
    enum Kind: String {
        case report, release, discoverability, removeReport
        /// A write that changed nothing the index or the caches hold (it still empties the read memo).
        case write
    }

    /// Loads the whole index from the database (at open), and the log position it reflects.
    func load(_ link: PostgresLink) throws {
        let position = try link.row("SELECT COALESCE(MAX(seq), 0) AS seq FROM changeLog").map { try $0.int("seq") } ?? 0
        var index = EntityIndex()
        var releases: [String: [IndexedRelease]] = [:]
        for row in try link.rows("SELECT \(SQLiteSession.releaseColumns) FROM release ORDER BY rowid") {
            let release = try PostgresSession.release(from: row)
            releases[release.reportId, default: []].append(IndexedRelease(release))
        }
        var labels: [String: MarkingLabel] = [:]
        var portions: [Int64: [IndexedPortion]] = [:]
        for row in try link.rows("SELECT r.rowid, p.marking, p.sourcesAndMethods FROM report r JOIN portion p ON p.reportId = r.id ORDER BY r.rowid, p.idx") {
            portions[try row.int("rowid"), default: []].append(try Self.portion(row, labels: &labels))
        }
        var mentions: [Int64: [IndexedMention]] = [:]
        for row in try link.rows("SELECT report, mentions FROM mention") {
            mentions[try row.int("report")] = try row.data("mentions").withUnsafeBytes(MentionPacking.unpack)
        }
        var topicSets: [String: TagSet] = [:]
        for row in try link.rows("SELECT rowid, id, originator, topics, discoverability FROM report ORDER BY rowid") {
            let rowid = try row.int("rowid"), id = try row.string("id")
            let topicsText = try row.string("topics")
            let topics = topicSets[topicsText] ?? TagSet(ListColumn.decode(topicsText))
            topicSets[topicsText] = topics
            index.add(IndexedReport(
                id: id, originator: try row.string("originator"), topics: topics, portions: portions[rowid] ?? [],
                discoverability: Discoverability(rawValue: try row.string("discoverability")) ?? .default, mentions: mentions[rowid] ?? []))
            for release in releases[id] ?? [] { index.record(release, ofReport: id) }
        }
        lock.withLock {
            context.entities.update { $0 = index }
            applied = position
            memo.advance(to: position)
        }
    }

    /// Applies what other transactions committed since this process last looked. Runs first in
    /// every transaction, on its connection; costs one query when nothing changed. Returns the
    /// log position the query saw: in a transaction, the position of its snapshot.
    @discardableResult
    func catchUp(_ link: PostgresLink) throws -> Int64 {
        let since = appliedSeq
        let rows = try link.rows("SELECT seq, kind, subject FROM changeLog WHERE seq > ? ORDER BY seq", [.int(since)])
        // why `since` when nothing came: it was applied, so committed before this query began.
        guard !rows.isEmpty else { return since }
        let changes = try rows.map { row -> (seq: Int64, kind: Kind, subject: String) in
            guard let kind = Kind(rawValue: try row.string("kind")) else { throw StoreError.corruptRow("changeLog.kind") }
            return (try row.int("seq"), kind, try row.string("subject"))
        }
        // why under the lock while loading: two threads of this process must not apply one change twice.
        try lock.withLock {
            for change in changes where change.seq > applied {
                try apply(change.kind, subject: change.subject, link: link)
                applied = change.seq
            }
            memo.advance(to: applied)
        }
        return changes[changes.count - 1].seq
    }

    /// Appends the change log rows of a write transaction, before it commits (a bare `write` row
    /// when `changes` is empty); returns their sequence numbers, the last one the transaction's.
    func record(_ changes: [EntityIndexChange], link: PostgresLink, at now: Int64) throws -> [Int64] {
        let logged = changes.isEmpty ? [(Kind.write, "")] : changes.map(Self.logged)
        return try logged.map { kind, subject in
            guard let row = try link.row("INSERT INTO changeLog (kind, subject, at) VALUES (?, ?, ?) RETURNING seq",
                                         [.text(kind.rawValue), .text(subject), .int(now)]) else {
                throw StoreError.corruptRow("changeLog.seq")
            }
            return try row.int("seq")
        }
    }

    /// Applies a committed write transaction's own changes, unless a reader already applied them
    /// from the log; `seqs` are what ``record(_:link:at:)`` returned.
    func applyCommitted(_ changes: [EntityIndexChange], seqs: [Int64]) {
        lock.withLock {
            for (change, seq) in zip(changes, seqs) where seq > applied {
                context.entities.apply([change])
                dropCached(change)
                applied = seq
            }
            if let last = seqs.last, last > applied { applied = last }
            memo.advance(to: applied)
        }
    }

    private static func logged(_ change: EntityIndexChange) -> (Kind, String) {
        switch change {
        case .report(let report): (.report, report.id)
        case .release(let release, _): (.release, release.id)
        case .discoverability(let report, _): (.discoverability, report)
        case .removeReport(let report): (.removeReport, report)
        }
    }

    private func dropCached(_ change: EntityIndexChange) {
        switch change {
        case .release(let release, _): context.releases.remove(release.id)
        case .removeReport(let report): context.reports.remove(report)
        case .report, .discoverability: break
        }
    }

    /// One change made by another transaction, read back from the database as it now stands.
    private func apply(_ kind: Kind, subject: String, link: PostgresLink) throws {
        switch kind {
        case .report:
            guard let row = try link.row("""
                SELECT r.rowid, r.originator, r.topics, r.discoverability, m.mentions
                FROM report r LEFT JOIN mention m ON m.report = r.rowid WHERE r.id = ?
                """, [.text(subject)]) else { return }
            var labels: [String: MarkingLabel] = [:]
            let portions = try link.rows("SELECT marking, sourcesAndMethods FROM portion WHERE reportId = ? ORDER BY idx", [.text(subject)])
                .map { try Self.portion($0, labels: &labels) }
            let mentions = try row.optionalData("mentions").map { $0.withUnsafeBytes(MentionPacking.unpack) } ?? []
            let report = IndexedReport(
                id: subject, originator: try row.string("originator"), topics: TagSet(ListColumn.decode(try row.string("topics"))),
                portions: portions, discoverability: Discoverability(rawValue: try row.string("discoverability")) ?? .default,
                mentions: mentions)
            context.entities.apply([.report(report)])
        case .release:
            context.releases.remove(subject)
            guard let row = try link.row("SELECT \(SQLiteSession.releaseColumns) FROM release WHERE id = ?", [.text(subject)]) else { return }
            let release = try PostgresSession.release(from: row)
            context.entities.apply([.release(IndexedRelease(release), reportId: release.reportId)])
        case .discoverability:
            guard let row = try link.row("SELECT discoverability FROM report WHERE id = ?", [.text(subject)]) else { return }
            context.entities.apply([.discoverability(subject, Discoverability(rawValue: try row.string("discoverability")) ?? .default)])
        case .removeReport:
            context.reports.remove(subject)
            context.entities.apply([.removeReport(subject)])
        case .write:
            break
        }
    }

    private static func portion(_ row: PGRow, labels: inout [String: MarkingLabel]) throws -> IndexedPortion {
        let text = try row.string("marking")
        let label: MarkingLabel
        if let known = labels[text] { label = known } else {
            guard let marking = try? Marking.parse(text) else { throw StoreError.corruptRow("portion.marking") }
            label = marking.label
            labels[text] = label
        }
        return IndexedPortion(label: label, sourcesAndMethods: try row.bool("sourcesAndMethods"))
    }
}
