import Foundation
import GRDB

extension SQLiteSession: AuditWitnessRepository {
    func auditWitness(peer: String, direction: AuditWitnessRecord.Direction) throws -> AuditWitnessRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM auditWitness WHERE peer = ? AND direction = ?"),
                         arguments: [peer, direction.rawValue]).map(Self.witness)
    }

    func auditWitnesses(direction: AuditWitnessRecord.Direction) throws -> [AuditWitnessRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM auditWitness WHERE direction = ? ORDER BY peer", arguments: [direction.rawValue]).map(Self.witness)
    }

    func saveAuditWitness(_ w: AuditWitnessRecord) throws {
        try db.execute(sql: """
            INSERT INTO auditWitness (peer, direction, seq, hash, at, signature, publicKey, contradicted, recordedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (peer, direction) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at,
                signature = excluded.signature, publicKey = excluded.publicKey, contradicted = excluded.contradicted, recordedAt = excluded.recordedAt
            """, arguments: [w.peer, w.direction.rawValue, w.seq, w.hash, w.at, w.signature, w.publicKey, w.contradicted, w.recordedAt])
    }

    func auditEntryHash(seq: Int64) throws -> Data? {
        try Data.fetchOne(db.cachedStatement(sql: "SELECT hash FROM auditEvent WHERE seq = ?"), arguments: [seq])
    }

    func signedAuditHead() throws -> AuditCheckpoint? {
        try Row.fetchOne(db, sql: "SELECT seq, hash, at, signature FROM auditHead WHERE id = 1").map {
            AuditCheckpoint(seq: $0["seq"], hash: $0["hash"], at: $0["at"], signature: $0["signature"])
        }
    }

    private static func witness(_ row: Row) -> AuditWitnessRecord {
        AuditWitnessRecord(peer: row["peer"], direction: AuditWitnessRecord.Direction(rawValue: row["direction"]) ?? .theirs,
                           seq: row["seq"], hash: row["hash"], at: row["at"], signature: row["signature"], publicKey: row["publicKey"],
                           contradicted: row["contradicted"], recordedAt: row["recordedAt"])
    }
}
