import Foundation
import TearlineServer

/// Load over loopback: a release-built `tearline serve` in one process, `wrk` in another.
enum HTTPBenchmark {
    struct WrkFigures {
        var requestsPerSecond: Double
        var p50: String
        var p99: String
        var non2xx: Int
    }

    /// Seeds a database with `reports` reports and one release of each, and returns tokens and ids.
    static func seed(path: String, reports: Int) async throws -> (reader: String, releaser: String, recipient: String, reportIds: [String], releaseIds: [String]) {
        let service = try TearlineService.open(databasePath: path)
        for (id, name) in [("USA", "United States"), ("GBR", "United Kingdom")] {
            _ = try await service.createOrganization(.init(id: id, name: name, kind: "state"), by: .nodeAdmin)
        }
        _ = try await service.createPartnership(.init(organizations: ["USA", "GBR"], kind: "peer", trustLevel: "high"), by: .nodeAdmin)
        let releaser = try await service.createMember(in: "USA", .init(name: "releaser", roles: ["analyst", "releaser"], clearance: "SECRET", topics: ["counter-terrorism"]), by: .nodeAdmin)
        let reader = try await service.createMember(in: "USA", .init(name: "reader", roles: ["analyst"], clearance: "CONFIDENTIAL", topics: ["counter-terrorism"]), by: .nodeAdmin)
        let recipient = try await service.createMember(in: "GBR", .init(name: "recipient", roles: ["analyst"], clearance: "SECRET", topics: ["counter-terrorism"]), by: .nodeAdmin)
        guard let releaserCaller = try await service.authenticate(token: releaser.token) else { fatalError("seed") }
        var reportIds: [String] = []
        var releaseIds: [String] = []
        for i in 0..<reports {
            let view = try await service.createReport(.init(
                title: "Report \(i)", titleMarking: "(U)", sourceGrade: "B2", topics: ["counter-terrorism"],
                portions: [
                    .init(marking: "(S//REL TO USA, GBR)", text: "Secret portion \(i): the courier met the financier at the port."),
                    .init(marking: "(C//REL TO USA, GBR)", text: "Confidential portion \(i): two shipments left on Tuesday."),
                    .init(marking: "(U)", text: "Unclassified portion \(i): open sources report a new warehouse."),
                    .init(marking: "(S//NF)", text: "Sources and methods \(i).", sourcesAndMethods: true),
                ]), by: releaserCaller)
            reportIds.append(view.id)
            let release = try await service.release(reportId: view.id, .init(recipient: "GBR"), by: releaserCaller)
            releaseIds.append(release.id)
        }
        return (reader.token, releaser.token, recipient.token, reportIds, releaseIds)
    }

    /// Starts the server, waits for /healthz, and returns the process.
    static func startServer(binary: String, db: String, port: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--db", db, "--port", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 {
            if (try? runCommand("/usr/bin/curl", ["-sf", "http://127.0.0.1:\(port)/healthz"])) != nil { return process }
            Thread.sleep(forTimeInterval: 0.1)
        }
        process.terminate()
        throw BenchError("the server did not come up on port \(port)")
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
        let non2xx = Int(field("Non-2xx or 3xx responses:") ?? "0") ?? 0
        return WrkFigures(requestsPerSecond: rps, p50: field("50%") ?? "?", p99: field("99%") ?? "?", non2xx: non2xx)
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
