import Crypto
import Foundation
import TearlineCore

extension PostgresSession: AuditRepository {
    func appendAudit(_ e: AuditRecord) throws {
        if readOnly {
            state.pendingAudit.append(e)
            return
        }
        try PostgresAuditWriter.append(e, link: link, state: state)
        state.appendedAudit.append(e)
    }

    func auditEvents(_ q: AuditQuery) throws -> [AuditRecord] {
        var clauses: [String] = []
        var values: [SQLValue] = []
        if let organization = q.organization {
            clauses.append("(organization = ? OR concerns = ?)")
            values += [.text(organization), .text(organization)]
        }
        if let actor = q.actor { clauses.append("actor = ?"); values.append(.text(actor)) }
        if let action = q.action { clauses.append("action = ?"); values.append(.text(action)) }
        if let object = q.object { clauses.append("object = ?"); values.append(.text(object)) }
        if let since = q.since { clauses.append("at >= ?"); values.append(.int(since)) }
        if let until = q.until { clauses.append("at <= ?"); values.append(.int(until)) }
        if let after = q.afterSeq { clauses.append("seq > ?"); values.append(.int(after)) }
        if let org = q.actorOrganization { clauses.append("organization = ?"); values.append(.text(org)) }
        if let concerns = q.concerns { clauses.append("concerns = ?"); values.append(.text(concerns)) }
        if let prefix = q.actionPrefix { clauses.append("starts_with(action, ?)"); values.append(.text(prefix)) }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        values.append(.int(Int64(q.limit)))
        return try link.rows("""
            SELECT seq, at, actor, organization, concerns, action, object, decision, reasons, detail, hash
            FROM auditEvent \(whereClause) ORDER BY seq \(q.newestFirst ? "DESC" : "ASC") LIMIT ?
            """, values).map(Self.auditRecord(from:))
    }

    func servedCopies() throws -> [ServedCopy] {
        let serving = AuditAction.servingCopies
        return try link.rows("""
            SELECT object, actor, organization FROM auditEvent
            WHERE action IN (\(serving.map { _ in "?" }.joined(separator: ", "))) AND decision = 'allow'
              AND object IS NOT NULL AND actor IS NOT NULL AND organization IS NOT NULL
            GROUP BY object, actor, organization ORDER BY object, actor
            """, serving.map { .text($0.rawValue) })
            .map { ServedCopy(document: try $0.string("object"), member: try $0.string("actor"), organization: try $0.string("organization")) }
    }

    static func auditRecord(from row: PGRow) throws -> AuditRecord {
        var record = AuditRecord(
            seq: try row.int("seq"), at: try row.int("at"), actor: try row.optionalString("actor"),
            organization: try row.optionalString("organization"), concerns: try row.optionalString("concerns"),
            actionName: try row.string("action"), object: try row.optionalString("object"), decision: try row.string("decision"),
            reasons: ListColumn.decode(try row.string("reasons")), detail: try row.optionalString("detail"))
        record.hash = try row.optionalData("hash")
        return record
    }
}

/// The audit log of one PostgreSQL database: each batch of read-side audit records is one write
/// transaction (what ``AuditBatcher`` commits through), run on a pool thread.
struct PostgresAuditLog: AuditLogAppending {
    let database: PostgresDatabase
    let context: StoreContext

    func append(_ records: [AuditRecord], signHead: @escaping @Sendable () -> Bool) async throws {
        let context = context
        try await database.transaction(readOnly: false) { link in
            let state = SessionState()
            try PostgresAuditWriter.appendAll(records, link: link, state: state)
            try PostgresAuditWriter.finish(link: link, state: state, key: context.auditKey, signHead: signHead())
        }
    }
}

/// Appends entries to the hash chain inside a write transaction and signs the new head before
/// the transaction commits, as ``AuditWriter`` does on SQLite. Every write transaction on
/// PostgreSQL holds the node's writer lock (see ``PostgresDatabase``), so the head read at a
/// transaction's first append stays the head until it commits, whichever instance appends:
/// one chain, with neither forks nor gaps.
enum PostgresAuditWriter {
    static func append(_ e: AuditRecord, link: PostgresLink, state: SessionState) throws {
        // why: the hash covers the entry exactly as the row will read back (reasons are stored comma-joined).
        var e = e
        e.reasons = ListColumn.decode(ListColumn.encode(e.reasons))
        let head = try state.auditHead ?? lastEntry(link)
        let seq = head.seq + 1
        let hash = AuditChain.hash(e, seq: seq, previous: head.hash)
        try link.execute("""
            INSERT INTO auditEvent (seq, at, actor, organization, concerns, action, object, decision, reasons, detail, prevHash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.int(seq), .int(e.at), .optional(e.actor), .optional(e.organization), .optional(e.concerns), .text(e.action),
                  .optional(e.object), .text(e.decision), .text(ListColumn.encode(e.reasons)), .optional(e.detail), .bytes(head.hash),
                  .bytes(hash)])
        state.auditHead = (seq, hash, e.at)
        state.auditAppended = true
        if seq % AuditChain.checkpointInterval == 0 { state.dueCheckpoints.append((seq, hash, e.at)) }
    }

    /// Appends `records` in order, as ``append(_:link:state:)`` one by one would, but in multi-row
    /// INSERTs: the chain is computed here, and a batch costs one round trip per 1,000 entries
    /// rather than one per entry (the group commit of reads holds the node's writer lock meanwhile).
    static func appendAll(_ records: [AuditRecord], link: PostgresLink, state: SessionState) throws {
        var head = try state.auditHead ?? lastEntry(link)
        var rows: [SQLValue] = []
        rows.reserveCapacity(min(records.count, batch) * 12)
        func flush() throws {
            guard !rows.isEmpty else { return }
            let tuples = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows.count / 12).joined(separator: ", ")
            try link.execute("""
                INSERT INTO auditEvent (seq, at, actor, organization, concerns, action, object, decision, reasons, detail, prevHash, hash)
                VALUES \(tuples)
                """, rows)
            rows.removeAll(keepingCapacity: true)
        }
        for record in records {
            // why: the hash covers the entry exactly as the row will read back (reasons are stored comma-joined).
            var e = record
            e.reasons = ListColumn.decode(ListColumn.encode(e.reasons))
            let seq = head.seq + 1
            let hash = AuditChain.hash(e, seq: seq, previous: head.hash)
            rows += [.int(seq), .int(e.at), .optional(e.actor), .optional(e.organization), .optional(e.concerns), .text(e.action),
                     .optional(e.object), .text(e.decision), .text(ListColumn.encode(e.reasons)), .optional(e.detail), .bytes(head.hash),
                     .bytes(hash)]
            if seq % AuditChain.checkpointInterval == 0 { state.dueCheckpoints.append((seq, hash, e.at)) }
            head = (seq, hash, e.at)
            if rows.count / 12 == batch { try flush() }
        }
        try flush()
        if !records.isEmpty {
            state.auditHead = head
            state.auditAppended = true
        }
    }

    /// Entries per INSERT (12 parameters each, well under PostgreSQL's 65,535).
    static let batch = 1_000

    /// Signs the checkpoints reached and the new head. Runs last in every write transaction.
    static func finish(link: PostgresLink, state: SessionState, key: Curve25519.Signing.PrivateKey, signHead: Bool = true) throws {
        guard state.auditAppended, let head = state.auditHead else { return }
        for due in state.dueCheckpoints {
            let checkpoint = try AuditCheckpoint.signed(seq: due.seq, hash: due.hash, at: due.at, key: key)
            try link.execute("INSERT INTO auditCheckpoint (seq, hash, at, signature) VALUES (?, ?, ?, ?)",
                             [.int(checkpoint.seq), .bytes(checkpoint.hash), .int(checkpoint.at), .bytes(checkpoint.signature)])
        }
        state.dueCheckpoints.removeAll()
        guard signHead else { return }
        try storeHead(try AuditCheckpoint.signed(seq: head.seq, hash: head.hash, at: head.at, key: key), link: link)
        state.auditAppended = false
    }

    static func storeHead(_ signed: AuditCheckpoint, link: PostgresLink) throws {
        try link.execute("""
            INSERT INTO auditHead (id, seq, hash, at, signature) VALUES (1, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at, signature = excluded.signature
            """, [.int(signed.seq), .bytes(signed.hash), .int(signed.at), .bytes(signed.signature)])
    }

    /// As `AuditWriter.sealHead`: the head over the last entry, signed if no stored head names it.
    static func sealHead(_ link: PostgresLink, key: Curve25519.Signing.PrivateKey) throws -> AuditCheckpoint? {
        let last = try lastEntry(link)
        guard last.seq > 0 else { return nil }
        if let row = try link.row("SELECT seq, hash, at, signature FROM auditHead WHERE id = 1"), try row.int("seq") == last.seq {
            return AuditCheckpoint(seq: try row.int("seq"), hash: try row.data("hash"), at: try row.int("at"), signature: try row.data("signature"))
        }
        let signed = try AuditCheckpoint.signed(seq: last.seq, hash: last.hash, at: last.at, key: key)
        try storeHead(signed, link: link)
        return signed
    }

    static func lastEntry(_ link: PostgresLink) throws -> (seq: Int64, hash: Data, at: Int64) {
        guard let row = try link.row("SELECT seq, hash, at FROM auditEvent ORDER BY seq DESC LIMIT 1") else {
            return (0, AuditChain.genesis, 0)
        }
        return (try row.int("seq"), try row.optionalData("hash") ?? AuditChain.genesis, try row.int("at"))
    }
}
