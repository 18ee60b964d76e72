import Foundation
import TearlineCore
import TearlineServer
import TearlineStore

/// `tearline-bench --http-backends --database-url URL1 [--database-url URL2]`: the same three HTTP
/// workloads, with the same `wrk` settings, on SQLite, on PostgreSQL with one `tearline serve`
/// and on PostgreSQL with two instances on one database; then the per-stage figures that say
/// where the bottleneck sits: audit chain appends per second, the connections each instance
/// holds, and the entity index's memory per instance.
///
/// Each URL names an empty database (no Tearline schema yet): the first serves one instance and,
/// after its HTTP figures, the chain-append figures; the second serves the two instances. With
/// one URL both phases share it (the two-instance phase then starts with the rows the first
/// phase's releases added). `scripts/bench-postgres.sh` makes two fresh databases and runs this.
enum BackendsBenchmark {
    /// The figures of one workload; with two instances, the rates summed and the worse latencies.
    struct Load {
        var requestsPerSecond: Double
        var p50: String
        var p99: String
        var non2xx: Int
        var parts: [HTTPBenchmark.WrkFigures]
    }

    struct Backend {
        var name: String
        var reportViews: Load
        var releaseViews: Load
        var releases: Load
        var residentMegabytes: [Double]
        var connectionsPerInstance: Int?
        var transactionsPerReportView: Double?
        var transactionsPerReleaseView: Double?
    }

    static func run(binary: String, urls: [PostgresURL], urlTexts: [String], work: String, seconds: Int, connections: Int, reports: Int,
                    readers: Int, indexReports: Int) async throws {
        say("load: wrk -t1 -c\(connections) -d\(seconds)s per workload; two instances: two wrk processes at once, -t1 -c\(connections / 2) each, one per instance")
        say("seed: \(reports) four-portion reports, each released to a partner, through TearlineService on each backend")
        say(readers == 1 ? "views: every report view by one reader, every release view by one recipient (as --http)"
                         : "views: spread over \(readers) readers and \(readers) recipients in turn")
        for (text, url) in zip(urlTexts, urls) {
            guard try isEmpty(text) else {
                say("error: \(url) already holds a Tearline schema; give the URL of an empty database (scripts/pg-cluster.sh createdb)")
                exit(1)
            }
        }
        var backends: [Backend] = []

        // 1. SQLite, as `--http` measures it.
        let db = work + "/backends.db"
        let seededSQLite = try await HTTPBenchmark.seed(service: try await TearlineService.open(databasePath: db), reports: reports, readers: readers)
        backends.append(try measure(name: "SQLite", binary: binary, stores: [["--db", db]], ports: [18_100], seeded: seededSQLite,
                                    seconds: seconds, connections: connections, work: work, urlText: nil))

        // 2. PostgreSQL, one instance.
        // why a key file per database: `serve` leaves the node-admin token beside it, once per node.
        let keyFile = work + "/pg-1.key", keyFileTwo = urls.count > 1 ? work + "/pg-2.key" : keyFile
        let seededOne = try await seedPostgres(url: urls[0], keyFile: keyFile, reports: reports, readers: readers)
        let storeOne = ["--database-url", urlTexts[0], "--key-file", keyFile]
        backends.append(try measure(name: "PostgreSQL, 1 instance", binary: binary, stores: [storeOne], ports: [18_101], seeded: seededOne,
                                    seconds: seconds, connections: connections, work: work, urlText: urlTexts[0]))

        // 3. PostgreSQL, two instances on one database.
        let urlTwo = urls.count > 1 ? urls[1] : urls[0], textTwo = urlTexts.count > 1 ? urlTexts[1] : urlTexts[0]
        let seededTwo = urls.count > 1 ? try await seedPostgres(url: urlTwo, keyFile: keyFileTwo, reports: reports, readers: readers) : seededOne
        let storeTwo = ["--database-url", textTwo, "--key-file", keyFileTwo]
        backends.append(try measure(name: "PostgreSQL, 2 instances", binary: binary, stores: [storeTwo, storeTwo], ports: [18_102, 18_103],
                                    seeded: seededTwo, seconds: seconds, connections: connections, work: work, urlText: textTwo))

        say("")
        say("| backend | report views/s | p50 | p99 | release views/s | p50 | p99 | releases/s | p50 | p99 |")
        say("|---|---|---|---|---|---|---|---|---|---|")
        for b in backends {
            say(String(format: "| %@ | %.0f | %@ | %@ | %.0f | %@ | %@ | %.0f | %@ | %@ |", b.name,
                         b.reportViews.requestsPerSecond, b.reportViews.p50, b.reportViews.p99,
                         b.releaseViews.requestsPerSecond, b.releaseViews.p50, b.releaseViews.p99,
                         b.releases.requestsPerSecond, b.releases.p50, b.releases.p99))
        }
        say("(two instances: rates summed over both wrk processes; p50 and p99 are the worse of the two)")
        let (sqlite, one, two) = (backends[0], backends[1], backends[2])
        func ratio(_ a: Load, _ b: Load) -> Double { a.requestsPerSecond / max(b.requestsPerSecond, 1) }
        say(String(format: "PG1/SQLite: report views %.2f, release views %.2f, releases %.2f   (target for views: >= 0.50)",
                     ratio(one.reportViews, sqlite.reportViews), ratio(one.releaseViews, sqlite.releaseViews), ratio(one.releases, sqlite.releases)))
        say(String(format: "PG2/PG1:    report views %.2f, release views %.2f, releases %.2f   (target: >= 1.00)",
                     ratio(two.reportViews, one.reportViews), ratio(two.releaseViews, one.releaseViews), ratio(two.releases, one.releases)))
        for b in backends {
            let rss = b.residentMegabytes.map { String(format: "%.0f MiB", $0) }.joined(separator: ", ")
            var line = "\(b.name): server RSS after the load \(rss)"
            if let c = b.connectionsPerInstance { line += "; PostgreSQL connections per instance after the load: \(c)" }
            if let t = b.transactionsPerReportView, let u = b.transactionsPerReleaseView {
                line += String(format: "; committed transactions per report view %.2f, per release view %.2f", t, u)
            }
            say(line)
        }

        // Per stage: the audit chain on PostgreSQL.
        let key = try MasterKey.loadOrCreate(path: keyFile)
        let store = try await PostgresStore(url: urls[0], masterKey: key, connections: 8)
        defer { store.shutdown() }
        let empty = try await transactions(store: store, count: 2000, concurrency: 1, write: false)
        say(String(format: "empty read (the shared change-log check, then a body on a pool thread that sends nothing: no BEGIN), sequential: %.0f /s, %.3f ms each",
                     empty, 1000 / empty))
        let emptyConcurrent = try await transactions(store: store, count: 8000, concurrency: 8, write: false)
        say(String(format: "empty reads, 8 at a time (they share change-log checks): %.0f /s", emptyConcurrent))
        let emptyWrite = try await transactions(store: store, count: 2000, concurrency: 1, write: true)
        say(String(format: "empty write transaction (BEGIN, writer lock, change-log query, its change-log row, COMMIT), sequential: %.0f /s, %.3f ms each", emptyWrite, 1000 / emptyWrite))
        for concurrency in [1, 8] {
            let rate = try await chainAppends(store: store, count: concurrency == 1 ? 2000 : 4000, concurrency: concurrency)
            say(String(format: "audit chain appends on PostgreSQL, one entry per write transaction (writer lock, head read, insert, head signed), concurrency %d: %.0f appends/s (%.2f ms each)",
                         concurrency, rate, 1000 / rate))
        }
        for concurrency in [8, 32] {
            let rate = try await groupCommitAppends(store: store, count: 16_000, concurrency: concurrency)
            say(String(format: "audit entries through the read path's group commit (one read transaction each, committed in batches), concurrency %d: %.0f entries/s",
                         concurrency, rate))
        }
        say("pool: each instance's PostgresStore opens up to 8 pooled connections (one pool thread each) for transactions, plus up to 8 for the shared throttle windows (tearline_admit, batched)")

        // Per stage: the entity index, held in full by every instance.
        guard indexReports > 0 else { return }
        let memory = IndexBenchmark.inMemory(reports: indexReports)
        let bytesPerReport = memory.indexMegabytes * 1_048_576 / Double(indexReports)
        say(String(format: "entity index per instance (IndexBenchmark's generator, 10 mentions a report): %d reports, ~%.0f MiB of arrays (RSS grew %.0f MiB) = %.0f bytes a report; every instance holds all of it",
                     indexReports, memory.indexMegabytes, memory.rssGrowthMegabytes, bytesPerReport))
    }

    /// Opens `url` through the service (the schema is created), seeds it, and closes it again so
    /// that only the servers hold connections during the load.
    static func seedPostgres(url: PostgresURL, keyFile: String, reports: Int, readers: Int) async throws -> HTTPBenchmark.Seeded {
        let service = try await TearlineService.open(.postgres(url), keyFile: keyFile)
        let seeded = try await HTTPBenchmark.seed(service: service, reports: reports, readers: readers)
        (service.store as? PostgresStore)?.shutdown()
        return seeded
    }

    /// Starts one server per store, runs the three workloads (the load split evenly over the
    /// servers), and stops them.
    static func measure(name: String, binary: String, stores: [[String]], ports: [Int], seeded: HTTPBenchmark.Seeded,
                        seconds: Int, connections: Int, work: String, urlText: String?) throws -> Backend {
        var servers: [Process] = []
        defer { for s in servers { s.terminate(); s.waitUntilExit() } }
        for (i, (store, port)) in zip(stores, ports).enumerated() {
            servers.append(try HTTPBenchmark.startServer(binary: binary, store: store, port: port, log: work + "/server-\(port)-\(i).log"))
        }
        let each = max(1, connections / servers.count)
        let reportScript = HTTPBenchmark.viewScript(tokens: seeded.readers, paths: seeded.reportIds.map { "/v1/reports/\($0)" })
        let releaseScript = HTTPBenchmark.viewScript(tokens: seeded.recipients, paths: seeded.releaseIds.map { "/v1/releases/\($0)" })
        // why the counts only on one instance: committed transactions per request, from pg_stat_database
        // (other backends flush their counts when idle for 10 s, hence the waits).
        let profile = urlText != nil && servers.count == 1
        let before = profile ? try committedTransactions(urlText!) : nil
        let reportViews = try load(script: reportScript, ports: ports, seconds: seconds, connections: each)
        say(line(name, "report views", reportViews))
        var perReportView: Double?, perReleaseView: Double?
        var mark = before
        if profile, let start = mark {
            Thread.sleep(forTimeInterval: 11)
            let after = try committedTransactions(urlText!)
            perReportView = Double(after - start) / max(reportViews.requestsPerSecond * Double(seconds), 1)
            mark = after
        }
        let releaseViews = try load(script: releaseScript, ports: ports, seconds: seconds, connections: each)
        say(line(name, "release views", releaseViews))
        if profile, let start = mark {
            Thread.sleep(forTimeInterval: 11)
            let after = try committedTransactions(urlText!)
            perReleaseView = Double(after - start) / max(releaseViews.requestsPerSecond * Double(seconds), 1)
        }
        let releases = try load(script: HTTPBenchmark.releaseScript(token: seeded.releaser, reportIds: seeded.reportIds),
                                ports: ports, seconds: seconds, connections: each)
        say(line(name, "releases", releases))
        let rss = servers.map { residentMegabytes(pid: $0.processIdentifier) }
        var perInstance: Int?
        if let urlText, let total = try? connectionCount(urlText) { perInstance = total / servers.count }
        return Backend(name: name, reportViews: reportViews, releaseViews: releaseViews, releases: releases, residentMegabytes: rss,
                       connectionsPerInstance: perInstance, transactionsPerReportView: perReportView, transactionsPerReleaseView: perReleaseView)
    }

    static func line(_ name: String, _ workload: String, _ l: Load) -> String {
        var text = String(format: "%@, %@: %8.0f req/s  p50 %@  p99 %@  (non-2xx %d)", name, workload, l.requestsPerSecond, l.p50, l.p99, l.non2xx)
        if l.parts.count > 1 {
            text += "  [" + l.parts.map { String(format: "%.0f req/s, p50 %@, p99 %@", $0.requestsPerSecond, $0.p50, $0.p99) }.joined(separator: " | ") + "]"
        }
        return text
    }

    /// One wrk per port, all at once, with `connections` each; rates summed, latencies the worse.
    static func load(script: String, ports: [Int], seconds: Int, connections: Int) throws -> Load {
        let results = Results(count: ports.count)
        let group = DispatchGroup()
        for (i, port) in ports.enumerated() {
            group.enter()
            Thread.detachNewThread {
                results.set(i, Result { try HTTPBenchmark.wrk(script: script, port: port, seconds: seconds, connections: connections) })
                group.leave()
            }
        }
        group.wait()
        let parts = try results.all()
        let worseP50 = parts.max { milliseconds($0.p50) < milliseconds($1.p50) }!.p50
        let worseP99 = parts.max { milliseconds($0.p99) < milliseconds($1.p99) }!.p99
        return Load(requestsPerSecond: parts.reduce(0) { $0 + $1.requestsPerSecond }, p50: worseP50, p99: worseP99,
                    non2xx: parts.reduce(0) { $0 + $1.non2xx }, parts: parts)
    }

    final class Results: @unchecked Sendable {
        // why @unchecked: `values` is guarded by `lock`.
        private let lock = NSLock()
        private var values: [Result<HTTPBenchmark.WrkFigures, any Error>?]
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ value: Result<HTTPBenchmark.WrkFigures, any Error>) { lock.withLock { values[i] = value } }
        func all() throws -> [HTTPBenchmark.WrkFigures] { try lock.withLock { try values.map { try $0!.get() } } }
    }

    /// wrk's latency ("812.00us", "4.60ms", "1.02s") in milliseconds.
    static func milliseconds(_ text: String) -> Double {
        for (suffix, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where text.hasSuffix(suffix) {
            return (Double(text.dropLast(suffix.count)) ?? .infinity) * scale
        }
        return .infinity
    }

    /// `count` write transactions, `concurrency` at a time, each appending one audit entry.
    static func chainAppends(store: PostgresStore, count: Int, concurrency: Int) async throws -> Double {
        let start = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for i in stride(from: worker, to: count, by: concurrency) {
                        try await store.write { s in try s.appendAudit(BackendsBenchmark.record(i)) }
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(count) / Date().timeIntervalSince(start)
    }

    /// `count` read transactions, `concurrency` at a time, each with one audit entry: the path a
    /// view takes, where the entries of concurrent reads are committed together.
    static func groupCommitAppends(store: PostgresStore, count: Int, concurrency: Int) async throws -> Double {
        let start = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for i in stride(from: worker, to: count, by: concurrency) {
                        try await store.read { s in try s.appendAudit(BackendsBenchmark.record(i)) }
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(count) / Date().timeIntervalSince(start)
    }

    /// `count` empty transactions: what a transaction costs before its statements.
    static func transactions(store: PostgresStore, count: Int, concurrency: Int, write: Bool) async throws -> Double {
        let start = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for _ in stride(from: worker, to: count, by: concurrency) {
                        if write { _ = try await store.write { _ in 0 } } else { _ = try await store.read { _ in 0 } }
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(count) / Date().timeIntervalSince(start)
    }

    static func record(_ i: Int) -> AuditRecord {
        AuditRecord(at: 1_780_000_000_000 + Int64(i), actor: "mem_\(i % 500)", organization: "USA", concerns: nil, action: .reportRead,
                    object: "rpt_\(i % 1000)", decision: "allow", reasons: [], detail: "shown=3 withheld=1")
    }

    /// Prints and flushes: the figures reach a pipe or file as they come, even if a later phase fails.
    static func say(_ text: String) {
        print(text)
        fflush(nil)
    }

    // MARK: psql, for what the store does not expose: emptiness and the server's statistics.

    static func psql(_ url: String, _ sql: String) throws -> String {
        try runCommand("/usr/bin/env", ["psql", url, "-X", "-A", "-t", "-q", "-c", sql]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func isEmpty(_ url: String) throws -> Bool {
        try psql(url, "SELECT to_regclass('tearlineschema') IS NULL") == "t"
    }

    static func committedTransactions(_ url: String) throws -> Int {
        Int(try psql(url, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) ?? 0
    }

    /// Connections to this database other than psql's own.
    static func connectionCount(_ url: String) throws -> Int {
        Int(try psql(url, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) ?? 0
    }

    static func residentMegabytes(pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
