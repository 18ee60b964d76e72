import Foundation
import GRDB
import TearlineCore

/// Migration v2: seals the text of existing reports and releases, gives each release its own
/// copy, replaces entity values by their blind index, chains and signs the existing audit
/// entries, and makes the audit tables append-only.
enum MigrationV2 {
    static func run(_ db: Database, context: StoreContext) throws {
        try db.execute(sql: """
            ALTER TABLE report ADD COLUMN dataKey BLOB;
            ALTER TABLE report ADD COLUMN sealed BLOB;
            ALTER TABLE release ADD COLUMN dataKey BLOB;
            ALTER TABLE release ADD COLUMN sealed BLOB;
            ALTER TABLE auditEvent ADD COLUMN prevHash BLOB;
            ALTER TABLE auditEvent ADD COLUMN hash BLOB;
            CREATE TABLE auditCheckpoint (
                seq INTEGER PRIMARY KEY,
                hash BLOB NOT NULL,
                at INTEGER NOT NULL,
                signature BLOB NOT NULL
            );
            CREATE TABLE auditHead (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                seq INTEGER NOT NULL,
                hash BLOB NOT NULL,
                at INTEGER NOT NULL,
                signature BLOB NOT NULL
            );
            CREATE TABLE alert (
                id TEXT PRIMARY KEY,
                organization TEXT NOT NULL REFERENCES organization(id),
                subject TEXT NOT NULL REFERENCES member(id),
                kind TEXT NOT NULL,
                detail TEXT NOT NULL,
                createdAt INTEGER NOT NULL,
                resolvedBy TEXT,
                resolvedAt INTEGER
            );
            CREATE INDEX alert_organization ON alert(organization, createdAt);
            """)
        try sealExisting(db, context: context)
        try chainExisting(db, context: context)
        try db.execute(sql: """
            CREATE TRIGGER auditEvent_append_only_update BEFORE UPDATE ON auditEvent
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER auditEvent_append_only_delete BEFORE DELETE ON auditEvent
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER auditCheckpoint_append_only_update BEFORE UPDATE ON auditCheckpoint
            BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
            CREATE TRIGGER auditCheckpoint_append_only_delete BEFORE DELETE ON auditCheckpoint
            BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
            CREATE TRIGGER auditHead_no_delete BEFORE DELETE ON auditHead
            BEGIN SELECT RAISE(ABORT, 'the audit head is never deleted'); END;
            CREATE TRIGGER auditHead_forward_only BEFORE UPDATE ON auditHead WHEN NEW.seq < OLD.seq
            BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward'); END;
            """)
    }

    private static func sealExisting(_ db: Database, context: StoreContext) throws {
        let sealer = context.sealer
        let reportIds = try String.fetchAll(db, sql: "SELECT id FROM report")
        for id in reportIds {
            guard let title = try String.fetchOne(db, sql: "SELECT title FROM report WHERE id = ?", arguments: [id]) else { continue }
            let portionRows = try Row.fetchAll(db, sql: "SELECT idx, text FROM portion WHERE reportId = ? ORDER BY idx", arguments: [id])
            let entityRows = try Row.fetchAll(db, sql: "SELECT portionIdx, type, value FROM entityMention WHERE reportId = ?", arguments: [id])
            let texts: [Int: String] = Dictionary(uniqueKeysWithValues: portionRows.map { ($0[0] as Int, $0[1] as String) })
            let entities = entityRows.map { EntityMention(type: $0[1], value: $0[2], portion: $0[0]) }
            let text = ReportTextV2(title: title, portions: portionRows.map { $0[1] }, entities: entities)
            let sealed = try sealer.seal(text, context: ContentSealer.reportContext(id))
            // Each release of this report gets its own copy of what it carries.
            for release in try Row.fetchAll(db, sql: "SELECT id, portions FROM release WHERE reportId = ? AND revokedAt IS NULL", arguments: [id]) {
                let releaseId: String = release[0]
                let included = Set((release[1] as String).split(separator: ",").compactMap { Int($0) })
                let content = ReleaseContent(
                    title: included.contains(Report.titleIndex) ? title : nil,
                    portions: texts.filter { included.contains($0.key) },
                    entities: entities.filter { included.contains($0.portion) })
                let copy = try sealer.seal(content, context: ContentSealer.releaseContext(releaseId))
                try db.execute(sql: "UPDATE release SET dataKey = ?, sealed = ? WHERE id = ?", arguments: [copy.wrappedKey, copy.box, releaseId])
            }
            try db.execute(sql: "UPDATE report SET title = '', dataKey = ?, sealed = ? WHERE id = ?", arguments: [sealed.wrappedKey, sealed.box, id])
            try db.execute(sql: "UPDATE portion SET text = '' WHERE reportId = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM entityMention WHERE reportId = ?", arguments: [id])
            for e in entities {
                try db.execute(sql: "INSERT OR IGNORE INTO entityMention (reportId, portionIdx, type, value) VALUES (?, ?, ?, ?)",
                               arguments: [id, e.portion, e.type, sealer.entityIndex(type: e.type, value: e.value)])
            }
        }
    }

    /// The shape of ``ReportText`` as this migration wrote it.
    private struct ReportTextV2: Encodable {
        var title: String
        var portions: [String]
        var entities: [EntityMention]
    }

    private static func chainExisting(_ db: Database, context: StoreContext) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT seq, at, actor, organization, concerns, action, object, decision, reasons, detail FROM auditEvent ORDER BY seq
            """)
        let state = SessionState()
        var previous = AuditChain.genesis
        for row in rows {
            let seq: Int64 = row[0]
            let record = AuditRecord(
                at: row[1], actor: row[2], organization: row[3], concerns: row[4], actionName: row[5], object: row[6],
                decision: row[7], reasons: ListColumn.decode(row[8]), detail: row[9])
            let hash = AuditChain.hash(record, seq: seq, previous: previous)
            try db.execute(sql: "UPDATE auditEvent SET prevHash = ?, hash = ? WHERE seq = ?", arguments: [previous, hash, seq])
            if seq % AuditChain.checkpointInterval == 0 { state.dueCheckpoints.append((seq, hash, record.at)) }
            state.auditHead = (seq, hash, record.at)
            state.auditAppended = true
            previous = hash
        }
        try AuditWriter.finish(db: db, state: state, key: context.auditKey)
    }
}
