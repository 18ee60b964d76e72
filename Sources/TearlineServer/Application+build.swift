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
public func buildRouter(service: TearlineService, scheme: String = "http") -> Router<TearlineRequestContext> {
    let router = Router(context: TearlineRequestContext.self)
    router.add(middleware: ProblemMiddleware())
    let auth = Authenticator(service: service)
    let openAPI = OpenAPIDocument.data() ?? Data("{}".utf8)
    router.get("/healthz") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"ok\"}")))
    }
    router.get("/openapi.json") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: openAPI)))
    }
    OrganizationController(service: service, auth: auth).register(on: router)
    PartnershipController(service: service, auth: auth).register(on: router)
    ReportController(service: service, auth: auth).register(on: router)
    ReleaseController(service: service, auth: auth).register(on: router)
    ConsentController(service: service, auth: auth).register(on: router)
    AuditController(service: service, auth: auth).register(on: router)
    AlertController(service: service, auth: auth).register(on: router)
    EntityController(service: service, auth: auth).register(on: router)
    AccessRequestController(service: service, auth: auth).register(on: router)
    FeedbackController(service: service, auth: auth).register(on: router)
    TrustController(service: service, auth: auth).register(on: router)
    LedgerController(service: service, auth: auth).register(on: router)
    TAXIIController(service: service, auth: auth, scheme: scheme).register(on: router)
    FederationController(service: service).register(on: router)
    // why last: it then stands only in front of the not-found answer, and knows every route.
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
    return router
}

/// Builds the Hummingbird application on the given host and port; with `tls`, it serves HTTPS
/// (see `NodeTLS.serverConfiguration`), otherwise plain HTTP. Refused TLS handshakes are logged
/// to `logger`, at most one line per client address every `handshakeLogInterval` seconds.
public func buildApplication(
    service: TearlineService, host: String, port: Int, logger: Logger, tls: TLSChannelConfiguration? = nil,
    handshakeLogInterval: TimeInterval = 60
) throws -> some ApplicationProtocol {
    // why the handler: an oversized header block answers 431 with a problem, not a bare 400.
    let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [HeaderOverflowHandler()])
    let handshakes = RefusedHandshakeLog(logger: logger, interval: handshakeLogInterval)
    return Application(
        router: buildRouter(service: service, scheme: tls == nil ? "http" : "https"),
        server: tls.map { HTTPServerBuilder.loggedTLS(configuration: $0, http1: http1, log: handshakes) } ?? .http1(configuration: http1),
        configuration: .init(address: .hostname(host, port: port), serverName: "Tearline"),
        logger: logger)
}
