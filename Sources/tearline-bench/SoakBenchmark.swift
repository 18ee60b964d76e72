import Foundation

/// `tearline-bench --soak [--minutes 10] [--connections 16]`: mixed writes for a long while
/// against a release-built `tearline serve`, sampling the server's resident memory every 30 s.
/// Four requests in ten create a report (unique text, an entity from a pool of 5,000, now and
/// then a marking with a compartment never seen before, which is refused), three release a seeded
/// report to the partner, three view one. Prints one line per sample and compares the last third
/// with the middle third: a server whose caches are bounded levels off.
enum SoakBenchmark {
    static func run(binary: String, directory: String, minutes: Int, connections: Int) async throws {
        let db = directory + "/soak.db"
        let seeded = try await HTTPBenchmark.seed(path: db, reports: 200)
        let port = 18_097
        let server = try HTTPBenchmark.startServer(binary: binary, store: ["--db", db], port: port)
        defer { server.terminate(); server.waitUntilExit() }
        let script = Self.script(releaser: seeded.releaser, reader: seeded.reader, reportIds: seeded.reportIds)
        let samples = max(3, minutes * 2)
        print("soak: \(minutes) min of mixed writes, \(connections) connections; RSS of the server every 30 s")
        print("   t      req/s   non-2xx    RSS MiB")
        var rss: [Double] = []
        for sample in 1...samples {
            let figures = try HTTPBenchmark.wrk(script: script, port: port, seconds: 30, connections: connections)
            let resident = Self.residentMiB(pid: server.processIdentifier)
            rss.append(resident)
            print(String(format: "%5d s %9.0f %9d %10.1f", sample * 30, figures.requestsPerSecond, figures.non2xx, resident))
        }
        let third = rss.count / 3
        let middle = rss[third..<(2 * third)].reduce(0, +) / Double(third)
        let last = rss[(rss.count - third)...].reduce(0, +) / Double(third)
        let perMinute = (last - middle) / (Double(third) * 0.5)
        print(String(format: "RSS: middle third %.1f MiB, last third %.1f MiB: %+.2f MiB per minute between them (levelled off when near 0)",
                     middle, last, perMinute))
    }

    static func residentMiB(pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    static func script(releaser: String, reader: String, reportIds: [String]) -> String {
        """
        local ids = \(HTTPBenchmark.luaList(reportIds))
        local i = 0
        request = function()
          i = i + 1
          local k = i % 10
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
