import Crypto
import Foundation

extension AuditVerifier {
    /// Verifies the audit log of a PostgreSQL database, as ``verify(databaseAt:publicKey:)``
    /// does a file's: every entry's hash and link, contiguous sequence numbers, the signed
    /// checkpoints and head. Reads one repeatable-read snapshot and writes nothing.
    public static func verify(postgres url: PostgresURL, publicKey: Curve25519.Signing.PublicKey,
                              witnesses: [WitnessedHead] = []) async throws -> AuditVerification {
        let database = PostgresDatabase(url: url, connections: 1)
        defer { database.shutdown() }
        // why raw bytes: swift-crypto's key is not Sendable; the body runs on a pool thread.
        let rawKey = publicKey.rawRepresentation
        do {
            return try await database.transaction(readOnly: true) { link in
                guard try link.row("SELECT to_regclass('auditevent') IS NOT NULL AS present").map({ try $0.bool("present") }) == true else {
                    throw AuditVerifierError.noDatabase(url.description + " (no Tearline schema)")
                }
                let bounds = try link.row("SELECT min(seq) AS low, max(seq) AS high FROM auditEvent")
                let head = try link.row("SELECT seq, hash, at, signature FROM auditHead WHERE id = 1").map(checkpoint(from:))
                let checkpoints = try link.rows("SELECT seq, hash, at, signature FROM auditCheckpoint ORDER BY seq").map(checkpoint(from:))
                let shape = LogShape(minSeq: try bounds?.optionalInt("low"), maxSeq: try bounds?.optionalInt("high"), head: head,
                                     checkpoints: checkpoints)
                let key = try Curve25519.Signing.PublicKey(rawRepresentation: rawKey)
                var result = try judge(shape, publicKey: key, workers: 1, scan: { ranges in
                    try ranges.map { try scan(link, range: $0) }
                }, count: {
                    try link.row("SELECT count(*) AS n FROM auditEvent").map { try $0.int("n") } ?? 0
                })
                var recorded: [WitnessedHead] = []
                if try link.row("SELECT to_regclass('auditwitness') IS NOT NULL AS present").map({ try $0.bool("present") }) == true {
                    recorded = try link.rows("SELECT peer, seq, hash FROM auditWitness WHERE direction = 'ours' ORDER BY peer").map {
                        WitnessedHead(source: "partner " + (try $0.string("peer")), seq: try $0.int("seq"), hash: try $0.data("hash"))
                    }
                }
                try checkWitnesses(recorded + witnesses, publicKey: key, hashAt: { seq in
                    try link.row("SELECT hash FROM auditEvent WHERE seq = ?", [.int(seq)]).map { try $0.data("hash") }
                }, into: &result)
                return result
            }
        } catch let error as AuditVerifierError {
            throw error
        } catch {
            throw AuditVerifierError.cannotRead("\(StoreError.translatingPostgres(error))")
        }
    }

    /// Verifies with the node key derived from the master key file.
    public static func verify(postgres url: PostgresURL, masterKey: MasterKey, witnesses: [WitnessedHead] = []) async throws -> AuditVerification {
        try await verify(postgres: url, publicKey: masterKey.auditSigningKey.publicKey, witnesses: witnesses)
    }

    /// Verifies with a node public key given as base64 (`tearline audit key` prints it).
    public static func verify(postgres url: PostgresURL, publicKeyBase64: String, witnesses: [WitnessedHead] = []) async throws -> AuditVerification {
        guard let raw = Data(base64Encoded: publicKeyBase64),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { throw AuditVerifierError.badPublicKey }
        return try await verify(postgres: url, publicKey: key, witnesses: witnesses)
    }

    private static func checkpoint(from row: PGRow) throws -> AuditCheckpoint {
        AuditCheckpoint(seq: try row.int("seq"), hash: try row.data("hash"), at: try row.int("at"), signature: try row.data("signature"))
    }

    /// Checks one range of entries, a page at a time.
    private static func scan(_ link: PostgresLink, range: ClosedRange<Int64>) throws -> ScanOutcome {
        var outcome = ScanOutcome(hashes: [:])
        var previousHash = AuditChain.genesis
        if range.lowerBound > 1 {
            previousHash = try link.row("SELECT hash FROM auditEvent WHERE seq = ?", [.int(range.lowerBound - 1)])
                .flatMap { try $0.optionalData("hash") } ?? Data(repeating: 0xFF, count: 32)
        }
        var expected = range.lowerBound
        let page: Int64 = 20_000
        while expected <= range.upperBound {
            let rows = try link.rows("""
                SELECT seq, at, actor, organization, concerns, action, object, decision, reasons, detail, prevHash, hash
                FROM auditEvent WHERE seq BETWEEN ? AND ? ORDER BY seq
                """, [.int(expected), .int(min(range.upperBound, expected + page - 1))])
            if rows.isEmpty { break }
            for row in rows {
                let record = try PostgresSession.auditRecord(from: row)
                let seq = record.seq ?? 0
                outcome.rows += 1
                if seq != expected {
                    outcome.firstBad = expected
                    outcome.problem = seq > expected ? "entry \(expected) is missing" : "entry \(seq) is out of order"
                    return outcome
                }
                guard try row.optionalData("prevHash") == previousHash else {
                    outcome.firstBad = seq
                    outcome.problem = "entry \(seq) does not link to entry \(seq - 1): an entry was removed, inserted or moved"
                    return outcome
                }
                let hash = AuditChain.hash(record, seq: seq, previous: previousHash)
                guard record.hash == hash else {
                    outcome.firstBad = seq
                    outcome.problem = "entry \(seq) was altered: its hash does not match its content"
                    return outcome
                }
                previousHash = hash
                if seq % AuditChain.checkpointInterval == 0 { outcome.hashes[seq] = hash }
                expected += 1
            }
        }
        guard expected == range.upperBound + 1 else {
            outcome.firstBad = expected
            outcome.problem = "entry \(expected) is missing"
            return outcome
        }
        outcome.hashes[range.upperBound] = previousHash
        return outcome
    }
}
