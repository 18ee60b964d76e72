import Foundation

// tearline-bench: prints the figures the README quotes. Build in release mode:
//   swift build -c release && .build/release/tearline-bench [--http] [--seconds N] [--audit-entries N]
//   scripts/bench.sh runs it all, with a second build that compiles auditing out for comparison.
let arguments = CommandLine.arguments
let withHTTP = arguments.contains("--http")
let seconds = arguments.firstIndex(of: "--seconds").flatMap { Int(arguments[$0 + 1]) } ?? 10
let connections = arguments.firstIndex(of: "--connections").flatMap { Int(arguments[$0 + 1]) } ?? 32
let auditEntries = arguments.firstIndex(of: "--audit-entries").flatMap { Int(arguments[$0 + 1]) } ?? 1_000_000
/// A `tearline` built with `-Xswiftc -DTEARLINE_BENCH_NO_AUDIT`, to measure what auditing costs.
let noAuditBinary = arguments.firstIndex(of: "--no-audit-binary").map { arguments[$0 + 1] }

print("tearline-bench — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB")
#if DEBUG
print("warning: this is a debug build; figures are meaningless. Use `swift build -c release`.")
#endif

// Five rounds; the median is the figure, the best shows what a quiet machine gives.
let rounds = (0..<5).map { _ in DecisionBenchmark.run(evaluations: 10_000_000) }
let reads = rounds.map(\.readNanoseconds).sorted()
let releases = rounds.map(\.releaseNanoseconds).sorted()
print(String(format: "decision rule, read:    median %5.1f ns per portion, best %5.1f (5 rounds of %d, %d allowed)",
             reads[2], reads[0], rounds[0].evaluations, rounds[0].allowed))
print(String(format: "decision rule, release: median %5.1f ns per portion, best %5.1f", releases[2], releases[0]))

let work = NSTemporaryDirectory() + "tearline-bench-\(UUID().uuidString)"
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: work) }

#if TEARLINE_BENCH_NO_AUDIT
print("audit log: this build has auditing switched off (TEARLINE_BENCH_NO_AUDIT); no audit figures")
#else
let audit = try await AuditBenchmark.run(entries: auditEntries, directory: work)
print(String(format: "audit log: appended %d chained entries at %.0f entries/s", audit.entries, audit.appendPerSecond))
print(String(format: "audit verify: %d entries in %.2f s = %.2f million entries/s (intact: %@)",
             audit.entries, audit.verifySeconds, audit.verifyPerSecond / 1_000_000, audit.intact ? "yes" : "NO"))
#endif

if withHTTP {
    let directory = URL(fileURLWithPath: arguments[0]).deletingLastPathComponent().path
    let binary = directory + "/tearline"
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        print("error: \(binary) not found; run `swift build -c release` first")
        exit(1)
    }
    let db = work + "/bench.db"
    let seeded = try await HTTPBenchmark.seed(path: db, reports: 1000)
    let port = 18_080
    let figures = try HTTPBenchmark.measure(binary: binary, db: db, port: port, seeded: seeded, seconds: seconds,
                                            connections: connections, everything: true)
    if let noAudit = noAuditBinary {
        // The same database and load, served by a build with auditing compiled out.
        let off = try HTTPBenchmark.measure(binary: noAudit, db: db, port: port, seeded: seeded, seconds: seconds,
                                            connections: connections, everything: false)
        print(String(format: "HTTP report views, auditing compiled out: %8.0f req/s  p50 %@  p99 %@",
                     off.reportViews.requestsPerSecond, off.reportViews.p50, off.reportViews.p99))
        print(String(format: "HTTP release views, auditing compiled out: %7.0f req/s  p50 %@  p99 %@",
                     off.releaseViews.requestsPerSecond, off.releaseViews.p50, off.releaseViews.p99))
        let cost = 1 - figures.reportViews.requestsPerSecond / max(off.reportViews.requestsPerSecond, 1)
        let releaseCost = 1 - figures.releaseViews.requestsPerSecond / max(off.releaseViews.requestsPerSecond, 1)
        print(String(format: "auditing costs %.1f%% of report-view throughput and %.1f%% of release-view throughput (budget 10%%)",
                     cost * 100, releaseCost * 100))
    }
}
