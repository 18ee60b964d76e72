import Foundation
import TearlineStore

/// The audit log's own speed: appending chained entries, and `audit verify` over a million of them.
enum AuditBenchmark {
    struct Figures {
        var entries: Int
        var appendPerSecond: Double
        var verifyPerSecond: Double
        var verifySeconds: Double
        var intact: Bool
    }

    static func run(entries: Int, directory: String) async throws -> Figures {
        let path = directory + "/audit-bench.db"
        let key = MasterKey.random()
        let store = try SQLiteStore(path: path, masterKey: key)
        let batch = 10_000
        let start = Date()
        var written = 0
        while written < entries {
            let base = written
            let count = min(batch, entries - written)
            try await store.write { s in
                for i in base..<(base + count) {
                    try s.appendAudit(AuditRecord(
                        at: 1_780_000_000_000 + Int64(i), actor: "mem_\(i % 500)", organization: i % 3 == 0 ? "GBR" : "USA",
                        concerns: i % 3 == 0 ? "USA" : nil, action: i % 7 == 0 ? .releaseRead : .reportRead,
                        object: "rpt_\(i % 100_000)", decision: i % 50 == 0 ? "deny" : "allow",
                        reasons: i % 50 == 0 ? ["need-to-know"] : [], detail: "shown=3 withheld=1"))
                }
            }
            written += count
        }
        let appendSeconds = Date().timeIntervalSince(start)
        try store.checkpointJournal()
        // Three runs; the median counts.
        var runs: [(seconds: Double, result: AuditVerification)] = []
        for _ in 0..<3 {
            let verifyStart = Date()
            let result = try AuditVerifier.verify(databaseAt: path, masterKey: key)
            runs.append((Date().timeIntervalSince(verifyStart), result))
        }
        let median = runs.sorted { $0.seconds < $1.seconds }[1]
        return Figures(entries: Int(median.result.entries), appendPerSecond: Double(entries) / appendSeconds,
                       verifyPerSecond: Double(median.result.entries) / median.seconds, verifySeconds: median.seconds,
                       intact: runs.allSatisfy(\.result.isIntact))
    }
}
