import Crypto
import Foundation
import GRDB
import TearlineCore
import TearlineStore
import Testing

/// Builders and raw-file helpers for the audit chain tests.
enum ChainFixture {
    /// The triggers that make the audit tables append-only (see MigrationV2.swift).
    static let triggers = [
        "auditEvent_append_only_update", "auditEvent_append_only_delete",
        "auditCheckpoint_append_only_update", "auditCheckpoint_append_only_delete",
        "auditHead_no_delete", "auditHead_forward_only",
    ]

    /// Entry `i` of a test log: every field set, so that an edit of any one of them is an edit.
    static func record(_ i: Int) -> AuditRecord {
        AuditRecord(
            at: 1_700_000_000_000 + Int64(i), actor: "m-\(i % 7)", organization: "USA",
            concerns: i.isMultiple(of: 3) ? "GBR" : "DEU", actionName: "report.read", object: "r-\(i)",
            decision: i.isMultiple(of: 2) ? "allow" : "deny", reasons: ["need-to-know", "clearance"],
            detail: "withheld=\(i % 5)")
    }

    /// Appends `count` entries (numbered from 1) through write transactions of varied sizes.
    static func fill(_ store: SQLiteStore, count: Int, batch: Int = 700) async throws {
        var next = 1
        while next <= count {
            let range = next...min(count, next + batch - 1)
            try await store.write { s in
                for i in range { try s.appendAudit(record(i)) }
            }
            next = range.upperBound + 1
        }
    }

    /// Runs `body` on the raw file after dropping the append-only triggers, as an attacker with
    /// write access to the file would.
    static func tamper<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
        try withRawDatabase(path) { db in
            for trigger in triggers { try db.execute(sql: "DROP TRIGGER \(trigger)") }
            return try body(db)
        }
    }

    static func verify(_ store: SQLiteStore, _ path: String) throws -> AuditVerification {
        try AuditVerifier.verify(databaseAt: path, publicKey: store.auditPublicKey)
    }

    /// A stored row as the record it was hashed from.
    static func record(from row: Row) -> AuditRecord {
        let reasons: String = row["reasons"]
        return AuditRecord(
            at: row["at"], actor: row["actor"], organization: row["organization"], concerns: row["concerns"],
            actionName: row["action"], object: row["object"], decision: row["decision"],
            reasons: reasons.isEmpty ? [] : reasons.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
            detail: row["detail"])
    }

    static func count(_ db: Database, _ table: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1
    }

    /// The number of entries in a tamper test: two checkpoints (1024, 2048) and 52 entries after the last.
    static let n = 2100
}

@Suite struct AuditChainTests {
    // MARK: - An intact log

    @Test func anIntactLogOfWritesAndGroupCommittedReadsVerifies() async throws {
        try await withSQLiteFile { store, path in
            // Write transactions of varied sizes: one entry, many entries, a checkpoint crossed mid-transaction.
            var next = 1
            for size in [1, 2, 97, 1000, 400] {
                let range = next..<(next + size)
                try await store.write { s in for i in range { try s.appendAudit(ChainFixture.record(i)) } }
                next += size
            }
            #expect(next == 1501)
            // Read transactions, committed by the group commit, concurrently: 250 reads of 3 entries each.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for r in 0..<250 {
                    let first = 1501 + 3 * r
                    group.addTask {
                        try await store.read { s in for i in first..<(first + 3) { try s.appendAudit(ChainFixture.record(i)) } }
                    }
                }
                try await group.waitForAll()
            }
            // And more writes interleaved with more reads to reach 3000.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for r in 0..<50 {
                    let first = 2251 + 15 * r
                    group.addTask {
                        if r.isMultiple(of: 2) {
                            try await store.write { s in for i in first..<(first + 15) { try s.appendAudit(ChainFixture.record(i)) } }
                        } else {
                            try await store.read { s in for i in first..<(first + 15) { try s.appendAudit(ChainFixture.record(i)) } }
                        }
                    }
                }
                try await group.waitForAll()
            }

            let result = try ChainFixture.verify(store, path)
            #expect(result.isIntact, "\(result.problem ?? "")")
            #expect(result.firstBad == nil)
            #expect(result.problem == nil)
            #expect(result.entries == 3000)
            #expect(result.checkpoints == 2)
            #expect(result.head?.seq == 3000)

            // The raw columns, checked independently of the verifier.
            let (rows, checkpoints) = try withRawDatabase(path) { db in
                (try Row.fetchAll(db, sql: "SELECT * FROM auditEvent ORDER BY seq"),
                 try Row.fetchAll(db, sql: "SELECT seq, hash FROM auditCheckpoint ORDER BY seq"))
            }
            #expect(rows.map { $0["seq"] as Int64 } == Array(1...3000))
            var previous = AuditChain.genesis
            var hashes: [Int64: Data] = [:]
            var broken: [Int64] = []
            for row in rows {
                let seq: Int64 = row["seq"]
                let prevHash: Data? = row["prevHash"]
                let hash: Data? = row["hash"]
                if prevHash != previous || hash != AuditChain.hash(ChainFixture.record(from: row), seq: seq, previous: previous) {
                    broken.append(seq)
                }
                previous = hash ?? Data()
                hashes[seq] = hash
            }
            #expect(broken.isEmpty, "entries whose link or hash is wrong: \(broken.prefix(10))")
            #expect(checkpoints.map { $0["seq"] as Int64 } == [1024, 2048])
            #expect(checkpoints.allSatisfy { hashes[$0["seq"]] == $0["hash"] }, "each checkpoint names its entry's hash")
            #expect(result.head?.hash == hashes[3000])
            // Every record went in exactly once, whichever path it took.
            let objects = rows.map { $0["object"] as String }
            #expect(Set(objects) == Set((1...3000).map { "r-\($0)" }))
        }
    }

    @Test func anEmptyLogVerifies() async throws {
        try await withSQLiteFile { store, path in
            try await store.seedWorld()
            let result = try ChainFixture.verify(store, path)
            #expect(result.isIntact)
            #expect(result.entries == 0)
            #expect(result.checkpoints == 0)
            #expect(result.head == nil)
        }
    }

    @Test func aShortLogWithoutCheckpointsVerifies() async throws {
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: 3, batch: 2)
            let result = try ChainFixture.verify(store, path)
            #expect(result.isIntact, "\(result.problem ?? "")")
            #expect(result.entries == 3)
            #expect(result.checkpoints == 0)
            #expect(result.head?.seq == 3)
        }
    }

    // MARK: - The triggers

    @Test func rawUpdatesAndDeletesOfEntriesAreRefusedAndChangeNothing() async throws {
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: 10)
            try withRawDatabase(path) { db in
                let before = try Row.fetchAll(db, sql: "SELECT * FROM auditEvent ORDER BY seq")
                for sql in [
                    "UPDATE auditEvent SET action = 'forged' WHERE seq = 5",
                    "UPDATE auditEvent SET seq = 100 WHERE seq = 10",
                    "UPDATE auditEvent SET hash = NULL",
                    "DELETE FROM auditEvent WHERE seq = 5",
                    "DELETE FROM auditEvent WHERE seq = 10",
                    "DELETE FROM auditEvent",
                ] {
                    let error = #expect(throws: DatabaseError.self, "\(sql)") { try db.execute(sql: sql) }
                    #expect(error?.resultCode == .SQLITE_CONSTRAINT, "\(sql)")
                    #expect(error?.message?.contains("append-only") == true, "\(sql): \(error?.message ?? "")")
                }
                #expect(try Row.fetchAll(db, sql: "SELECT * FROM auditEvent ORDER BY seq") == before)
                #expect(before.count == 10)
            }
            #expect(try ChainFixture.verify(store, path).isIntact)
        }
    }

    @Test func rawUpdatesAndDeletesOfCheckpointsAreRefusedAndChangeNothing() async throws {
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: 1030)
            try withRawDatabase(path) { db in
                let before = try Row.fetchAll(db, sql: "SELECT * FROM auditCheckpoint ORDER BY seq")
                #expect(before.count == 1)
                for sql in [
                    "UPDATE auditCheckpoint SET hash = zeroblob(32) WHERE seq = 1024",
                    "UPDATE auditCheckpoint SET seq = 2048",
                    "DELETE FROM auditCheckpoint WHERE seq = 1024",
                    "DELETE FROM auditCheckpoint",
                ] {
                    let error = #expect(throws: DatabaseError.self, "\(sql)") { try db.execute(sql: sql) }
                    #expect(error?.resultCode == .SQLITE_CONSTRAINT, "\(sql)")
                    #expect(error?.message?.contains("append-only") == true, "\(sql): \(error?.message ?? "")")
                }
                #expect(try Row.fetchAll(db, sql: "SELECT * FROM auditCheckpoint ORDER BY seq") == before)
            }
            #expect(try ChainFixture.verify(store, path).isIntact)
        }
    }

    @Test func theHeadIsNeverDeletedNorMovedBackward() async throws {
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: 10)
            try withRawDatabase(path) { db in
                let before = try Row.fetchAll(db, sql: "SELECT * FROM auditHead")
                #expect(before.count == 1)
                let deletion = #expect(throws: DatabaseError.self) { try db.execute(sql: "DELETE FROM auditHead") }
                #expect(deletion?.resultCode == .SQLITE_CONSTRAINT)
                #expect(deletion?.message?.contains("never deleted") == true, "\(deletion?.message ?? "")")
                for sql in ["UPDATE auditHead SET seq = seq - 1", "UPDATE auditHead SET seq = 0, hash = zeroblob(32)"] {
                    let backward = #expect(throws: DatabaseError.self, "\(sql)") { try db.execute(sql: sql) }
                    #expect(backward?.resultCode == .SQLITE_CONSTRAINT, "\(sql)")
                    #expect(backward?.message?.contains("only moves forward") == true, "\(sql): \(backward?.message ?? "")")
                }
                #expect(try Row.fetchAll(db, sql: "SELECT * FROM auditHead") == before)
            }
            #expect(try ChainFixture.verify(store, path).isIntact)
        }
    }

    @Test func theTriggersAreSpecificAppendsStillWork() async throws {
        // The control for the trigger tests: the store keeps appending (insert into auditEvent and
        // auditCheckpoint, forward update of auditHead) with the triggers in place.
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: 1020)
            try await store.read { s in for i in 1021...1030 { try s.appendAudit(ChainFixture.record(i)) } }
            let result = try ChainFixture.verify(store, path)
            #expect(result.isIntact)
            #expect(result.head?.seq == 1030)
            #expect(result.checkpoints == 1)
            let triggers = try withRawDatabase(path) { db in
                Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            }
            #expect(triggers == Set(ChainFixture.triggers))
        }
    }

    // MARK: - Controls for the tamper tests

    @Test func droppingTheTriggersAloneOrRewritingAFieldToItsOwnValueStillVerifies() async throws {
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: ChainFixture.n)
            try ChainFixture.tamper(path) { _ in }
            let untouched = try ChainFixture.verify(store, path)
            #expect(untouched.isIntact, "\(untouched.problem ?? "")")
            #expect(untouched.entries == Int64(ChainFixture.n))
            #expect(untouched.checkpoints == 2)

            // A write that leaves the content as it was is not an edit.
            try withRawDatabase(path) { db in
                try db.execute(sql: "UPDATE auditEvent SET action = action, at = at, reasons = reasons WHERE seq = 1500")
                #expect(db.changesCount == 1)
                // An edit undone is not an edit either: the check is over content, not over touches.
                try db.execute(sql: "UPDATE auditEvent SET actor = 'm-evil' WHERE seq = 1501")
                try db.execute(sql: "UPDATE auditEvent SET actor = ? WHERE seq = 1501", arguments: [ChainFixture.record(1501).actor])
            }
            let rewritten = try ChainFixture.verify(store, path)
            #expect(rewritten.isIntact, "\(rewritten.problem ?? "")")
        }
    }

    // MARK: - Tampering

    /// One edit of one column of one entry, in SQL.
    enum Edit: String, CaseIterable, CustomTestStringConvertible {
        case action, actor, actorToNull, organization, concerns, object, decision, reasons, reasonsReordered, detail, detailToNull, at
        case prevHash, hash

        var sql: String {
            switch self {
            case .action: "action = 'report.forged'"
            case .actor: "actor = 'm-evil'"
            case .actorToNull: "actor = NULL"
            case .organization: "organization = 'GBR'"
            case .concerns: "concerns = 'ISR'"
            case .object: "object = 'r-other'"
            case .decision: "decision = CASE decision WHEN 'allow' THEN 'deny' ELSE 'allow' END"
            case .reasons: "reasons = 'need-to-know'"
            case .reasonsReordered: "reasons = 'clearance,need-to-know'"
            case .detail: "detail = 'withheld=99'"
            case .detailToNull: "detail = NULL"
            case .at: "at = at + 1"
            case .prevHash: "prevHash = randomblob(32)"  // not zeroblob: entry 1 links to the all-zero genesis
            case .hash: "hash = randomblob(32)"
            }
        }

        var testDescription: String { rawValue }
    }

    @Test(arguments: Edit.allCases, [1, 1024, 1050, 1051, 1500, 2100])
    func anEditedEntryIsTheFirstBad(edit: Edit, k: Int) async throws {
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: ChainFixture.n)
            try ChainFixture.tamper(path) { db in
                try db.execute(sql: "UPDATE auditEvent SET \(edit.sql) WHERE seq = ?", arguments: [k])
                #expect(db.changesCount == 1)
            }
            let result = try ChainFixture.verify(store, path)
            #expect(!result.isIntact)
            #expect(result.firstBad == Int64(k), "\(result.problem ?? "")")
            #expect(result.entries == Int64(ChainFixture.n))
        }
    }

    @Test(arguments: [1, 2, 700, 1023, 1024, 1025, 1050, 1051, 1500, 2099])
    func aDeletedEntryIsTheFirstBad(k: Int) async throws {
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: ChainFixture.n)
            try ChainFixture.tamper(path) { db in
                try db.execute(sql: "DELETE FROM auditEvent WHERE seq = ?", arguments: [k])
                #expect(db.changesCount == 1)
            }
            let result = try ChainFixture.verify(store, path)
            #expect(!result.isIntact)
            #expect(result.firstBad == Int64(k), "\(result.problem ?? "")")
            #expect(result.entries == Int64(ChainFixture.n - 1))
        }
    }

    @Test(arguments: [1, 1023, 1024, 1050, 1500, 2099])
    func twoSwappedEntriesAreFoundAtTheFirst(k: Int) async throws {
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: ChainFixture.n)
            try ChainFixture.tamper(path) { db in
                try db.execute(sql: "UPDATE auditEvent SET seq = -1 WHERE seq = ?", arguments: [k])
                try db.execute(sql: "UPDATE auditEvent SET seq = ? WHERE seq = ?", arguments: [k, k + 1])
                try db.execute(sql: "UPDATE auditEvent SET seq = ? WHERE seq = -1", arguments: [k + 1])
                let objects = try String.fetchAll(db, sql: "SELECT object FROM auditEvent WHERE seq IN (?, ?) ORDER BY seq", arguments: [k, k + 1])
                #expect(objects == ["r-\(k + 1)", "r-\(k)"], "the rows really were swapped")
            }
            let result = try ChainFixture.verify(store, path)
            #expect(!result.isIntact)
            #expect(result.firstBad == Int64(k), "\(result.problem ?? "")")
        }
    }

    @Test func cuttingOffTheLastEntriesIsFoundByTheHead() async throws {
        try await withSQLiteFile { store, path in
            let n = ChainFixture.n
            try await ChainFixture.fill(store, count: n)
            try ChainFixture.tamper(path) { db in
                try db.execute(sql: "DELETE FROM auditEvent WHERE seq > ?", arguments: [n - 5])
                #expect(db.changesCount == 5)
            }
            let result = try ChainFixture.verify(store, path)
            #expect(!result.isIntact)
            #expect(result.firstBad == Int64(n - 4), "\(result.problem ?? "")")
            #expect(result.entries == Int64(n - 5))
            #expect(result.head?.seq == Int64(n))
        }
    }

    @Test func cuttingOffTheLastEntriesAndTheHeadIsStillFound() async throws {
        try await withSQLiteFile { store, path in
            let n = ChainFixture.n
            try await ChainFixture.fill(store, count: n)
            try ChainFixture.tamper(path) { db in
                try db.execute(sql: "DELETE FROM auditEvent WHERE seq > ?", arguments: [n - 5])
                try db.execute(sql: "DELETE FROM auditHead")
                #expect(db.changesCount == 1)
            }
            let result = try ChainFixture.verify(store, path)
            #expect(!result.isIntact)
            #expect(result.head == nil)
            // Without the head, nothing says how long the log was: the verifier names the first entry
            // after the last signed checkpoint (2048), the first one no signature vouches for.
            #expect(result.firstBad == 2049, "\(result.problem ?? "")")
            #expect((result.firstBad ?? .max) <= Int64(n - 4))
            #expect(result.problem?.contains("head is missing") == true, "\(result.problem ?? "")")
        }
    }

    @Test func cuttingTheLogBackPastACheckpointIsFound() async throws {
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: ChainFixture.n)
            try ChainFixture.tamper(path) { db in
                try db.execute(sql: "DELETE FROM auditEvent WHERE seq > 1030")
                #expect(try ChainFixture.count(db, "auditCheckpoint") == 2)
            }
            let result = try ChainFixture.verify(store, path)
            #expect(!result.isIntact)
            #expect(result.firstBad == 1031, "\(result.problem ?? "")")
            #expect(result.entries == 1030)
        }
    }

    @Test func cuttingTheLogBackPastACheckpointAndRemovingTheHeadAndLaterCheckpointsIsFound() async throws {
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: ChainFixture.n)
            try ChainFixture.tamper(path) { db in
                try db.execute(sql: "DELETE FROM auditEvent WHERE seq > 1030")
                try db.execute(sql: "DELETE FROM auditCheckpoint WHERE seq > 1030")
                try db.execute(sql: "DELETE FROM auditHead")
            }
            let result = try ChainFixture.verify(store, path)
            #expect(!result.isIntact)
            #expect(result.firstBad == 1025, "the first entry after the last signed checkpoint: \(result.problem ?? "")")
        }
    }

    @Test(arguments: [Int64(1024), 2048])
    func aDeletedCheckpointIsFound(checkpoint: Int64) async throws {
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: ChainFixture.n)
            try ChainFixture.tamper(path) { db in
                try db.execute(sql: "DELETE FROM auditCheckpoint WHERE seq = ?", arguments: [checkpoint])
                #expect(db.changesCount == 1)
            }
            let result = try ChainFixture.verify(store, path)
            #expect(!result.isIntact)
            #expect(result.checkpoints == 1)
            #expect(result.firstBad == checkpoint, "\(result.problem ?? "")")
            #expect(result.problem?.contains("missing") == true, "\(result.problem ?? "")")
        }
    }

    @Test(arguments: [(Int64(1024), Int64(1)), (2048, 1025)])
    func aCheckpointWithABrokenSignatureIsFound(checkpoint: Int64, expected: Int64) async throws {
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: ChainFixture.n)
            try ChainFixture.tamper(path) { db in
                try db.execute(sql: "UPDATE auditCheckpoint SET at = at + 1 WHERE seq = ?", arguments: [checkpoint])
                #expect(db.changesCount == 1)
            }
            let result = try ChainFixture.verify(store, path)
            #expect(!result.isIntact)
            #expect(result.firstBad == expected, "\(result.problem ?? "")")
        }
    }

    /// Edits entry `k`, then recomputes every later link and hash so that the chain itself is consistent.
    static func rewriteChain(_ db: Database, from k: Int) throws {
        try db.execute(sql: "UPDATE auditEvent SET detail = 'rewritten' WHERE seq = ?", arguments: [k])
        var previous = try #require(try Data.fetchOne(db, sql: "SELECT prevHash FROM auditEvent WHERE seq = ?", arguments: [k]))
        for row in try Row.fetchAll(db, sql: "SELECT * FROM auditEvent WHERE seq >= ? ORDER BY seq", arguments: [k]) {
            let seq: Int64 = row["seq"]
            let hash = AuditChain.hash(ChainFixture.record(from: row), seq: seq, previous: previous)
            try db.execute(sql: "UPDATE auditEvent SET prevHash = ?, hash = ? WHERE seq = ?", arguments: [previous, hash, seq])
            previous = hash
        }
    }

    /// (k, the entry after the last checkpoint before k): a rewrite before the first checkpoint,
    /// between two checkpoints, and after the last one (caught by the head alone).
    @Test(arguments: [(10, Int64(1)), (1024, 1), (1025, 1025), (1500, 1025), (2048, 1025), (2070, 2049), (2100, 2049)])
    func aRewrittenConsistentChainIsFoundByTheSignatures(k: Int, expected: Int64) async throws {
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: ChainFixture.n)
            try ChainFixture.tamper(path) { db in try Self.rewriteChain(db, from: k) }
            // The chain alone is consistent: a rebuilt chain hides from a hash-only check.
            let rows = try withRawDatabase(path) { db in try Row.fetchAll(db, sql: "SELECT * FROM auditEvent ORDER BY seq") }
            var previous = AuditChain.genesis
            var consistent = true
            for row in rows {
                let hash = AuditChain.hash(ChainFixture.record(from: row), seq: row["seq"], previous: previous)
                if row["prevHash"] != previous || row["hash"] != hash { consistent = false }
                previous = hash
            }
            #expect(consistent, "the rewrite left a consistent chain")
            #expect((rows[k - 1]["detail"] as String?) == "rewritten")

            let result = try ChainFixture.verify(store, path)
            #expect(!result.isIntact)
            #expect(result.firstBad == expected, "\(result.problem ?? "")")
            #expect((result.firstBad ?? .max) <= Int64(k))
            #expect(result.problem?.contains("rewritten") == true, "\(result.problem ?? "")")
        }
    }

    @Test func aForgedEntryAppendedBehindTheHeadIsFound() async throws {
        try await withSQLiteFile { store, path in
            let n = ChainFixture.n
            try await ChainFixture.fill(store, count: n)
            // An append that chains correctly, but that the node never signed.
            try withRawDatabase(path) { db in
                let last = try #require(try Data.fetchOne(db, sql: "SELECT hash FROM auditEvent WHERE seq = ?", arguments: [n]))
                let forged = ChainFixture.record(n + 1)
                let hash = AuditChain.hash(forged, seq: Int64(n + 1), previous: last)
                try db.execute(sql: """
                    INSERT INTO auditEvent (seq, at, actor, organization, concerns, action, object, decision, reasons, detail, prevHash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [n + 1, forged.at, forged.actor, forged.organization, forged.concerns, forged.action, forged.object,
                                     forged.decision, forged.reasons.joined(separator: ","), forged.detail, last, hash])
            }
            let result = try ChainFixture.verify(store, path)
            #expect(!result.isIntact)
            #expect(result.firstBad == Int64(n + 1), "\(result.problem ?? "")")
        }
    }

    @Test func anotherNodesKeyDoesNotVerify() async throws {
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: ChainFixture.n)
            let other = MasterKey.random().auditSigningKey.publicKey
            #expect(other.rawRepresentation != store.auditPublicKey.rawRepresentation)
            let result = try AuditVerifier.verify(databaseAt: path, publicKey: other)
            #expect(!result.isIntact)
            #expect(result.firstBad == 1, "\(result.problem ?? "")")
            // And a short log, where only the head is signed.
            try await withSQLiteFile { small, smallPath in
                try await ChainFixture.fill(small, count: 5)
                let short = try AuditVerifier.verify(databaseAt: smallPath, publicKey: other)
                #expect(!short.isIntact)
                #expect(short.firstBad == 1, "\(short.problem ?? "")")
                #expect(try AuditVerifier.verify(databaseAt: smallPath, publicKey: small.auditPublicKey).isIntact)
            }
        }
    }

    @Test func aLogEmptiedUnderItsSignedHeadIsFound() async throws {
        // A short log: the head is the only signature.
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: 5)
            try ChainFixture.tamper(path) { db in try db.execute(sql: "DELETE FROM auditEvent") }
            let result = try ChainFixture.verify(store, path)
            #expect(!result.isIntact)
            #expect(result.entries == 0)
            #expect(result.head?.seq == 5)
            #expect(result.firstBad == 1, "\(result.problem ?? "")")
        }
        // A long log: the head and the checkpoints remain.
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: ChainFixture.n)
            try ChainFixture.tamper(path) { db in try db.execute(sql: "DELETE FROM auditEvent") }
            let result = try ChainFixture.verify(store, path)
            #expect(!result.isIntact)
            #expect(result.firstBad == 1, "\(result.problem ?? "")")
        }
        // Only the checkpoints remain.
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: ChainFixture.n)
            try ChainFixture.tamper(path) { db in
                try db.execute(sql: "DELETE FROM auditEvent")
                try db.execute(sql: "DELETE FROM auditHead")
            }
            let result = try ChainFixture.verify(store, path)
            #expect(!result.isIntact)
            #expect(result.firstBad == 1, "\(result.problem ?? "")")
        }
    }

    /// Reasons are stored comma-joined, so some lists cannot be told apart from others (an empty
    /// code, a code with a comma). The chain must hash what the row holds, or an honest entry
    /// would look altered.
    @Test(arguments: [([""], [String]()), (["code,with-comma"], ["code", "with-comma"])])
    func anHonestEntryWithReasonsTheColumnCannotHoldStillVerifies(reasons: [String], readBack: [String]) async throws {
        try await withSQLiteFile { store, path in
            var odd = ChainFixture.record(2)
            odd.reasons = reasons
            try await store.write { [odd] s in
                try s.appendAudit(ChainFixture.record(1))
                try s.appendAudit(odd)
                try s.appendAudit(ChainFixture.record(3))
            }
            let result = try ChainFixture.verify(store, path)
            #expect(result.isIntact, "an untouched log: \(result.problem ?? "")")
            #expect(result.firstBad == nil)
            let back = try await store.read { s in try s.auditEvents(AuditQuery(limit: 10)) }
            #expect(back.map(\.reasons) == [ChainFixture.record(1).reasons, readBack, ChainFixture.record(3).reasons])
            // And an edit of that entry is still caught.
            try ChainFixture.tamper(path) { db in try db.execute(sql: "UPDATE auditEvent SET reasons = 'other' WHERE seq = 2") }
            #expect(try ChainFixture.verify(store, path).firstBad == 2)
        }
    }

    @Test func reasonsWithAnEmptyCodeAmongOthersRoundTripAndVerify() async throws {
        // The control for the test above: lists the comma-joined column does represent.
        try await withSQLiteFile { store, path in
            for reasons in [[], ["a"], ["a", ""], ["", "b"], ["a", "b", "c"]] {
                var record = ChainFixture.record(1)
                record.reasons = reasons
                try await store.write { [record] s in try s.appendAudit(record) }
            }
            let result = try ChainFixture.verify(store, path)
            #expect(result.isIntact, "\(result.problem ?? "")")
            let back = try await store.read { s in try s.auditEvents(AuditQuery(limit: 10)) }
            #expect(back.map(\.reasons) == [[], ["a"], ["a", ""], ["", "b"], ["a", "b", "c"]])
        }
    }

    @Test func theStoreKeepsChainingAfterTheVerifierRan() async throws {
        // Verification reads the file only: the store appends afterwards as before, and a log
        // that grows past a checkpoint still verifies.
        try await withSQLiteFile { store, path in
            try await ChainFixture.fill(store, count: 1000)
            #expect(try ChainFixture.verify(store, path).isIntact)
            try await store.write { s in for i in 1001...1100 { try s.appendAudit(ChainFixture.record(i)) } }
            let result = try ChainFixture.verify(store, path)
            #expect(result.isIntact)
            #expect(result.checkpoints == 1)
            #expect(result.head?.seq == 1100)
        }
    }
}
