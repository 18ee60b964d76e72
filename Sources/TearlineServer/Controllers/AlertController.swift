import Hummingbird

/// `/v1/alerts` for security members, lifting a member's throttle, and tracing a leaked text.
struct AlertController<Context: RequestContext>: Sendable {
    let service: TearlineService
    let auth: Authenticator

    func register(on router: Router<Context>) {
        router.get("/v1/alerts") { request, _ in
            let caller = try await auth.caller(request)
            let status = request.uri.queryParameters.get("status") ?? "open"
            guard status == "open" || status == "all" else { throw Problem.badRequest("status must be open or all.") }
            let paging = try Paging(request)
            guard paging.cursor == nil else { throw Problem.badRequest("alerts take no cursor; use limit.") }
            return try JSONResponse.make(try await service.audit.alerts(by: caller, openOnly: status == "open", limit: paging.limit))
        }
        router.post("/v1/trace") { request, _ in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(TraceRequest.self)
            return try JSONResponse.make(try await service.reports.trace(text: input.text, showWeak: input.showWeak ?? false, by: caller))
        }
        router.post("/v1/members/:id/lift-throttle") { request, context in
            let caller = try await auth.caller(request)
            return try JSONResponse.make(try await service.audit.liftThrottle(member: try context.parameters.id(), by: caller))
        }
    }
}
