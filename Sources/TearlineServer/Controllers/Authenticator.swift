import Hummingbird
import TearlineStore

/// Resolves `Authorization: Bearer <token>`; a missing or forged token is 401 and is audited.
struct Authenticator: Sendable {
    let service: TearlineService

    /// The bearer token, when the header is well formed; for routes that resolve it in their own transaction.
    func token(_ request: Request) async throws -> String {
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

    /// The authenticated caller, past the gate: a throttled member is refused with 429 and a
    /// suspended one with 403, audited (see ``TearlineService/admit(_:method:path:)``).
    func caller(_ request: Request) async throws -> Caller {
        let caller = try await identity(request)
        try await service.members.admit(caller, method: request.method.rawValue, path: request.uri.path)
        return caller
    }

    /// The authenticated caller without the gate: only for `GET /v1/me`, which tells a throttled
    /// or suspended member why it may do nothing else.
    func identity(_ request: Request) async throws -> Caller {
        let token = try await token(request)
        guard let caller = try await service.members.authenticate(token: token) else {
            try await service.members.auditUnauthenticated(path: request.uri.path)
            throw Problem.unauthorized("The bearer token is not valid.")
        }
        return caller
    }
}
