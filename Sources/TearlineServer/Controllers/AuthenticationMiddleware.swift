import Hummingbird
import TearlineStore

/// A request context that carries who is calling, as the authentication middleware found it.
public protocol AuthenticatedRequestContext: PeerAwareRequestContext {
    /// The authenticated caller, set by ``AuthenticationMiddleware`` (or TAXII's).
    var caller: Caller? { get set }
    /// The bearer token, for routes that resolve it inside their own transaction.
    var bearerToken: String? { get set }
    /// The console session's cookie value, set by the console's session middleware (its forms'
    /// CSRF tokens are bound to it).
    var consoleSession: String? { get set }
}

extension AuthenticatedRequestContext {
    /// The caller the middleware authenticated. A route registered outside an authenticated group
    /// has none and is refused: deny by default.
    func requireCaller() throws -> Caller {
        guard let caller else { throw Problem.unauthorized() }
        return caller
    }

    /// The well-formed bearer token the middleware found.
    func requireToken() throws -> String {
        guard let bearerToken else { throw Problem.unauthorized() }
        return bearerToken
    }
}

/// Authenticates every request of the routes it stands in front of, before the route runs:
/// `Authorization: Bearer <token>`; a missing, malformed or unknown token is 401 and is audited.
///
/// - `gated`: the caller, past the gate — a throttled member is refused with 429 and a suspended
///   one with 403, audited (see ``MemberService/admit(_:method:path:)``).
/// - `identity`: the caller without the gate; only `GET /v1/me`, which tells a restricted member why.
/// - `token`: only the well-formed token, for the hot read routes that resolve it, and gate it,
///   in their one read transaction.
struct AuthenticationMiddleware<Context: AuthenticatedRequestContext>: RouterMiddleware {
    enum Mode: Sendable {
        case gated
        case identity
        case token
    }

    let service: TearlineService
    let mode: Mode

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let token = try await Self.bearerToken(request, service: service)
        switch mode {
        case .token:
            context.bearerToken = token
        case .identity, .gated:
            guard let caller = try await service.members.authenticate(token: token) else {
                try await service.members.auditUnauthenticated(path: request.uri.path)
                throw Problem.unauthorized("The bearer token is not valid.")
            }
            if mode == .gated {
                try await service.members.admit(caller, method: request.method.rawValue, path: request.uri.path)
            }
            context.caller = caller
        }
        return try await next(request, context)
    }

    /// The bearer token, when the header is well formed; otherwise the refusal is audited and 401 thrown.
    static func bearerToken(_ request: Request, service: TearlineService) async throws -> String {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            try await service.members.auditUnauthenticated(path: request.uri.path)
            throw Problem.unauthorized()
        }
        let token = String(header.dropFirst("Bearer ".count))
        guard !token.isEmpty, token.utf8.count <= 256 else {
            try await service.members.auditUnauthenticated(path: request.uri.path)
            throw Problem.unauthorized("The bearer token is not valid.")
        }
        return token
    }
}

/// The route groups of the API, by how a request is authenticated before its route runs.
struct APIRoutes<Context: AuthenticatedRequestContext> {
    /// A member or the node admin, past the gate.
    let gated: RouterGroup<Context>
    /// The caller without the gate (`GET /v1/me`).
    let identity: RouterGroup<Context>
    /// A well-formed bearer token, resolved and gated by the route in its own transaction.
    let token: RouterGroup<Context>

    init(router: Router<Context>, service: TearlineService) {
        gated = router.group().add(middleware: AuthenticationMiddleware(service: service, mode: .gated))
        identity = router.group().add(middleware: AuthenticationMiddleware(service: service, mode: .identity))
        token = router.group().add(middleware: AuthenticationMiddleware(service: service, mode: .token))
    }
}
