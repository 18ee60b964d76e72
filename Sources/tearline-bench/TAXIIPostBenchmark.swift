import Foundation
import TearlineServer

/// TAXII 2.1 POST of envelopes from a compiled load client: `wrk` (C) with a Lua script that
/// builds every envelope with new object ids, against a release-built `tearline serve`.
///
/// Each envelope holds `envelope` indicators, marked TLP:GREEN, each with its own id and IPv4
/// pattern; the server parses, admits (markings, the author rule), stores each object sealed,
/// and audits the request before it answers.
enum TAXIIPostBenchmark {
    struct Figures {
        var requestsPerSecond: Double
        var objectsPerSecond: Double
        var p50: String
        var p99: String
        var non2xx: Int
        /// Answers that did not report every object of the envelope stored.
        var incomplete: Int
    }

    /// Seeds `path`: organisations and members as the HTTP benchmark does, and one community
    /// collection USA reads and writes. Returns the poster's token and the collection's id.
    static func seed(path: String) async throws -> (token: String, collection: String) {
        let service = try await TearlineService.open(databasePath: path)
        let seeded = try await HTTPBenchmark.seed(service: service, reports: 1)
        let collection = try await service.taxii.createCollection(
            .init(id: nil, apiRoot: nil, title: "Bench", description: "empty writable collection", alias: nil,
                  readers: ["USA"], writers: ["USA"], topics: [], defaultMarking: "TLP:GREEN"), by: .nodeAdmin)
        return (seeded.releaser, collection.id)
    }

    static func run(binary: String, directory: String, port: Int, seconds: Int, connections: Int, envelope: Int) async throws -> Figures {
        let db = directory + "/taxii-post.db"
        let (token, collection) = try await seed(path: db)
        let server = try HTTPBenchmark.startServer(binary: binary, store: ["--db", db], port: port)
        defer { server.terminate(); server.waitUntilExit() }
        let figures = try HTTPBenchmark.wrk(script: script(token: token, collection: collection, envelope: envelope),
                                            port: port, seconds: seconds, connections: connections)
        let incomplete = figures.output.split(separator: "\n").first { $0.hasPrefix("Incomplete envelopes:") }?
            .split(separator: " ").last.flatMap { Int($0) } ?? -1
        return Figures(requestsPerSecond: figures.requestsPerSecond, objectsPerSecond: figures.requestsPerSecond * Double(envelope),
                       p50: figures.p50, p99: figures.p99, non2xx: figures.non2xx, incomplete: incomplete)
    }

    /// Each request: an envelope of `envelope` indicators with ids never posted before (a
    /// counter per connection thread, mixed into the UUID), so that no object is a repeat. Each
    /// answer is checked: a status of 202 whose `success_count` is the whole envelope; `done`
    /// prints how many were not.
    static func script(token: String, collection: String, envelope: Int) -> String {
        """
        local threads = {}
        function setup(thread) table.insert(threads, thread) end
        bad = 0
        response = function(status, headers, body)
          if status ~= 202 or not string.find(body, '"success_count":%s*\(envelope)[,}]') then bad = bad + 1 end
        end
        function done(summary, latency, requests)
          local total = 0
          for _, t in ipairs(threads) do total = total + t:get("bad") end
          io.write("Incomplete envelopes: " .. total .. "\\n")
        end
        local counter = 0
        local stamp = "2026-12-04T10:00:00.000Z"
        local green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
        local seed = math.random(0, 0xffffff)
        request = function()
          local objects = {}
          for k = 1, \(envelope) do
            counter = counter + 1
            local id = string.format("indicator--%08x-%04x-4%03x-8000-%012x", seed, counter % 0x10000, k % 0x1000, counter)
            local ip = string.format("%d.%d.%d.%d", 10 + counter % 200, math.floor(counter / 65536) % 256, math.floor(counter / 256) % 256, counter % 256)
            objects[k] = '{"type":"indicator","spec_version":"2.1","id":"' .. id .. '","created":"' .. stamp .. '","modified":"' .. stamp ..
              '","name":"Bench indicator ' .. counter .. '","indicator_types":["malicious-activity"],"pattern":"[ipv4-addr:value = \\'' .. ip ..
              '\\']","pattern_type":"stix","valid_from":"' .. stamp .. '","object_marking_refs":["' .. green .. '"]}'
          end
          local body = '{"objects":[' .. table.concat(objects, ",") .. ']}'
          return wrk.format("POST", "/tearline/collections/\(collection)/objects/",
            { ["Authorization"] = "Bearer \(token)", ["Content-Type"] = "application/taxii+json;version=2.1",
              ["Accept"] = "application/taxii+json;version=2.1" }, body)
        end
        """
    }
}
