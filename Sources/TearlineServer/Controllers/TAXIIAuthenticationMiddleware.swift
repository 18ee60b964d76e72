import Foundation
import Hummingbird
import TearlineStore

/// Authenticates TAXII requests before their route runs: a member's bearer token, or HTTP Basic
/// with a member's login and password; then the gate. Every refusal is a TAXII error message
/// (401 with `WWW-Authenticate`), audited.
///
/// A request without `Authorization` that came over mutual TLS with a client certificate goes on
/// without a caller: a partner node pulling its releases. The route serves that pull only when the
/// certificate is pinned for the collection's organisation, and refuses everything else (401).
struct TAXIIAuthenticationMiddleware<Context: AuthenticatedRequestContext>: RouterMiddleware {
    let service: TearlineService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if request.headers[.authorization] == nil, await context.clientPin() != nil {
            return try await next(request, context)
        }
        do {
            context.caller = try await caller(request)
        } catch {
            guard let answer = TAXIIError(answering: error) else { throw error }
            return answer.response()
        }
        return try await next(request, context)
    }

    /// A bearer token, or HTTP Basic with a member's login and password, past the gate.
    private func caller(_ request: Request) async throws -> Caller {
        let path = request.uri.path
        guard let header = request.headers[.authorization] else {
            try await service.members.auditUnauthenticated(path: path)
            throw TAXIIError.credentialRequired
        }
        let caller: Caller
        if header.hasPrefix("Bearer ") {
            let token = try await AuthenticationMiddleware<Context>.bearerToken(request, service: service)
            guard let found = try await service.members.authenticate(token: token) else {
                try await service.members.auditUnauthenticated(path: path)
                throw Problem.unauthorized("The bearer token is not valid.")
            }
            caller = found
        } else {
            guard header.hasPrefix("Basic "),
                  let data = Data(base64Encoded: String(header.dropFirst("Basic ".count)).trimmingCharacters(in: .whitespaces)),
                  let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else {
                try await service.members.auditUnauthenticated(path: path)
                throw TAXIIError(status: 401, title: "Unauthorized", description: "The Authorization header is not valid.", authenticate: true)
            }
            let login = String(text[..<colon])
            let password = String(text[text.index(after: colon)...])
            guard TAXIIService.isValidLogin(login), password.utf8.count <= 1024,
                  let found = try await service.taxii.authenticate(login: login, password: password, path: path) else {
                if !TAXIIService.isValidLogin(login) || password.utf8.count > 1024 { try await service.members.auditUnauthenticated(path: path) }
                throw TAXIIError(status: 401, title: "Unauthorized", description: "The login or password is not valid.", authenticate: true)
            }
            caller = found
        }
        try await service.members.admit(caller, method: request.method.rawValue, path: path)
        return caller
    }
}
