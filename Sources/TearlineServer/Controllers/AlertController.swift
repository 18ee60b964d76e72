import Hummingbird

/// `/v1/alerts` for security members, lifting a member's throttle, and tracing a leaked text.
struct AlertController<Context: AuthenticatedRequestContext>: Sendable {
    let service: TearlineService

    func register(on routes: APIRoutes<Context>) {
        routes.gated.get("/v1/alerts") { request, context in
            let caller = try context.requireCaller()
            let status = request.uri.queryParameters.get("status") ?? "open"
            guard status == "open" || status == "all" else { throw Problem.badRequest("status must be open or all.") }
            let paging = try Paging(request)
            guard paging.cursor == nil else { throw Problem.badRequest("alerts take no cursor; use limit.") }
            return try JSONResponse.make(try await service.audit.alerts(by: caller, openOnly: status == "open", limit: paging.limit))
        }
        routes.gated.post("/v1/trace") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(TraceRequest.self)
            return try JSONResponse.make(try await service.reports.trace(text: input.text, showWeak: input.showWeak ?? false, by: caller))
        }
        routes.gated.post("/v1/members/:id/lift-throttle") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.audit.liftThrottle(member: try context.parameters.id(), by: caller))
        }
    }
}
