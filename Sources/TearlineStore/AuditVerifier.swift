import Crypto
import Foundation
import GRDB
import GRDBSQLite

/// The outcome of checking the audit log.
public struct AuditVerification: Sendable {
    /// Entries present in the log.
    public var entries: Int64 = 0
    /// Fixed checkpoints checked.
    public var checkpoints: Int = 0
    /// The signed head, when present.
    public var head: AuditCheckpoint?
    /// Witnessed heads checked: the partners' (recorded at each exchange) and those given in files.
    public var witnesses: Int = 0
    /// The first sequence number that is missing, altered, out of place or unsigned.
    public var firstBad: Int64?
    /// What is wrong there, for a person.
    public var problem: String?

    public var isIntact: Bool { firstBad == nil && problem == nil }

    mutating func report(_ seq: Int64, _ text: String) {
        if firstBad == nil || seq < firstBad! {
            firstBad = seq
            problem = text
        }
    }
}

public enum AuditVerifierError: Error, CustomStringConvertible {
    case badPublicKey
    case noDatabase(String)
    case cannotRead(String)

    public var description: String {
        switch self {
        case .badPublicKey: "the public key must be 32 bytes of Ed25519 key in base64"
        case .noDatabase(let path): "no database at \(path)"
        case .cannotRead(let message): "cannot read the audit log: \(message)"
        }
    }
}

/// Checks the audit log of a database file: every entry's hash, every link, contiguous sequence
/// numbers from 1, every checkpoint signature and the signed head. Reads the file without
/// writing, and in parallel over ranges of the log.
public enum AuditVerifier {
    /// Verifies with the node key derived from the master key file.
    public static func verify(databaseAt path: String, masterKey: MasterKey, witnesses: [WitnessedHead] = []) throws -> AuditVerification {
        try verify(databaseAt: path, publicKey: masterKey.auditSigningKey.publicKey, witnesses: witnesses)
    }

    /// Verifies with a node public key given as base64 (`tearline audit key` prints it), on a
    /// machine that does not hold the master key.
    public static func verify(databaseAt path: String, publicKeyBase64: String, witnesses: [WitnessedHead] = []) throws -> AuditVerification {
        guard let raw = Data(base64Encoded: publicKeyBase64),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { throw AuditVerifierError.badPublicKey }
        return try verify(databaseAt: path, publicKey: key, witnesses: witnesses)
    }

    /// The node's audit public key, base64, for verifiers elsewhere.
    public static func publicKeyBase64(masterKey: MasterKey) -> String {
        masterKey.auditSigningKey.publicKey.rawRepresentation.base64EncodedString()
    }

    /// Verifies the chain, and that it still holds every head a partner witnessed (recorded in the
    /// database) and every head in `witnesses` (from files written by `tearline audit head`).
    public static func verify(databaseAt path: String, publicKey: Curve25519.Signing.PublicKey,
                              witnesses: [WitnessedHead] = []) throws -> AuditVerification {
        guard FileManager.default.fileExists(atPath: path) else { throw AuditVerifierError.noDatabase(path) }
        var configuration = Configuration()
        configuration.readonly = true
        let pool = try DatabasePool(path: path, configuration: configuration)
        var result = try verify(pool, publicKey: publicKey)
        try pool.read { db in
            let heads = try recordedWitnesses(db) + witnesses
            try checkWitnesses(heads, publicKey: publicKey, hashAt: { seq in
                try Data.fetchOne(db, sql: "SELECT hash FROM auditEvent WHERE seq = ?", arguments: [seq])
            }, into: &result)
        }
        return result
    }

    static func verify(_ pool: DatabasePool, publicKey: Curve25519.Signing.PublicKey) throws -> AuditVerification {
        let shape = try pool.read { db in
            // min and max of the rowid are two index look-ups; the scan counts the entries.
            let row = try Row.fetchOne(db, sql: "SELECT min(seq), max(seq) FROM auditEvent")!
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash, at, signature FROM auditHead WHERE id = 1").map {
                AuditCheckpoint(seq: $0[0], hash: $0[1], at: $0[2], signature: $0[3])
            }
            let checkpoints = try Row.fetchAll(db, sql: "SELECT seq, hash, at, signature FROM auditCheckpoint ORDER BY seq").map {
                AuditCheckpoint(seq: $0[0], hash: $0[1], at: $0[2], signature: $0[3])
            }
            return LogShape(minSeq: row[0], maxSeq: row[1], head: head, checkpoints: checkpoints)
        }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        return try judge(shape, publicKey: publicKey, workers: workers, scan: { ranges in
            let outcomes = Slots<ScanOutcome>(count: ranges.count)
            DispatchQueue.concurrentPerform(iterations: ranges.count) { i in
                let outcome: ScanOutcome
                do {
                    outcome = try scan(path: pool.path, range: ranges[i])
                } catch {
                    outcome = ScanOutcome(firstBad: ranges[i].lowerBound, problem: "cannot read entries: \(error)", hashes: [:])
                }
                outcomes.set(i, outcome)
            }
            return outcomes.all
        }, count: { try pool.read { db in try Int64.fetchOne(db, sql: "SELECT count(*) FROM auditEvent") ?? 0 } })
    }

    /// What a verification reads first: the bounds of the log, its signed head and checkpoints.
    struct LogShape {
        var minSeq: Int64?
        var maxSeq: Int64?
        var head: AuditCheckpoint?
        var checkpoints: [AuditCheckpoint]
    }

    /// The judgement, whatever the database: `scan` checks the chain over ranges of entries (each
    /// from the stored hash of the entry before it), `count` counts the entries for the report.
    static func judge(_ shape: LogShape, publicKey: Curve25519.Signing.PublicKey, workers: Int,
                      scan: ([ClosedRange<Int64>]) throws -> [ScanOutcome], count: () throws -> Int64) throws -> AuditVerification {
        var result = AuditVerification()
        let (minSeq, maxSeq, head, checkpoints) = (shape.minSeq, shape.maxSeq, shape.head, shape.checkpoints)
        result.head = head
        result.checkpoints = checkpoints.count
        let last = maxSeq ?? 0
        if let minSeq, minSeq != 1 { result.report(1, "entries 1…\(minSeq - 1) are missing") }

        guard last > 0 else {
            if head != nil || !checkpoints.isEmpty { result.report(1, "the log is empty but the node signed entries: they were removed") }
            return result
        }

        // The chain, in ranges; each range starts from the stored hash of the entry before it, so
        // a link broken across a range boundary is caught there.
        var hashes: [Int64: Data] = [:]
        for outcome in try scan(split(1...last, into: workers)) {
            if let bad = outcome.firstBad { result.report(bad, outcome.problem ?? "bad entry") }
            result.entries += outcome.rows
            hashes.merge(outcome.hashes) { a, _ in a }
        }
        if result.firstBad != nil {
            // A scan stops at the first bad entry; count the rest for the report.
            result.entries = try count()
        }
        // Entries before this one hash and link correctly.
        let chainGoodUpTo = (result.firstBad ?? last + 1) - 1

        // Checkpoints: one at every interval, each signed by this node and matching its entry.
        let interval = AuditChain.checkpointInterval
        for checkpoint in checkpoints where checkpoint.seq > last {
            if checkpoint.isValid(for: publicKey) {
                result.report(last + 1, "the log ends at entry \(last) but a signed checkpoint names entry \(checkpoint.seq): entries were cut off")
            } else {
                result.report(last + 1, "a checkpoint beyond the log's end is not signed by this node")
            }
        }
        let bySeq = Dictionary(checkpoints.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })
        let signedSeqs = validSignatures(checkpoints, publicKey: publicKey)
        var goodUpTo: Int64 = 0
        var k = interval
        while k <= chainGoodUpTo {
            guard let checkpoint = bySeq[k] else {
                result.report(k, "the signed checkpoint at entry \(k) is missing")
                break
            }
            guard signedSeqs.contains(checkpoint.seq) else {
                result.report(goodUpTo + 1, "the checkpoint at entry \(k) is not signed by this node")
                break
            }
            guard hashes[k] == checkpoint.hash else {
                result.report(goodUpTo + 1, "entries \(goodUpTo + 1)…\(k) do not match the signed checkpoint at \(k): the chain was rewritten")
                break
            }
            goodUpTo = k
            k += interval
        }

        // The head: signed, and naming exactly the last entry.
        if let head {
            if !head.isValid(for: publicKey) {
                result.report(goodUpTo + 1, "the audit head is not signed by this node")
            } else if head.seq > last {
                result.report(last + 1, "the signed head names entry \(head.seq) but the log ends at \(last): entries were cut off")
            } else if head.seq < last {
                result.report(head.seq + 1, "entries after \(head.seq) are not covered by the signed head")
            } else if chainGoodUpTo == last, hashes[last] != head.hash {
                result.report(goodUpTo + 1, "entries \(goodUpTo + 1)…\(last) do not match the signed head: the chain was rewritten")
            }
        } else {
            result.report(goodUpTo + 1, "the signed audit head is missing")
        }
        return result
    }

    /// The sequence numbers of the checkpoints whose signature verifies, checked on every core.
    private static func validSignatures(_ checkpoints: [AuditCheckpoint], publicKey: Curve25519.Signing.PublicKey) -> Set<Int64> {
        let raw = publicKey.rawRepresentation
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let chunk = max(1, (checkpoints.count + workers - 1) / workers)
        let results = Slots<[Int64]>(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return }
            let slice = checkpoints.dropFirst(w * chunk).prefix(chunk)
            results.set(w, slice.filter { $0.isValid(for: key) }.map(\.seq))
        }
        return Set(results.all.joined())
    }

    private static func split(_ range: ClosedRange<Int64>, into parts: Int) -> [ClosedRange<Int64>] {
        let total = range.upperBound - range.lowerBound + 1
        let size = max(Int64(1), (total + Int64(parts) - 1) / Int64(parts))
        return stride(from: range.lowerBound, through: range.upperBound, by: Int(size)).map { start in
            start...min(start + size - 1, range.upperBound)
        }
    }

    struct ScanOutcome: Sendable {
        var firstBad: Int64?
        var problem: String?
        /// Hashes at checkpoint positions, and at the range's end.
        var hashes: [Int64: Data]
        /// Entries read.
        var rows: Int64 = 0
    }

    /// One result slot per parallel worker.
    final class Slots<T: Sendable>: @unchecked Sendable {
        // why @unchecked: `storage` is guarded by `lock`.
        private var storage: [T?]
        private let lock = NSLock()
        init(count: Int) { storage = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ value: T) { lock.withLock { storage[i] = value } }
        var all: [T] { lock.withLock { storage.compactMap { $0 } } }
    }

    /// Checks one range of entries with the SQLite C API: no row objects, no strings.
    /// Checks one range of entries with the SQLite C API on a connection of its own, opened
    /// read-only and without SQLite's per-call mutex (one thread uses it): no row objects, no strings.
    static func scan(path: String, range: ClosedRange<Int64>) throws -> ScanOutcome {
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
            defer { sqlite3_close_v2(connection) }
            throw AuditVerifierError.cannotRead(connection.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory")
        }
        defer { sqlite3_close_v2(connection) }
        func fail() -> AuditVerifierError { .cannotRead(String(cString: sqlite3_errmsg(connection))) }
        sqlite3_busy_timeout(connection, 10_000)
        _ = sqlite3_exec(connection, "PRAGMA mmap_size = 4294967296", nil, nil, nil)
        // One snapshot for both statements.
        guard sqlite3_exec(connection, "BEGIN", nil, nil, nil) == SQLITE_OK else { throw fail() }
        defer { _ = sqlite3_exec(connection, "COMMIT", nil, nil, nil) }

        var outcome = ScanOutcome(hashes: [:])
        var previousHash = [UInt8](AuditChain.genesis)
        if range.lowerBound > 1 {
            var lookup: OpaquePointer?
            guard sqlite3_prepare_v2(connection, "SELECT hash FROM auditEvent WHERE seq = ?", -1, &lookup, nil) == SQLITE_OK else { throw fail() }
            defer { sqlite3_finalize(lookup) }
            sqlite3_bind_int64(lookup, 1, range.lowerBound - 1)
            previousHash = [UInt8](repeating: 0xFF, count: 32)
            if sqlite3_step(lookup) == SQLITE_ROW, sqlite3_column_bytes(lookup, 0) == 32, let blob = sqlite3_column_blob(lookup, 0) {
                previousHash = [UInt8](UnsafeRawBufferPointer(start: blob, count: 32))
            }
        }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, """
            SELECT seq, at, actor, organization, concerns, action, object, decision, reasons, detail, prevHash, hash
            FROM auditEvent WHERE seq BETWEEN ? AND ? ORDER BY seq
            """, -1, &statement, nil) == SQLITE_OK else { throw fail() }
        defer { sqlite3_finalize(statement) }
        sqlite3_bind_int64(statement, 1, range.lowerBound)
        sqlite3_bind_int64(statement, 2, range.upperBound)
        let handle = statement
        var expected = range.lowerBound
        var buffer = ByteWriter()
        while true {
            let step = sqlite3_step(handle)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw fail() }
            let seq = sqlite3_column_int64(handle, 0)
            outcome.rows += 1
            if seq != expected {
                outcome.firstBad = expected
                outcome.problem = seq > expected ? "entry \(expected) is missing" : "entry \(seq) is out of order"
                return outcome
            }
            buffer.reset()
            buffer.write(AuditChain.versionTag)
            buffer.write(UInt64(bitPattern: seq))
            buffer.write(UInt64(bitPattern: sqlite3_column_int64(handle, 1)))
            for column in Int32(2)...Int32(7) { appendText(handle, column, &buffer) }
            appendReasons(handle, 8, &buffer)
            appendText(handle, 9, &buffer)
            // The stored link must be the previous entry's hash.
            guard blobEquals(handle, 10, previousHash) else {
                outcome.firstBad = seq
                outcome.problem = "entry \(seq) does not link to entry \(seq - 1): an entry was removed, inserted or moved"
                return outcome
            }
            buffer.write(previousHash)
            let digest = buffer.withBytes { SHA256.hash(data: $0) }
            // why no arrays here: this loop runs a million times a second; it allocates nothing.
            let matches = digest.withUnsafeBytes { bytes in
                guard blobEquals(handle, 11, bytes) else { return false }
                previousHash.withUnsafeMutableBytes { $0.copyMemory(from: bytes) }
                return true
            }
            guard matches else {
                outcome.firstBad = seq
                outcome.problem = "entry \(seq) was altered: its hash does not match its content"
                return outcome
            }
            if seq % AuditChain.checkpointInterval == 0 { outcome.hashes[seq] = Data(previousHash) }
            expected += 1
        }
        guard expected == range.upperBound + 1 else {
            outcome.firstBad = expected
            outcome.problem = "entry \(expected) is missing"
            return outcome
        }
        outcome.hashes[range.upperBound] = Data(previousHash)
        return outcome
    }

    private static func appendText(_ handle: OpaquePointer?, _ column: Int32, _ buffer: inout ByteWriter) {
        // sqlite3_column_text gives NULL for a NULL column, and a pointer to "" for an empty one.
        guard let text = sqlite3_column_text(handle, column) else {
            buffer.write(UInt32.max)
            return
        }
        let count = Int(sqlite3_column_bytes(handle, column))
        buffer.write(UInt32(count))
        buffer.write(text, count)
    }

    /// Reasons are stored comma-joined (codes hold no comma) and hashed as a counted list.
    private static func appendReasons(_ handle: OpaquePointer?, _ column: Int32, _ buffer: inout ByteWriter) {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let text = sqlite3_column_text(handle, column) else {
            buffer.write(UInt32(0))
            return
        }
        let bytes = UnsafeBufferPointer(start: text, count: count)
        buffer.write(UInt32(bytes.count { $0 == UInt8(ascii: ",") } + 1))
        var start = 0
        for i in 0...count where i == count || bytes[i] == UInt8(ascii: ",") {
            buffer.write(UInt32(i - start))
            buffer.write(text + start, i - start)
            start = i + 1
        }
    }

    private static func blobEquals(_ handle: OpaquePointer?, _ column: Int32, _ expected: [UInt8]) -> Bool {
        expected.withUnsafeBytes { blobEquals(handle, column, $0) }
    }

    private static func blobEquals(_ handle: OpaquePointer?, _ column: Int32, _ expected: UnsafeRawBufferPointer) -> Bool {
        guard sqlite3_column_type(handle, column) == SQLITE_BLOB, Int(sqlite3_column_bytes(handle, column)) == expected.count,
              let blob = sqlite3_column_blob(handle, column) else { return false }
        return memcmp(expected.baseAddress!, blob, expected.count) == 0
    }
}
