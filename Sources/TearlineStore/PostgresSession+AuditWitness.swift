import Foundation

extension PostgresSession: AuditWitnessRepository {
    func auditWitness(peer: String, direction: AuditWitnessRecord.Direction) throws -> AuditWitnessRecord? {
        try link.row("SELECT * FROM auditWitness WHERE peer = ? AND direction = ?", [.text(peer), .text(direction.rawValue)]).map(Self.witness)
    }

    func auditWitnesses(direction: AuditWitnessRecord.Direction) throws -> [AuditWitnessRecord] {
        try link.rows("SELECT * FROM auditWitness WHERE direction = ? ORDER BY peer", [.text(direction.rawValue)]).map(Self.witness)
    }

    func saveAuditWitness(_ w: AuditWitnessRecord) throws {
        try link.execute("""
            INSERT INTO auditWitness (peer, direction, seq, hash, at, signature, publicKey, contradicted, recordedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (peer, direction) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at,
                signature = excluded.signature, publicKey = excluded.publicKey, contradicted = excluded.contradicted, recordedAt = excluded.recordedAt
            """, [.text(w.peer), .text(w.direction.rawValue), .int(w.seq), .bytes(w.hash), .int(w.at), .optional(w.signature),
                  .optional(w.publicKey), .int(w.contradicted ? 1 : 0), .int(w.recordedAt)])
    }

    func auditEntryHash(seq: Int64) throws -> Data? {
        try link.row("SELECT hash FROM auditEvent WHERE seq = ?", [.int(seq)]).map { try $0.data("hash") }
    }

    func signedAuditHead() throws -> AuditCheckpoint? {
        try link.row("SELECT seq, hash, at, signature FROM auditHead WHERE id = 1").map {
            AuditCheckpoint(seq: try $0.int("seq"), hash: try $0.data("hash"), at: try $0.int("at"), signature: try $0.data("signature"))
        }
    }

    private static func witness(_ row: PGRow) throws -> AuditWitnessRecord {
        AuditWitnessRecord(peer: try row.string("peer"), direction: AuditWitnessRecord.Direction(rawValue: try row.string("direction")) ?? .theirs,
                           seq: try row.int("seq"), hash: try row.data("hash"), at: try row.int("at"), signature: try row.optionalData("signature"),
                           publicKey: try row.optionalData("publicKey"), contradicted: try row.int("contradicted") != 0, recordedAt: try row.int("recordedAt"))
    }
}
