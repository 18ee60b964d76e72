import Foundation
import TearlineStore

// tearline-bench: prints the figures the README quotes. Build in release mode:
//   swift build -c release && .build/release/tearline-bench [--http] [--seconds N] [--audit-entries N]
//   .build/release/tearline-bench --login-storm [--seconds N]   (latency under 50 wrong HTTP Basic logins a second)
//   .build/release/tearline-bench --soak [--minutes 10]   (mixed writes; the server's RSS levelling off)
//   .build/release/tearline-bench --http-backends --database-url URL1 [--database-url URL2]   (SQLite, PostgreSQL x1, x2;
//     each URL an empty database; scripts/bench-postgres.sh makes two and runs it)
//   .build/release/tearline-bench --taxii-post [--envelope 100] [--seconds N] [--connections N]   (TAXII POST from wrk)
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

if arguments.contains("--taxii-post") {
    // `tearline-bench --taxii-post [--envelope 100] [--seconds N] [--connections N]`: TAXII POST from a compiled client (see TAXIIPostBenchmark).
    let binary = serverBinary()
    let envelope = arguments.firstIndex(of: "--envelope").flatMap { Int(arguments[$0 + 1]) } ?? 100
    let directory = try scratchDirectory("taxii-post")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let f = try await TAXIIPostBenchmark.run(binary: binary, directory: directory, port: 18_095, seconds: seconds,
                                             connections: connections, envelope: envelope)
    print(String(format: "TAXII POST, envelopes of %d new indicators (wrk -t1 -c%d, %ds): %.0f envelopes/s = %.0f objects/s, p50 %@, p99 %@ (non-2xx %d, not all stored %d)",
                 envelope, connections, seconds, f.requestsPerSecond, f.objectsPerSecond, f.p50, f.p99, f.non2xx, f.incomplete))
    exit(f.non2xx == 0 && f.incomplete == 0 ? 0 : 1)
}

if arguments.contains("--login-storm") {
    // `tearline-bench --login-storm [--seconds N]`: /healthz and report views, with and without 50 wrong Basic logins a second.
    let binary = serverBinary()
    let directory = try scratchDirectory("storm")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try await LoginStormBenchmark.run(binary: binary, db: directory + "/storm.db", port: 18_095, seconds: seconds, rate: 50)
    exit(0)
}

if arguments.contains("--soak") {
    // `tearline-bench --soak [--minutes 10] [--connections 16] [--mix mixed|create|release|view]`: mixed writes, the server's RSS every 30 s (see SoakBenchmark).
    let binary = serverBinary()
    let minutes = arguments.firstIndex(of: "--minutes").flatMap { Int(arguments[$0 + 1]) } ?? 10
    let soakConnections = arguments.firstIndex(of: "--connections").flatMap { Int(arguments[$0 + 1]) } ?? 16
    let directory = try scratchDirectory("soak")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let mix = arguments.firstIndex(of: "--mix").map { arguments[$0 + 1] } ?? "mixed"
    try await SoakBenchmark.run(binary: binary, directory: directory, minutes: minutes, connections: soakConnections, mix: mix)
    exit(0)
}

if arguments.contains("--http-backends") {
    // `tearline-bench --http-backends --database-url URL1 [--database-url URL2] [--seconds N] [--connections N] [--reports N]
    //  [--readers N] [--index-reports N]`:
    // the HTTP workloads on SQLite, PostgreSQL with one instance and with two (see BackendsBenchmark).
    let binary = serverBinary()
    let urlTexts = arguments.indices.filter { arguments[$0] == "--database-url" && $0 + 1 < arguments.count }.map { arguments[$0 + 1] }
    guard !urlTexts.isEmpty else {
        print("error: --http-backends needs --database-url URL of an empty PostgreSQL database (a second one for the two-instance phase is better); scripts/bench-postgres.sh makes them")
        exit(1)
    }
    let urls = try urlTexts.map { try PostgresURL($0) }
    let reports = arguments.firstIndex(of: "--reports").flatMap { Int(arguments[$0 + 1]) } ?? 1000
    let directory = try scratchDirectory("backends")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let readers = arguments.firstIndex(of: "--readers").flatMap { Int(arguments[$0 + 1]) } ?? 1
    let indexReports = arguments.firstIndex(of: "--index-reports").flatMap { Int(arguments[$0 + 1]) } ?? 1_000_000
    try await BackendsBenchmark.run(binary: binary, urls: urls, urlTexts: urlTexts, work: directory, seconds: seconds,
                                    connections: connections, reports: reports, readers: readers, indexReports: indexReports)
    exit(0)
}

if arguments.contains("--discovery") {
    // `tearline-bench --discovery [--entities 1000000] [--searches 1000]`: private discovery (see DiscoveryBenchmark).
    let binary = serverBinary()
    let entities = arguments.firstIndex(of: "--entities").flatMap { Int(arguments[$0 + 1]) } ?? 1_000_000
    let searches = arguments.firstIndex(of: "--searches").flatMap { Int(arguments[$0 + 1]) } ?? 1000
    let directory = try scratchDirectory("discovery")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let core = try DiscoveryBenchmark.oneCore(count: 5000)
    print(String(format: "discovery OPRF (P384-SHA384 VOPRF, RFC 9497), one core: %.0f blinded evaluations/s (with DLEQ proof); %.0f PRF outputs/s (publishing); asker blind + verify + unblind %.0f µs a query",
                 core.evaluations, core.outputs, core.askerMicroseconds))
    let p = try await DiscoveryBenchmark.publish(count: entities, directory: directory)
    print(String(format: "discovery set of %d entities, published from scratch on %d cores: %.1f s (PRF %.1f s, sealing %.1f s, holder's rows %.1f s); on the wire %.1f MB in %d pages (%.1f bytes an entry); the asker stores it in %.1f s",
                 p.entities, ProcessInfo.processInfo.activeProcessorCount, p.totalSeconds, p.prfSeconds, p.sealSeconds, p.holderStoreSeconds,
                 Double(p.wireBytes) / 1e6, p.pages, Double(p.wireBytes) / Double(max(1, p.entities)), p.askerStoreSeconds))
    let l = try await DiscoveryBenchmark.searches(binary: binary, directory: directory, count: searches, port: 18_097)
    print(String(format: "discovery search across two nodes on loopback (mutual TLS, a new connection each; evaluate, verify, match, audit on both): %d searches, p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                 l.count, l[l.count / 2], l[min(l.count - 1, l.count * 99 / 100)], l[l.count - 1]))
    exit(0)
}

if let limit = arguments.firstIndex(of: "--ingest-only").flatMap({ Int(arguments[$0 + 1]) }) {
    // For profiling the store's ingest path alone.
    let directory = try scratchDirectory("ingest")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (rate, _) = try await IndexBenchmark.ingest(reports: limit, path: directory + "/ingest.db")
    print(String(format: "ingest: %d reports at %.0f reports/s", limit, rate))
    exit(0)
}

// Five rounds; the median is the figure, the best shows what a quiet machine gives.
let rounds = (0..<5).map { _ in DecisionBenchmark.run(evaluations: 10_000_000) }
let reads = rounds.map(\.readNanoseconds).sorted()
let releases = rounds.map(\.releaseNanoseconds).sorted()
print(String(format: "decision rule, read:    median %5.1f ns per portion, best %5.1f (5 rounds of %d, %d allowed)",
             reads[2], reads[0], rounds[0].evaluations, rounds[0].allowed))
print(String(format: "decision rule, release: median %5.1f ns per portion, best %5.1f", releases[2], releases[0]))

let work = try scratchDirectory("bench")
defer { try? FileManager.default.removeItem(atPath: work) }

#if TEARLINE_BENCH_NO_AUDIT
print("audit log: this build has auditing switched off (TEARLINE_BENCH_NO_AUDIT); no audit figures")
#else
let audit = try await AuditBenchmark.run(entries: auditEntries, directory: work)
print(String(format: "audit log: appended %d chained entries at %.0f entries/s", audit.entries, audit.appendPerSecond))
print(String(format: "audit verify: %d entries in %.2f s = %.2f million entries/s, median of 3 (intact: %@)",
             audit.entries, audit.verifySeconds, audit.verifyPerSecond / 1_000_000, audit.intact ? "yes" : "NO"))
#endif

if withHTTP {
    let binary = serverBinary()
    let db = work + "/bench.db"
    let seeded = try await HTTPBenchmark.seed(path: db, reports: 1000)
    let port = 18_080
    if let noAudit = noAuditBinary {
        // The same database and load, alternating a build with auditing compiled out and the real
        // one, three times each, before anything else writes to the database; the median round of each counts.
        var on: [HTTPBenchmark.Measured] = []
        var off: [HTTPBenchmark.Measured] = []
        for _ in 0..<3 {
            off.append(try HTTPBenchmark.measure(binary: noAudit, db: db, port: port, seeded: seeded, seconds: seconds,
                                                 connections: connections, everything: false))
            on.append(try HTTPBenchmark.measure(binary: binary, db: db, port: port, seeded: seeded, seconds: seconds,
                                                connections: connections, everything: false))
        }
        func median(_ runs: [HTTPBenchmark.Measured], _ pick: (HTTPBenchmark.Measured) -> HTTPBenchmark.WrkFigures) -> HTTPBenchmark.WrkFigures {
            runs.map(pick).sorted { $0.requestsPerSecond < $1.requestsPerSecond }[runs.count / 2]
        }
        let reportOn = median(on, \.reportViews), reportOff = median(off, \.reportViews)
        let releaseOn = median(on, \.releaseViews), releaseOff = median(off, \.releaseViews)
        print(String(format: "report views, audited:          %8.0f req/s  p50 %@  p99 %@", reportOn.requestsPerSecond, reportOn.p50, reportOn.p99))
        print(String(format: "report views, auditing off:     %8.0f req/s  p50 %@  p99 %@", reportOff.requestsPerSecond, reportOff.p50, reportOff.p99))
        print(String(format: "release views, audited:         %8.0f req/s  p50 %@  p99 %@", releaseOn.requestsPerSecond, releaseOn.p50, releaseOn.p99))
        print(String(format: "release views, auditing off:    %8.0f req/s  p50 %@  p99 %@", releaseOff.requestsPerSecond, releaseOff.p50, releaseOff.p99))
        print(String(format: "auditing costs %.1f%% of report-view throughput and %.1f%% of release-view throughput (budget 10%%; median of 3 alternating rounds each)",
                     (1 - reportOn.requestsPerSecond / max(reportOff.requestsPerSecond, 1)) * 100,
                     (1 - releaseOn.requestsPerSecond / max(releaseOff.requestsPerSecond, 1)) * 100))
    }
    _ = try HTTPBenchmark.measure(binary: binary, db: db, port: port, seeded: seeded, seconds: seconds,
                                  connections: connections, everything: true)
}

if let count = arguments.firstIndex(of: "--federation").flatMap({ Int(arguments[$0 + 1]) }) {
    let binary = serverBinary()
    let f = try await FederationBenchmark.run(binary: binary, directory: work, releases: count, port: 18_091)
    print(String(format: "federation serving (node A alone: pages of 100 over mutual TLS, fetched and dropped): %d releases in %.2f s = %.0f releases/s",
                 f.releases, f.servingSeconds, Double(f.releases) / f.servingSeconds))
    print(String(format: "federation pull (node A: tearline serve, mutual TLS; node B: this process): %d releases in %.2f s = %.0f releases/s (TAXII pages, signature verified, release rule, sealed, indexed, audited)",
                 f.releases, f.pullSeconds, Double(f.releases) / f.pullSeconds))
    print(String(format: "federation idle round (nothing new; one page and one exchange): %.1f ms", f.idleRoundMilliseconds))
    print(String(format: "federation receipts: %d access receipts back to the originator in one round of %.2f s", f.receipts, f.receiptsSeconds))
}

if !arguments.contains("--no-index") {
    let indexReports = arguments.firstIndex(of: "--index-reports").flatMap { Int(arguments[$0 + 1]) } ?? 1_000_000
    let memory = IndexBenchmark.inMemory(reports: indexReports)
    print(String(format: "entity index, in memory: %d reports, %d mentions, built at %.0f reports/s; ~%.0f MiB of arrays, RSS grew %.0f MiB",
                 memory.reports, memory.mentions, memory.buildPerSecond, memory.indexMegabytes, memory.rssGrowthMegabytes))
    print(String(format: "entity search, %d postings, SECRET reader with half the topics: p50 %.3f ms, p99 %.3f ms (%d hits, %d in pointers)",
                 IndexBenchmark.hotPostings, memory.searchP50, memory.searchP99, memory.hits, memory.pointers))
    print(String(format: "entity search, same entity, TOP SECRET reader with every topic: p50 %.3f ms, p99 %.3f ms (%d hits)",
                 memory.widerP50, memory.widerP99, memory.widerHits))
    let stored = try await IndexBenchmark.store(reports: indexReports, directory: work)
    print(String(format: "ingest into SQLite (sealed text, portions, mentions, entities; 1,000 per transaction): %.0f reports/s", stored.ingestPerSecond))
    print(String(format: "index on disk: %d mention rows, %d entities, %.0f MiB (database file %.0f MiB); reload at start %.1f s",
                 stored.mentionRows, stored.entityRows, stored.indexTablesMegabytes, stored.databaseMegabytes, stored.reloadSeconds))
    print(String(format: "entity search through the service (20 hits served, fingerprinted, audited): p50 %.2f ms, p99 %.2f ms",
                 stored.serviceP50, stored.serviceP99))
}
