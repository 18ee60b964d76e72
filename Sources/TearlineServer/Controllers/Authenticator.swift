import Hummingbird
import TearlineStore

/// Resolves `Authorization: Bearer <token>`; a missing or forged token is 401 and is audited.
struct Authenticator: Sendable {
    let service: TearlineService

    /// The bearer token, when the header is well formed; for routes that resolve it in their own transaction.
    func token(_ request: Request) async throws -> String {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            try await service.auditUnauthenticated(path: request.uri.path)
            throw Problem.unauthorized()
        }
        let token = String(header.dropFirst("Bearer ".count))
        guard !token.isEmpty, token.utf8.count <= 256 else {
            try await service.auditUnauthenticated(path: request.uri.path)
            throw Problem.unauthorized("The bearer token is not valid.")
        }
        return token
    }

    func caller(_ request: Request) async throws -> Caller {
        let token = try await token(request)
        guard let caller = try await service.authenticate(token: token) else {
            try await service.auditUnauthenticated(path: request.uri.path)
            throw Problem.unauthorized("The bearer token is not valid.")
        }
        return caller
    }
}
