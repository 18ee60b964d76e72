import Foundation
import Hummingbird
import HTTPTypes

/// Refuses a form posted from another site before anything reads it: an `Origin` that is not
/// this host, or a browser saying the request is cross-site. (The SameSite=Strict cookie and the
/// CSRF token refuse it as well; this is the first of three locks.)
struct ConsoleOriginMiddleware<Context: AuthenticatedRequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .post {
            let host = request.head.authority ?? ""
            // why "null" passes here: a browser sends it for an opaque origin or under a strict
            // referrer policy; such a post still lacks the SameSite cookie and the CSRF token.
            if let origin = request.headers[.origin], origin != "null" {
                guard let url = URL(string: origin), let originHost = url.host, hostMatches(originHost, port: url.port, host: host) else {
                    return refused()
                }
            }
            if let site = request.headers[.secFetchSite], site == "cross-site" { return refused() }
        }
        return try await next(request, context)
    }

    private func hostMatches(_ originHost: String, port: Int?, host: String) -> Bool {
        let expected = port.map { "\(originHost):\($0)" } ?? originHost
        return expected.lowercased() == host.lowercased()
    }

    private func refused() -> Response {
        var response = ConsoleResponse.html("<!DOCTYPE html><title>Refused</title><p>A form posted from another site is refused.</p>", status: .forbidden)
        response.headers[.contentType] = "text/html; charset=utf-8"
        return response
    }
}

extension HTTPField.Name {
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}

/// Finds the console session in its cookie and the caller behind it, read afresh on every page
/// (a suspension or a throttle holds at the next one). Without a live session the browser is
/// sent to sign in. With `gated`, a suspended or throttled member sees why, and nothing else.
struct ConsoleSessionMiddleware<Context: AuthenticatedRequestContext>: RouterMiddleware {
    let service: TearlineService
    let cookies: ConsoleCookies
    let policy: ConsoleSessionPolicy
    let gated: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.cookies[cookies.session]?.value, !token.isEmpty, token.utf8.count <= 256 else {
            return ConsoleResponse.redirect("/sign-in")
        }
        guard let caller = try await service.members.consoleCaller(session: token, policy: policy) else {
            return ConsoleResponse.redirect("/sign-in", cookies: [cookies.clear(cookies.session)])
        }
        var context = context
        context.caller = caller
        context.consoleSession = token
        if gated {
            do {
                try await service.members.admit(caller, method: request.method.rawValue, path: request.uri.path)
            } catch let error as ServiceError {
                let identity = service.members.identity(caller)
                let body = MessageBody(heading: error.kind == .throttled ? "Your access is throttled" : "Your access is suspended",
                                       message: identity.restriction ?? error.detail, reasons: error.reasons, signOut: true)
                let page = ConsolePage(title: body.heading, banner: nil, session: ConsoleSessionView(caller: caller, session: token), body: body)
                return ConsoleResponse.html(try ConsoleTemplates.render(page, template: "message"), status: .init(code: error.httpStatus))
            }
        }
        return try await next(request, context)
    }
}
