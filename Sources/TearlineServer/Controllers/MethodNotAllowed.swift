import Hummingbird

/// Answers 405 with an `Allow` header for a path the router knows under other methods.
///
/// Hummingbird's router answers 404 when a path has no route for the request's method. This
/// middleware sits only in front of the router's not-found responder (it is added after every
/// route, and Hummingbird applies a middleware to the routes added after it and to the
/// not-found responder). It resolves the path in a second router holding, for every known
/// path pattern, a responder for each method the pattern does not take; that router resolves
/// paths exactly as the real one does. An unknown path still answers the same 404.
///
/// why: the answer depends only on the route patterns, never on data, so it tells an
/// unauthenticated caller nothing about what exists.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The methods a 405 may answer for; others keep the 404.
    static var methods: [HTTPRequest.Method] { [.get, .head, .post, .put, .patch, .delete, .options] }

    let others: RouterResponder<Context>

    /// Built from the routes of `router` (call after every route is registered).
    init(routes: [Router<Context>.RouteDescription]) {
        var allowed: [String: (path: RouterPath, methods: Set<HTTPRequest.Method>)] = [:]
        for route in routes {
            allowed[route.path.description, default: (route.path, [])].methods.insert(route.method)
        }
        let others = Router(context: Context.self)
        for (path, methods) in allowed.values {
            let allow = Self.methods.filter { methods.contains($0) }.map(\.rawValue).joined(separator: ", ")
            for method in Self.methods where !methods.contains(method) {
                others.on(path, method: method) { _, _ in Self.response(allow: allow) }
            }
        }
        self.others = others.buildResponder()
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let answer = try await others.respond(to: request, context: context)
        if answer.status == .methodNotAllowed { return answer }
        return try await next(request, context)
    }

    static func response(allow: String) -> Response {
        var response = Problem(status: 405, type: "method-not-allowed", title: "Method not allowed",
                               detail: "This path takes \(allow).").response()
        response.headers[.allow] = allow
        return response
    }
}
