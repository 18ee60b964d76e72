import Foundation
import GRDB

/// Signing the audit head over the last entry, whatever the batches left: what a node does as it
/// shuts down, and what `tearline audit head` prints for anchoring elsewhere.
extension SQLiteStore {
    public func sealAuditHead() async throws -> AuditCheckpoint? {
        let context = context
        return try await context.health.watchingAsync(writes: true) {
            try await StoreError.translatingSQLite {
                try await writer.write { db -> AuditCheckpoint? in
                    let last = try AuditWriter.lastEntry(db)
                    guard last.seq > 0 else { return nil }
                    if let row = try Row.fetchOne(db, sql: "SELECT seq, hash, at, signature FROM auditHead WHERE id = 1"),
                       (row["seq"] as Int64) == last.seq {
                        return AuditCheckpoint(seq: row["seq"], hash: row["hash"], at: row["at"], signature: row["signature"])
                    }
                    let signed = try AuditCheckpoint.signed(seq: last.seq, hash: last.hash, at: last.at, key: context.auditKey)
                    try db.execute(sql: """
                        INSERT INTO auditHead (id, seq, hash, at, signature) VALUES (1, ?, ?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at, signature = excluded.signature
                        """, arguments: [signed.seq, signed.hash, signed.at, signed.signature])
                    return signed
                }
            }
        }
    }
}

extension SQLiteStore {
    public func close() async {
        try? checkpointJournal()
    }
}

extension PostgresStore {
    public func close() async {
        shutdown()
    }

    public func sealAuditHead() async throws -> AuditCheckpoint? {
        let context = context
        return try await context.health.watchingAsync(writes: true) {
            try await StoreError.translatingPostgres {
                try await database.transaction(readOnly: false) { link -> AuditCheckpoint? in
                    let last = try PostgresAuditWriter.lastEntry(link)
                    guard last.seq > 0 else { return nil }
                    if let row = try link.row("SELECT seq, hash, at, signature FROM auditHead WHERE id = 1"), try row.int("seq") == last.seq {
                        return AuditCheckpoint(seq: try row.int("seq"), hash: try row.data("hash"), at: try row.int("at"), signature: try row.data("signature"))
                    }
                    let signed = try AuditCheckpoint.signed(seq: last.seq, hash: last.hash, at: last.at, key: context.auditKey)
                    try link.execute("""
                        INSERT INTO auditHead (id, seq, hash, at, signature) VALUES (1, ?, ?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at, signature = excluded.signature
                        """, [.int(signed.seq), .bytes(signed.hash), .int(signed.at), .bytes(signed.signature)])
                    return signed
                }
            }
        }
    }
}
