import Foundation
import TearlineServer

/// `tearline-bench --soak [--minutes 10] [--connections 16]`: mixed writes for a long while
/// against a release-built `tearline serve`, sampling the server's resident memory every 30 s.
/// Four requests in ten create a report (unique text, an entity from a pool of 5,000, now and
/// then a marking with a compartment never seen before), three release a seeded report to the
/// partner, three view one. Each sample also reads the entity index's size from `/metrics`: the
/// index grows with the data (every new report adds its postings), everything else should not.
/// Prints one line per sample and compares the last third with the middle third, for RSS and for
/// RSS less the index: a server whose caches are bounded levels off in the second.
enum SoakBenchmark {
    static func run(binary: String, directory: String, minutes: Int, connections: Int, mix: String = "mixed") async throws {
        let db = directory + "/soak.db"
        let seeded = try await HTTPBenchmark.seed(path: db, reports: 200)
        let port = 18_097, metricsPort = 18_098
        let server = try HTTPBenchmark.startServer(binary: binary, store: ["--db", db, "--metrics-port", String(metricsPort)], port: port)
        defer { server.terminate(); server.waitUntilExit() }
        let script = Self.script(releaser: seeded.releaser, reader: seeded.reader, reportIds: seeded.reportIds, mix: mix)
        let samples = max(3, minutes * 2)
        print("soak: \(minutes) min of \(mix == "mixed" ? "mixed writes" : mix + " only"), \(connections) connections; RSS of the server every 30 s")
        print("   t      req/s   non-2xx    RSS MiB  index MiB  RSS-index")
        var rss: [Double] = [], rest: [Double] = []
        for sample in 1...samples {
            let figures = try HTTPBenchmark.wrk(script: script, port: port, seconds: 30, connections: connections)
            let resident = Self.residentMiB(pid: server.processIdentifier)
            let index = Self.indexMiB(metricsPort: metricsPort)
            rss.append(resident)
            rest.append(resident - index)
            print(String(format: "%5d s %9.0f %9d %10.1f %10.1f %10.1f", sample * 30, figures.requestsPerSecond, figures.non2xx, resident, index, resident - index))
        }
        for (name, series) in [("RSS", rss), ("RSS less the index", rest)] {
            let third = series.count / 3
            let middle = series[third..<(2 * third)].reduce(0, +) / Double(third)
            let last = series[(series.count - third)...].reduce(0, +) / Double(third)
            let perMinute = (last - middle) / (Double(third) * 0.5)
            print(String(format: "%@: middle third %.1f MiB, last third %.1f MiB: %+.2f MiB per minute between them", name, middle, last, perMinute))
        }
    }

    /// The entity index's approximate size, from the server's `/metrics`.
    static func indexMiB(metricsPort: Int) -> Double {
        guard let text = try? runCommand("/usr/bin/curl", ["-sf", "http://127.0.0.1:\(metricsPort)/metrics"]) else { return 0 }
        let line = text.split(separator: "\n").first { $0.hasPrefix("tearline_entity_index_bytes ") }
        return (line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0) / 1_048_576
    }

    static func residentMiB(pid: Int32) -> Double {
        Double(ProcessMemory.residentBytes(pid: pid) ?? 0) / 1_048_576
    }

    /// `mix`: `mixed` (4 creations, 3 releases, 3 views in 10), or `create`, `release`, `view` only.
    static func script(releaser: String, reader: String, reportIds: [String], mix: String) -> String {
        let pick = ["create": "0", "release": "5", "view": "9"][mix].map { "local k = \($0)" } ?? "local k = i % 10"
        return """
        local ids = \(HTTPBenchmark.luaList(reportIds))
        local i = 0
        request = function()
          i = i + 1
          \(pick)
          if k < 4 then
            local marking = "(S//REL TO USA, GBR)"
            if i % 50 == 0 then marking = "(S//ZX" .. i .. "//REL TO USA, GBR)" end
            local body = '{"title":"Soak ' .. i .. '","titleMarking":"(U)","sourceGrade":"B2","topics":["counter-terrorism"],' ..
              '"portions":[{"marking":"' .. marking .. '","text":"Soak portion ' .. i .. ': the courier ' .. math.random(1, 1000000) ..
              ' met the financier at the port."}],"entities":[{"type":"person","value":"Soak Person ' .. (i % 5000) .. '","portion":0}]}'
            return wrk.format("POST", "/v1/reports", { ["Authorization"] = "Bearer \(releaser)", ["Content-Type"] = "application/json" }, body)
          elseif k < 7 then
            return wrk.format("POST", "/v1/reports/" .. ids[(i % #ids) + 1] .. "/releases",
              { ["Authorization"] = "Bearer \(releaser)", ["Content-Type"] = "application/json" }, '{"recipient":"GBR"}')
          else
            return wrk.format("GET", "/v1/reports/" .. ids[(i % #ids) + 1], { ["Authorization"] = "Bearer \(reader)" })
          end
        end
        """
    }
}
