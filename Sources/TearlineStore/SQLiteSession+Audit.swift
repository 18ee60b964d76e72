import Crypto
import Foundation
import GRDB
import TearlineCore

extension SQLiteSession: AuditRepository {
    func appendAudit(_ e: AuditRecord) throws {
        #if TEARLINE_BENCH_NO_AUDIT
        // why: a benchmark-only build flag, to measure what auditing costs. Never set in a real build.
        return
        #else
        if readOnly {
            state.pendingAudit.append(e)
            return
        }
        try AuditWriter.append(e, db: db, state: state)
        state.appendedAudit.append(e)
        #endif
    }

    func auditEvents(_ q: AuditQuery) throws -> [AuditRecord] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let organization = q.organization {
            clauses.append("(organization = ? OR concerns = ?)")
            arguments += [organization, organization]
        }
        if let actor = q.actor { clauses.append("actor = ?"); arguments += [actor] }
        if let action = q.action { clauses.append("action = ?"); arguments += [action] }
        if let object = q.object { clauses.append("object = ?"); arguments += [object] }
        if let since = q.since { clauses.append("at >= ?"); arguments += [since] }
        if let until = q.until { clauses.append("at <= ?"); arguments += [until] }
        if let after = q.afterSeq { clauses.append("seq > ?"); arguments += [after] }
        if let org = q.actorOrganization { clauses.append("organization = ?"); arguments += [org] }
        if let concerns = q.concerns { clauses.append("concerns = ?"); arguments += [concerns] }
        if let prefix = q.actionPrefix { clauses.append("substr(action, 1, ?) = ?"); arguments += [prefix.utf8.count, prefix] }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        arguments += [q.limit]
        return try Row.fetchAll(db.cachedStatement(sql: """
            SELECT seq, at, actor, organization, concerns, action, object, decision, reasons, detail, hash
            FROM auditEvent \(whereClause) ORDER BY seq \(q.newestFirst ? "DESC" : "ASC") LIMIT ?
            """), arguments: arguments)
            .map { row in
                var record = AuditRecord(
                    seq: row[0], at: row[1], actor: row[2], organization: row[3], concerns: row[4], actionName: row[5],
                    object: row[6], decision: row[7], reasons: ListColumn.decode(row[8]), detail: row[9])
                record.hash = row[10]
                return record
            }
    }
}

extension SQLiteSession {
    func servedCopies() throws -> [ServedCopy] {
        let serving = AuditAction.servingCopies
        return try Row.fetchAll(db.cachedStatement(sql: """
            SELECT object, actor, organization FROM auditEvent
            WHERE action IN (\(serving.map { _ in "?" }.joined(separator: ", "))) AND decision = 'allow'
              AND object IS NOT NULL AND actor IS NOT NULL AND organization IS NOT NULL
            GROUP BY object, actor, organization ORDER BY object, actor
            """), arguments: StatementArguments(serving.map(\.rawValue))).map { ServedCopy(document: $0[0], member: $0[1], organization: $0[2]) }
    }
}

/// The audit log of one SQLite database: each batch of read-side audit records is one write
/// transaction (what ``AuditBatcher`` commits through).
struct SQLiteAuditLog: AuditLogAppending {
    let writer: any DatabaseWriter
    let context: StoreContext

    func append(_ records: [AuditRecord], signHead: @escaping @Sendable () -> Bool) async throws {
        try await writer.write { db in
            let state = SessionState()
            for record in records { try AuditWriter.append(record, db: db, state: state) }
            try AuditWriter.finish(db: db, state: state, key: context.auditKey, signHead: signHead())
        }
    }
}

/// Appends entries to the hash chain inside a write transaction, and signs the new head before
/// the transaction commits. SQLite runs one writer at a time, so the head read at the first
/// append of a transaction stays the head until it commits.
///
/// why no process-local head: the head (seq, hash) is read from `auditEvent` at a transaction's
/// first append and kept only in that transaction's `SessionState`, as are the checkpoints it
/// reaches; nothing about the chain outlives a transaction in this process.
enum AuditWriter {
    static func append(_ e: AuditRecord, db: Database, state: SessionState) throws {
        // why: the hash covers the entry exactly as the row will read back (reasons are stored comma-joined).
        var e = e
        e.reasons = ListColumn.decode(ListColumn.encode(e.reasons))
        let head = try state.auditHead ?? lastEntry(db)
        let seq = head.seq + 1
        let hash = AuditChain.hash(e, seq: seq, previous: head.hash)
        try db.cachedStatement(sql: """
            INSERT INTO auditEvent (seq, at, actor, organization, concerns, action, object, decision, reasons, detail, prevHash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [seq, e.at, e.actor, e.organization, e.concerns, e.action, e.object, e.decision,
                                     ListColumn.encode(e.reasons), e.detail, head.hash, hash])
        state.auditHead = (seq, hash, e.at)
        state.auditAppended = true
        if seq % AuditChain.checkpointInterval == 0 { state.dueCheckpoints.append((seq, hash, e.at)) }
    }

    /// Signs the checkpoints reached and the new head. Runs last in every write transaction.
    static func finish(db: Database, state: SessionState, key: Curve25519.Signing.PrivateKey, signHead: Bool = true) throws {
        guard state.auditAppended, let head = state.auditHead else { return }
        let insert = try db.cachedStatement(sql: "INSERT INTO auditCheckpoint (seq, hash, at, signature) VALUES (?, ?, ?, ?)")
        for due in state.dueCheckpoints {
            let checkpoint = try AuditCheckpoint.signed(seq: due.seq, hash: due.hash, at: due.at, key: key)
            try insert.execute(arguments: [checkpoint.seq, checkpoint.hash, checkpoint.at, checkpoint.signature])
        }
        state.dueCheckpoints.removeAll()
        guard signHead else { return }
        try storeHead(try AuditCheckpoint.signed(seq: head.seq, hash: head.hash, at: head.at, key: key), db: db)
        state.auditAppended = false
        state.dueCheckpoints.removeAll()
    }

    static func storeHead(_ signed: AuditCheckpoint, db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO auditHead (id, seq, hash, at, signature) VALUES (1, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at, signature = excluded.signature
            """).execute(arguments: [signed.seq, signed.hash, signed.at, signed.signature])
    }

    /// Signs the head over the last entry when the stored head does not name it (a group commit
    /// may leave that to the next one), and returns the head; nil for an empty log.
    static func sealHead(_ db: Database, key: Curve25519.Signing.PrivateKey) throws -> AuditCheckpoint? {
        let last = try lastEntry(db)
        guard last.seq > 0 else { return nil }
        if let row = try Row.fetchOne(db, sql: "SELECT seq, hash, at, signature FROM auditHead WHERE id = 1"), (row["seq"] as Int64) == last.seq {
            return AuditCheckpoint(seq: row["seq"], hash: row["hash"], at: row["at"], signature: row["signature"])
        }
        let signed = try AuditCheckpoint.signed(seq: last.seq, hash: last.hash, at: last.at, key: key)
        try storeHead(signed, db: db)
        return signed
    }

    static func lastEntry(_ db: Database) throws -> (seq: Int64, hash: Data, at: Int64) {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash, at FROM auditEvent ORDER BY seq DESC LIMIT 1")) else {
            return (0, AuditChain.genesis, 0)
        }
        return (row[0], row[1] ?? AuditChain.genesis, row[2])
    }
}
