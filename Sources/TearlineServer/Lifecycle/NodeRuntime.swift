import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TearlineStore

/// Runs a node's services (and the metrics listener, when asked) under swift-service-lifecycle, and stops them in order on SIGTERM or
/// SIGINT:
///
/// 1. readiness answers 503 (``ShutdownSignal``), so a load balancer sends no new work;
/// 2. the federation puller stops (a pull under way is abandoned; it is all-or-nothing);
/// 3. the HTTP server stops accepting, and in-flight requests finish (their audit is committed
///    before each answers, so every acknowledged request is in the log);
/// 4. the audit head is signed over the last entry, and the store lets go of its database.
///
/// Steps 1–3 have `shutdownTimeout` between them; past it, what is still running is cancelled.
/// Step 4 runs in any case. The process then exits 0.
public enum NodeRuntime {
    public static func run(
        app: some ApplicationProtocol, service: TearlineService, puller: (FederationPuller, peers: [String], interval: Duration)?,
        draining: ShutdownSignal, shutdownTimeout: Duration, logger: Logger, metrics: MetricsListener? = nil
    ) async throws {
        var services: [any Service] = [ShutdownFinisher(service: service, logger: logger), app]
        if let metrics {
            services.append(Application(router: metrics.exporter.router(service: service),
                                        configuration: .init(address: .hostname(metrics.host, port: metrics.port), serverName: "Tearline"),
                                        logger: logger))
        }
        if let puller { services.append(FederationPullService(puller: puller.0, peers: puller.peers, interval: puller.interval, logger: logger)) }
        services.append(DrainSignalService(draining: draining, logger: logger))
        var configuration = ServiceGroupConfiguration(services: services.map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = shutdownTimeout
        configuration.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: configuration).run()
    }
}

/// Waits for the shutdown signal, then marks the node as draining.
struct DrainSignalService: Service {
    let draining: ShutdownSignal
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        draining.beginDraining()
        logger.notice("shutting down: readiness off, draining in-flight requests")
    }
}

/// The federation puller, stopped when the node shuts down.
struct FederationPullService: Service {
    let puller: FederationPuller
    let peers: [String]
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await puller.run(peers: peers, interval: interval, logger: logger)
        }
    }
}

/// The last to stop: once the server has drained, signs the audit head over the last entry and
/// closes the store.
struct ShutdownFinisher: Service {
    let service: TearlineService
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        let store = service.store
        let logger = logger
        // why detached: when the drain ran out of time the group is cancelled, and the head is still signed.
        await Task.detached {
            do {
                if let head = try await store.sealAuditHead() {
                    logger.notice("audit head signed", metadata: ["seq": .stringConvertible(head.seq)])
                }
            } catch {
                logger.error("could not sign the audit head at shutdown", metadata: ["error": .string("\(type(of: error))")])
            }
            await store.close()
        }.value
        logger.notice("stopped")
    }
}

/// A listener of its own for `/metrics` (plain HTTP, loopback by default).
public struct MetricsListener: Sendable {
    public let exporter: MetricsExporter
    public let host: String
    public let port: Int

    public init(exporter: MetricsExporter, host: String, port: Int) {
        self.exporter = exporter
        self.host = host
        self.port = port
    }
}
