import Foundation
import Hummingbird
import Metrics
import NIOCore
import Prometheus
import Synchronization
import TearlineCore
import TearlineStore

/// The node's Prometheus metrics: swift-metrics is bootstrapped with a swift-prometheus registry,
/// and `/metrics` renders it, after refreshing the gauges that are read rather than counted (the
/// entity index's size, the federation pull lag, the process's resident memory).
///
/// What is exported never holds report text, titles, entity names or tokens: labels are route
/// patterns, methods, statuses, actions, decisions, reason codes, alert kinds and partner
/// organisation ids.
public final class MetricsExporter: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// Makes swift-metrics report into a new registry; call once per process, before any metric.
    public static func bootstrap() -> MetricsExporter {
        let exporter = MetricsExporter()
        MetricsSystem.bootstrap(exporter.factory)
        return exporter
    }

    /// The factory that records into ``registry``, with buckets that suit a request server.
    public var factory: PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        factory.defaultValueHistogramBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
        return factory
    }

    /// The text exposition of every metric, gauges refreshed first.
    public func render(service: TearlineService) async -> [UInt8] {
        if let (entities, bytes) = try? await service.store.read({ session in session.withEntityIndex { ($0.entityCount, $0.approximateBytes) } }) {
            Gauge(label: "tearline_entity_index_entities").record(entities)
            Gauge(label: "tearline_entity_index_bytes").record(bytes)
        }
        Gauge(label: "tearline_storage_fault").record(service.store.storageHealth.fault == nil ? 0 : 1)
        for (peer, last) in FederationPullClock.shared.lastSuccesses() {
            Gauge(label: "tearline_federation_pull_lag_seconds", dimensions: [("peer", peer)]).record(Date().timeIntervalSince(last))
        }
        if let resident = ProcessMemory.residentBytes() {
            Gauge(label: "tearline_process_resident_memory_bytes").record(resident)
        }
        Gauge(label: "tearline_tag_table_names").record(TagTable.shared.count)
        return registry.emitToBuffer()
    }

    /// The `/metrics` response.
    func response(service: TearlineService) async -> Response {
        let bytes = await render(service: service)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A router with `/metrics` only, for the loopback metrics listener (`--metrics-port`).
    public func router(service: TearlineService) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/metrics") { _, _ in await self.response(service: service) }
        return router
    }
}

/// When each partner node was last pulled from successfully, for the lag gauge.
final class FederationPullClock: Sendable {
    static let shared = FederationPullClock()
    private let successes = Mutex<[String: Date]>([:])

    func succeeded(peer: String, at date: Date = Date()) { successes.withLock { $0[peer] = date } }

    func lastSuccesses() -> [String: Date] { successes.withLock { $0 } }
}

/// The process's memory, as the kernel counts it.
public enum ProcessMemory {
    /// Resident set size in bytes of this process, or of process `pid` (Linux `/proc/…/statm`); nil elsewhere.
    public static func residentBytes(pid: Int32? = nil) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid.map(String.init) ?? "self")/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
