import Hummingbird

/// `/v1/releases`: the recipient's inbox, reading, verifying, revoking and (refused) forwarding.
struct ReleaseController<Context: AuthenticatedRequestContext>: Sendable {
    let service: TearlineService

    func register(on routes: APIRoutes<Context>) {
        routes.gated.get("/v1/releases") { request, context in
            let caller = try context.requireCaller()
            let paging = try Paging(request)
            let filter = InboxFilter(originator: request.uri.queryParameters.get("originator"), topic: request.uri.queryParameters.get("topic"))
            return try JSONResponse.make(try await service.releases.inbox(by: caller, cursor: paging.cursor, limit: paging.limit, filter: filter))
        }
        routes.token.get("/v1/releases/:id") { request, context in
            let token = try context.requireToken()
            return try JSONResponse.make(try await service.releases.viewRelease(id: try context.parameters.id(), token: token))
        }
        routes.token.get("/v1/releases/:id/export") { request, context in
            let token = try context.requireToken()
            return PlainText.response(try await service.reports.exportRelease(id: try context.parameters.id(), token: token))
        }
        routes.gated.get("/v1/releases/:id/verify") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.releases.verifyRelease(id: try context.parameters.id(), by: caller))
        }
        routes.gated.post("/v1/releases/:id/revoke") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.releases.revoke(releaseId: try context.parameters.id(), by: caller))
        }
        routes.gated.post("/v1/releases/:id/forward") { request, context -> Response in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(ForwardRequest.self)
            try await service.releases.forward(releaseId: try context.parameters.id(), input, by: caller)
        }
    }
}
