import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import TearlineServer
import Testing

/// Errors say what is wrong: the field with a number of the wrong kind, the methods a path
/// takes, and a header block too large.
@Suite struct ClearErrorsTests {
    @Test(arguments: TestBackend.allCases) func aNumberOfTheWrongKindNamesTheField(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            for lexeme in ["1.5", "1e20", "9223372036854775808", "2.0"] {
                let body = try BadInputTests.reportJSON { _ in }.dropLast()
                    + #","entities":[{"type":"person","value":"Abu Example","portion":\#(lexeme)}]}"#
                let reply = try await w.send(.post, "/v1/reports", as: "usa-releaser", raw: String(body))
                BadInputTests.expectProblem(reply, 400, "invalid-request", detailContains: "entities[0].portion must be an integer")
                #expect(reply.string("detail")?.contains(lexeme) == true, "\(reply)")
            }
            try await BadInputTests.expectNoReports(w)
            let search = try await w.send(.post, "/v1/entities/search", as: "usa-analyst", raw: #"{"kind":"person","value":"x","limit":1e3}"#)
            BadInputTests.expectProblem(search, 400, "invalid-request", detailContains: "limit must be an integer")
        }
    }

    @Test(arguments: TestBackend.allCases) func aKnownPathWithAnotherMethodAnswers405WithAllow(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.delete, "/v1/reports", "GET, POST"),
                (.put, "/v1/reports", "GET, POST"),
                (.get, "/v1/trace", "POST"),
                (.post, "/v1/reports/rpt_00000000000000000000000000000000/verify", "GET"),
                (.put, "/tearline/collections/abc/objects/", "GET, POST"),
            ]
            for (method, path, allow) in cases {
                for who in ["usa-senior", nil] as [String?] {
                    let reply = try await w.send(method, path, as: who)
                    BadInputTests.expectProblem(reply, 405, "method-not-allowed", detailContains: allow)
                    #expect(reply.headers[.allow] == allow, "\(method) \(path)")
                }
            }
            // The method that the path takes still works.
            #expect(try await w.get("/v1/reports", as: "usa-senior").code == 200)
        }
    }

    @Test(arguments: TestBackend.allCases) func anUnknownPathStillAnswers404(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let reference = try await w.get("/v1/no-such-thing", as: "usa-senior")
            BadInputTests.expectProblem(reference, 404, "not-found")
            #expect(reference.headers[.allow] == nil)
            for (method, path) in [(HTTPRequest.Method.post, "/v1/no-such-thing"), (.delete, "/v1/reports/x/y/z"), (.get, "/v1/reports/x/unknown")] {
                let reply = try await w.send(method, path, as: nil)
                #expect(reply.code == 404, "\(method) \(path): \(reply)")
                #expect(reply.body == reference.body)
                #expect(reply.headers[.allow] == nil)
            }
        }
    }

    @Test func anOversizedHeaderBlockAnswers431() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tearline-431-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let service = try await TearlineService.open(databasePath: directory.appendingPathComponent("t.db").path)
        let app = try buildApplication(service: service, host: "127.0.0.1", port: 0, logger: quietLogger)
        try await app.test(.live) { client in
            let padding = HTTPField.Name("X-Padding")!
            let big: HTTPFields = [padding: String(repeating: "a", count: 100 * 1024)]
            let reply = try await client.execute(uri: "/healthz", method: .get, headers: big) { response in
                (response.status.code, response.headers[.contentType], String(buffer: response.body))
            }
            #expect(reply.0 == 431)
            #expect(reply.1 == "application/problem+json")
            let problem = try JSONSerialization.jsonObject(with: Data(reply.2.utf8)) as? [String: Any]
            #expect(problem?["status"] as? Int == 431)
            #expect(problem?["type"] as? String == problemTypePrefix + "header-fields-too-large")
        }
        // A header block within the limit is served as before, on a fresh server.
        try await app.test(.live) { client in
            let reply = try await client.execute(uri: "/healthz", method: .get, headers: [HTTPField.Name("X-Padding")!: "a"]) { $0.status.code }
            #expect(reply == 200)
        }
    }
}
