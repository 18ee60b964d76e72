import Foundation
import TearlineServer

/// Load over loopback: a release-built `tearline serve` in one process, `wrk` in another.
enum HTTPBenchmark {
    struct WrkFigures {
        var requestsPerSecond: Double
        var p50: String
        var p99: String
        var non2xx: Int
        /// wrk's whole output (a script's `done` may print more).
        var output = ""
    }

    /// Seeds a database with `reports` reports and one release of each, and returns tokens and ids.
    static func seed(path: String, reports: Int) async throws -> Seeded {
        try await seed(service: try await TearlineService.open(databasePath: path), reports: reports)
    }

    /// Seeds the store `service` opened (SQLite or PostgreSQL) the same way; `readers` readers and
    /// as many recipients, for loads that spread views over members (the first of each is `reader`, `recipient`).
    static func seed(service: TearlineService, reports: Int, readers: Int = 1) async throws -> Seeded {
        for (id, name) in [("USA", "United States"), ("GBR", "United Kingdom")] {
            _ = try await service.members.createOrganization(.init(id: id, name: name, kind: "state"), by: .nodeAdmin)
        }
        _ = try await service.trust.createPartnership(.init(organizations: ["USA", "GBR"], kind: "peer", trustLevel: "high"), by: .nodeAdmin)
        let releaser = try await service.members.createMember(in: "USA", .init(name: "releaser", roles: ["analyst", "releaser"], clearance: "SECRET", topics: ["counter-terrorism"]), by: .nodeAdmin)
        let reader = try await service.members.createMember(in: "USA", .init(name: "reader", roles: ["analyst"], clearance: "CONFIDENTIAL", topics: ["counter-terrorism"]), by: .nodeAdmin)
        let recipient = try await service.members.createMember(in: "GBR", .init(name: "recipient", roles: ["analyst"], clearance: "SECRET", topics: ["counter-terrorism"]), by: .nodeAdmin)
        var readerTokens = [reader.token], recipientTokens = [recipient.token]
        for i in 1..<max(readers, 1) {
            readerTokens.append(try await service.members.createMember(in: "USA", .init(name: "reader \(i)", roles: ["analyst"], clearance: "CONFIDENTIAL", topics: ["counter-terrorism"]), by: .nodeAdmin).token)
            recipientTokens.append(try await service.members.createMember(in: "GBR", .init(name: "recipient \(i)", roles: ["analyst"], clearance: "SECRET", topics: ["counter-terrorism"]), by: .nodeAdmin).token)
        }
        guard let releaserCaller = try await service.members.authenticate(token: releaser.token) else { fatalError("seed") }
        var reportIds: [String] = []
        var releaseIds: [String] = []
        for i in 0..<reports {
            let view = try await service.reports.createReport(benchReport(i), by: releaserCaller)
            reportIds.append(view.id)
            let release = try await service.releases.release(reportId: view.id, .init(recipient: "GBR"), by: releaserCaller)
            releaseIds.append(release.id)
        }
        return (reader.token, releaser.token, recipient.token, reportIds, releaseIds, readerTokens, recipientTokens)
    }

    struct Measured {
        var reportViews: WrkFigures
        var releaseViews: WrkFigures
    }

    typealias Seeded = (reader: String, releaser: String, recipient: String, reportIds: [String], releaseIds: [String],
                          readers: [String], recipients: [String])

    /// Serves `db` from `binary` and measures views (and, with `everything`, the bare route and releases).
    static func measure(binary: String, db: String, port: Int, seeded: Seeded, seconds: Int, connections: Int, everything: Bool) throws -> Measured {
        let server = try startServer(binary: binary, store: ["--db", db], port: port)
        defer { server.terminate(); server.waitUntilExit() }
        var bareRate = 0.0
        if everything {
            let bare = try wrk(script: "", port: port, seconds: seconds, connections: connections, path: "/healthz")
            bareRate = bare.requestsPerSecond
            print(String(format: "HTTP bare /healthz:  %8.0f req/s  p50 %@  p99 %@  (the same server, no database, for reference)",
                         bare.requestsPerSecond, bare.p50, bare.p99))
        }
        let reportViews = try wrk(script: viewScript(token: seeded.reader, paths: seeded.reportIds.map { "/v1/reports/\($0)" }),
                                  port: port, seconds: seconds, connections: connections)
        let releaseViews = try wrk(script: viewScript(token: seeded.recipient, paths: seeded.releaseIds.map { "/v1/releases/\($0)" }),
                                   port: port, seconds: seconds, connections: connections)
        if everything {
            print(String(format: "HTTP report views:   %8.0f req/s  p50 %@  p99 %@  (non-2xx %d; wrk -t1 -c%d, %ds)",
                         reportViews.requestsPerSecond, reportViews.p50, reportViews.p99, reportViews.non2xx, connections, seconds))
            print(String(format: "  report views run at %.0f%% of the bare route's rate, each read, fingerprinted and audited",
                         reportViews.requestsPerSecond / max(bareRate, 1) * 100))
            print(String(format: "HTTP release views:  %8.0f req/s  p50 %@  p99 %@  (non-2xx %d)",
                         releaseViews.requestsPerSecond, releaseViews.p50, releaseViews.p99, releaseViews.non2xx))
            let releases = try wrk(script: releaseScript(token: seeded.releaser, reportIds: seeded.reportIds),
                                   port: port, seconds: seconds, connections: connections)
            print(String(format: "HTTP releases:       %8.0f req/s  p50 %@  p99 %@  (non-2xx %d)",
                         releases.requestsPerSecond, releases.p50, releases.p99, releases.non2xx))
            let creations = try wrk(script: createScript(token: seeded.releaser), port: port, seconds: seconds, connections: connections)
            print(String(format: "HTTP report creation: %7.0f req/s  p50 %@  p99 %@  (non-2xx %d; four portions, an entity, new text each)",
                         creations.requestsPerSecond, creations.p50, creations.p99, creations.non2xx))
        }
        return Measured(reportViews: reportViews, releaseViews: releaseViews)
    }

    /// Starts the server, waits for /healthz, and returns the process. The throttle limits are
    /// raised out of the way: the load reads the same documents over and over on purpose, but
    /// every request still passes through the throttle's accounting.
    static func startServer(binary: String, db: String, port: Int) throws -> Process {
        try startServer(binary: binary, store: ["--db", db], port: port)
    }

    /// `store` names the store: `["--db", PATH]` or `["--database-url", URL, "--key-file", PATH]`;
    /// `log`, when given, receives the server's output.
    static func startServer(binary: String, store: [String], port: Int, log: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve"] + store + ["--port", String(port), "--throttle-reads", "100000000",
                             "--throttle-search-results", "100000000", "--throttle-exports", "100000000", "--throttle-denials", "100000000"]
        if let log, FileManager.default.createFile(atPath: log, contents: nil), let handle = FileHandle(forWritingAtPath: log) {
            process.standardOutput = handle
            process.standardError = handle
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        for _ in 0..<100 {
            if (try? runCommand("/usr/bin/curl", ["-sf", "http://127.0.0.1:\(port)/healthz"])) != nil { return process }
            Thread.sleep(forTimeInterval: 0.1)
        }
        process.terminate()
        process.waitUntilExit()
        let output = log.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }.map { "; its output:\n" + $0.suffix(2000) } ?? ""
        throw BenchError("the server did not come up on port \(port)\(output)")
    }

    /// Runs wrk with a Lua script and parses its throughput and latency percentiles.
    static func wrk(script: String, port: Int, seconds: Int, connections: Int, path: String = "") throws -> WrkFigures {
        let scriptPath = NSTemporaryDirectory() + "tearline-bench-\(UUID().uuidString).lua"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: scriptPath) }
        let output = try runCommand("/usr/bin/wrk", [
            "-t1", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", scriptPath, "http://127.0.0.1:\(port)\(path)",
        ])
        func field(_ prefix: String) -> String? {
            output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.hasPrefix(prefix) }?.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map(String.init)
        }
        let rps = Double(field("Requests/sec:") ?? "0") ?? 0
        // why the last word: the line is "Non-2xx or 3xx responses: N" (the first word after the prefix match would be "or").
        let non2xx = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("Non-2xx or 3xx responses:") }?.split(separator: " ").last.flatMap { Int($0) } ?? 0
        return WrkFigures(requestsPerSecond: rps, p50: field("50%") ?? "?", p99: field("99%") ?? "?", non2xx: non2xx, output: output)
    }

    static func luaList(_ ids: [String]) -> String {
        "{" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "}"
    }

    static func viewScript(token: String, paths: [String]) -> String {
        """
        local paths = \(luaList(paths))
        local i = 0
        request = function()
          i = i + 1
          return wrk.format("GET", paths[(i % #paths) + 1], { ["Authorization"] = "Bearer \(token)" })
        end
        """
    }

    /// The same views, each request from the next of `tokens` in turn.
    static func viewScript(tokens: [String], paths: [String]) -> String {
        if tokens.count == 1 { return viewScript(token: tokens[0], paths: paths) }
        return """
        local paths = \(luaList(paths))
        local tokens = \(luaList(tokens.map { "Bearer " + $0 }))
        local i = 0
        request = function()
          i = i + 1
          return wrk.format("GET", paths[(i % #paths) + 1], { ["Authorization"] = tokens[(i % #tokens) + 1] })
        end
        """
    }

    /// New reports over the API, shaped like ``benchReport(_:)``: four portions (one sources and
    /// methods), an entity, and text that differs in every request.
    static func createScript(token: String) -> String {
        """
        local i = 0
        request = function()
          i = i + 1
          local n = i .. "-" .. math.random(1, 1000000)
          local body = '{"title":"Report ' .. n .. '","titleMarking":"(U)","sourceGrade":"B2","topics":["counter-terrorism"],"portions":[' ..
            '{"marking":"(S//REL TO USA, GBR)","text":"Secret portion ' .. n .. ': the courier met the financier at the port."},' ..
            '{"marking":"(C//REL TO USA, GBR)","text":"Confidential portion ' .. n .. ': two shipments left on Tuesday."},' ..
            '{"marking":"(U)","text":"Unclassified portion ' .. n .. ': open sources report a new warehouse."},' ..
            '{"marking":"(S//NF)","text":"Sources and methods ' .. n .. '.","sourcesAndMethods":true}],' ..
            '"entities":[{"type":"person","value":"Person ' .. (i % 5000) .. '","portion":0}]}'
          return wrk.format("POST", "/v1/reports", { ["Authorization"] = "Bearer \(token)", ["Content-Type"] = "application/json" }, body)
        end
        """
    }

    static func releaseScript(token: String, reportIds: [String]) -> String {
        """
        local ids = \(luaList(reportIds))
        local i = 0
        request = function()
          i = i + 1
          return wrk.format("POST", "/v1/reports/" .. ids[(i % #ids) + 1] .. "/releases",
            { ["Authorization"] = "Bearer \(token)", ["Content-Type"] = "application/json" }, '{"recipient":"GBR"}')
        end
        """
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@discardableResult
func runCommand(_ path: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchError("\(path) exited \(process.terminationStatus)") }
    return String(decoding: data, as: UTF8.self)
}

/// The four-portion report the benchmarks seed: SECRET and CONFIDENTIAL portions releasable to
/// GBR, an unclassified one, and a sources-and-methods portion that never leaves.
func benchReport(_ i: Int) -> CreateReportRequest {
    .init(
        title: "Report \(i)", titleMarking: "(U)", sourceGrade: "B2", topics: ["counter-terrorism"],
        portions: [
            .init(marking: "(S//REL TO USA, GBR)", text: "Secret portion \(i): the courier met the financier at the port."),
            .init(marking: "(C//REL TO USA, GBR)", text: "Confidential portion \(i): two shipments left on Tuesday."),
            .init(marking: "(U)", text: "Unclassified portion \(i): open sources report a new warehouse."),
            .init(marking: "(S//NF)", text: "Sources and methods \(i).", sourcesAndMethods: true),
        ])
}
