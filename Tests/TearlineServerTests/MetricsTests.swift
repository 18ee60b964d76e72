import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import TearlineServer
import Testing

/// `/metrics` counts requests, decisions (allowed and denied, by reason), audit commits and
/// alerts, and never holds report text, titles, entity names or tokens. On the API port it needs
/// the metrics token.
@Suite struct MetricsTests {
    /// swift-metrics is bootstrapped once per process; every test shares this registry.
    static let exporter = MetricsExporter.bootstrap()
    static let token = String(repeating: "m", count: 40)

    /// The value of the sample whose line starts with `prefix` (name and labels), or 0.
    static func sample(_ text: String, _ prefix: String) -> Double {
        text.split(separator: "\n").first { $0.hasPrefix(prefix + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test func decisionsRequestsAndAuditAreCountedWithoutContent() async throws {
        let exporter = Self.exporter
        try await withWorld(.sqliteFile) { w in
            let before = String(decoding: await exporter.render(service: w.service), as: UTF8.self)
            let title = "Metrics probe title \(UUID().uuidString.prefix(8))"
            var body = reportBody(title: title, portions: [portion("(S//REL TO USA, GBR)", "Zarqawi courier network text.")])
            body["entities"] = [["type": "person", "value": "Abu Metricsprobe", "portion": 0]]
            let reportId = try await w.createReport(body)
            #expect(try await w.get("/v1/reports/\(reportId)", as: "usa-senior").code == 200)
            #expect(try await w.get("/v1/reports/\(reportId)", as: "gbr-analyst-secret").code == 404)
            let after = String(decoding: await exporter.render(service: w.service), as: UTF8.self)

            let allowed = Self.sample(after, #"tearline_decisions_total{action="report.read",decision="allow"}"#)
                - Self.sample(before, #"tearline_decisions_total{action="report.read",decision="allow"}"#)
            let denied = Self.sample(after, #"tearline_decisions_total{action="report.read",decision="deny"}"#)
                - Self.sample(before, #"tearline_decisions_total{action="report.read",decision="deny"}"#)
            #expect(allowed >= 1, "an allowed read is counted")
            #expect(denied >= 1, "a denied read is counted")
            #expect(after.contains("tearline_denials_total{reason=\""), "denials are counted by reason")
            #expect(after.contains("tearline_audit_batch_size_bucket"), "audit group commits are measured")
            #expect(after.contains("tearline_entity_index_entities"))
            #expect(after.contains("tearline_store_wait_seconds_bucket{backend=\"sqlite\""))
            for secret in [title, "Zarqawi", "Abu Metricsprobe", "Metricsprobe", w.token("usa-senior"), w.token("gbr-analyst-secret")] {
                #expect(!after.contains(secret), "the metrics hold \(secret)")
            }
        }
    }

    @Test func theMetricsRouteOnTheAPIPortNeedsTheToken() async throws {
        let exporter = Self.exporter
        try await withWorld(.sqliteMemory) { w in
            let access = try #require(MetricsAccess(exporter: exporter, token: Self.token))
            #expect(MetricsAccess(exporter: exporter, token: "short") == nil, "a short token is refused")
            let app = Application(router: buildRouter(service: w.service, observer: RequestObserver(accessLog: false), metrics: access))
            try await app.test(.router) { client in
                _ = try await client.execute(uri: "/healthz", method: .get) { $0.status }
                for header in [nil, "Bearer wrong", "Bearer " + w.token("usa-senior"), Self.token] as [String?] {
                    var headers: HTTPFields = [:]
                    if let header { headers[.authorization] = header }
                    #expect(try await client.execute(uri: "/metrics", method: .get, headers: headers) { $0.status } == .unauthorized, "\(header ?? "no token")")
                }
                let (status, body) = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer " + Self.token]) {
                    ($0.status, String(buffer: $0.body))
                }
                #expect(status == .ok)
                #expect(body.contains(#"tearline_http_requests_total{method="GET",route="/healthz",status="200"}"#), "\(body.prefix(400))")
            }
        }
    }
}
