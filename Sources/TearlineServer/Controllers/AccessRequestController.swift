import Hummingbird

/// `/v1/access-requests`: asking a holder for access through a pointer, and deciding; and
/// `/v1/notifications`: what a member is told (correlations, requests, outcomes).
struct AccessRequestController<Context: AuthenticatedRequestContext>: Sendable {
    let service: TearlineService

    func register(on routes: APIRoutes<Context>) {
        routes.gated.post("/v1/access-requests") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(AccessRequestInput.self)
            return try JSONResponse.make(try await service.entities.requestAccess(input, by: caller), status: .created)
        }
        routes.gated.get("/v1/access-requests") { request, context in
            let caller = try context.requireCaller()
            let direction = request.uri.queryParameters.get("direction") ?? "outgoing"
            guard direction == "incoming" || direction == "outgoing" else { throw Problem.badRequest("direction must be incoming or outgoing.") }
            let paging = try Paging(request)
            guard paging.cursor == nil else { throw Problem.badRequest("access requests take no cursor; use limit.") }
            return try JSONResponse.make(try await service.entities.accessRequests(incoming: direction == "incoming", by: caller, limit: paging.limit))
        }
        routes.gated.get("/v1/access-requests/:id") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.entities.accessRequest(id: try context.parameters.id(), by: caller))
        }
        routes.gated.post("/v1/access-requests/:id/grant") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decodeOptional(AccessGrantInput.self) ?? AccessGrantInput()
            return try JSONResponse.make(try await service.entities.grantAccessRequest(id: try context.parameters.id(), input, by: caller))
        }
        routes.gated.post("/v1/access-requests/:id/deny") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.entities.denyAccessRequest(id: try context.parameters.id(), by: caller))
        }
        routes.gated.get("/v1/notifications") { request, context in
            let caller = try context.requireCaller()
            let paging = try Paging(request)
            guard paging.cursor == nil else { throw Problem.badRequest("notifications take no cursor; use limit.") }
            return try JSONResponse.make(try await service.entities.notifications(by: caller, limit: paging.limit))
        }
    }
}
