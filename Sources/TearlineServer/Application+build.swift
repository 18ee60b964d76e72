import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging

/// Where the committed OpenAPI document is served from.
public enum OpenAPIDocument {
    public static func data() -> Data? {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else { return nil }
        return try? Data(contentsOf: url)
    }
}

/// Builds the router with every route of the API. `scheme` is how clients reach the server
/// (`https` behind TLS): TAXII discovery lists absolute URLs.
///
/// The console is served at `/`; `consoleSessions` says how long its sessions last.
///
/// `observer` is told of every answered request (the access log line, the request metrics); it
/// is off unless given, so tests stay quiet.
public func buildRouter(service: TearlineService, scheme: String = "http", consoleSessions: ConsoleSessionPolicy = .standard,
                        draining: ShutdownSignal = ShutdownSignal(),
                        observer: RequestObserver = RequestObserver(accessLog: false), metrics: MetricsAccess? = nil) -> Router<TearlineRequestContext> {
    let router = Router(context: TearlineRequestContext.self)
    // why first: it sees the answer ProblemMiddleware made of any error, and times the whole request.
    router.add(middleware: RequestLogMiddleware(observer: observer))
    router.add(middleware: ProblemMiddleware())
    let openAPI = OpenAPIDocument.data() ?? Data("{}".utf8)
    HealthController(service: service, draining: draining).register(on: router)
    metrics?.register(on: router, service: service)
    router.get("/openapi.json") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: openAPI)))
    }
    // why groups: every route but these few is authenticated by middleware before it runs.
    let routes = APIRoutes(router: router, service: service)
    OrganizationController(service: service).register(on: routes)
    PartnershipController(service: service).register(on: routes)
    ReportController(service: service).register(on: routes)
    ReleaseController(service: service).register(on: routes)
    ConsentController(service: service).register(on: routes)
    AuditController(service: service).register(on: routes)
    AlertController(service: service).register(on: routes)
    EntityController(service: service).register(on: routes)
    AccessRequestController(service: service).register(on: routes)
    FeedbackController(service: service).register(on: routes)
    TrustController(service: service).register(on: routes)
    LedgerController(service: service).register(on: routes)
    MISPFeedController(service: service).register(on: routes)
    TAXIIController(service: service, scheme: scheme).register(on: router)
    FederationController(service: service).register(on: router)
    ConsoleController(service: service, cookies: ConsoleCookies(secure: scheme == "https"), policy: consoleSessions).register(on: router)
    // why last: it then stands only in front of the not-found answer, and knows every route.
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
    return router
}

/// Builds the Hummingbird application on the given host and port; with `tls`, it serves HTTPS
/// (see `NodeTLS.serverConfiguration`), otherwise plain HTTP. Refused TLS handshakes are logged
/// to `logger`, at most one line per client address every `handshakeLogInterval` seconds.
/// `edge` holds every connection to its timeouts and per-client cap (see ``HTTPEdgeHandler``).
public func buildApplication(
    service: TearlineService, host: String, port: Int, logger: Logger, tls: TLSChannelConfiguration? = nil,
    handshakeLogInterval: TimeInterval = 60, edge: HTTPEdgeLimits = .standard, observer: RequestObserver = RequestObserver(),
    draining: ShutdownSignal = ShutdownSignal(), metrics: MetricsAccess? = nil
) throws -> some ApplicationProtocol {
    let clients = ClientConnections(cap: edge.connectionsPerClient)
    let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [HTTPEdgeHandler(limits: edge, clients: clients)])
    let handshakes = RefusedHandshakeLog(logger: logger, interval: handshakeLogInterval)
    return Application(
        router: buildRouter(service: service, scheme: tls == nil ? "http" : "https", draining: draining, observer: observer, metrics: metrics),
        server: tls.map { HTTPServerBuilder.loggedTLS(configuration: $0, http1: http1, log: handshakes) } ?? .http1(configuration: http1),
        configuration: .init(address: .hostname(host, port: port), serverName: "Tearline"),
        logger: logger)
}
