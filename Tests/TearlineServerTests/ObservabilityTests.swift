import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
@testable import TearlineServer
import Testing

/// Every request gets an id (answered in `X-Request-Id`) and one access log line with route,
/// status and duration, never the query, the body or a token; JSON log lines are one valid
/// object each.
@Suite struct ObservabilityTests {
    final class Lines: @unchecked Sendable {
        // why @unchecked: `stored` is guarded by `lock`.
        private let lock = NSLock()
        private var stored: [(message: String, metadata: [String: String])] = []
        var all: [(message: String, metadata: [String: String])] { lock.withLock { stored } }
        func append(_ message: String, _ metadata: [String: String]) { lock.withLock { stored.append((message, metadata)) } }

        var logger: Logger { Logger(label: "captured") { _ in Handler(sink: self) } }

        struct Handler: LogHandler {
            let sink: Lines
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .info
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) {
                let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
                sink.append(event.message.description, merged.mapValues { "\($0)" })
            }
        }
    }

    @Test func everyRequestHasAnIdAndOneAccessLineWithoutContent() async throws {
        try await withWorld(.sqliteMemory) { w in
            let lines = Lines()
            let app = Application(router: buildRouter(service: w.service, observer: RequestObserver(accessLog: true)), logger: lines.logger)
            try await app.test(.router) { client in
                let token = w.token("usa-analyst")
                let secretQuery = "/v1/entities/search?value=Abu%20Example"
                let first = try await client.execute(uri: secretQuery, method: .get, headers: [.authorization: "Bearer \(token)"]) { $0.headers[.requestId] }
                let given = try await client.execute(uri: "/healthz", method: .get, headers: [.requestId: "proxy-id.42_a"]) { $0.headers[.requestId] }
                let refused = try await client.execute(uri: "/healthz", method: .get, headers: [.requestId: "bad id\u{7f}<script>"]) { $0.headers[.requestId] }
                let body = try JSONSerialization.data(withJSONObject: BadInputTests.validReport)
                _ = try await client.execute(uri: "/v1/reports", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                             body: ByteBuffer(bytes: body)) { $0.status }
                #expect(first?.count == 32, "a server id: \(first ?? "none")")
                #expect(given == "proxy-id.42_a", "a safe client id is kept")
                #expect(refused != nil && refused != "bad id\u{7f}<script>", "an unsafe client id is replaced")

                let access = lines.all.filter { $0.message == "request" }
                #expect(access.count == 4, "one line per request: \(access)")
                #expect(access.map { $0.metadata["route"] } == ["/v1/entities/search", "/healthz", "/healthz", "/v1/reports"])
                #expect(access.allSatisfy { $0.metadata["status"] != nil && $0.metadata["duration_ms"] != nil && $0.metadata["method"] != nil })
                #expect(access.map { $0.metadata["hb.request.id"] }.compactMap { $0 }.contains("proxy-id.42_a"))
                let everything = lines.all.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
                for secret in ["Abu", "Example", token, "Secret portion", "Open portion"] {
                    #expect(!everything.contains(secret), "the log holds \(secret)")
                }
            }
        }
    }

    @Test func aJSONLogLineIsOneObjectWithEscapedText() throws {
        let quoted = JSONLogHandler.quoted("line\none \"two\" \\ \u{1}")
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(decoded == ["line\none \"two\" \\ \u{1}"])
        #expect(!quoted.contains("\n"), "one line per message")
    }

    @Test func requestIdsAreShortSafeTokens() {
        #expect(RequestLogMiddleware<TearlineRequestContext>.isSafeId("abc-DEF_1.2"))
        #expect(!RequestLogMiddleware<TearlineRequestContext>.isSafeId(""))
        #expect(!RequestLogMiddleware<TearlineRequestContext>.isSafeId(String(repeating: "a", count: 65)))
        #expect(!RequestLogMiddleware<TearlineRequestContext>.isSafeId("a b"))
        #expect(!RequestLogMiddleware<TearlineRequestContext>.isSafeId("a\nb"))
    }
}
