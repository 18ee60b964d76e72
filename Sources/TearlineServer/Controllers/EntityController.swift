import Hummingbird

/// `/v1/entities`: entity search with pointers, and link analysis. Entities travel in request
/// bodies (POST), never in URLs.
struct EntityController<Context: RequestContext>: Sendable {
    let service: TearlineService
    let auth: Authenticator

    func register(on router: Router<Context>) {
        router.post("/v1/entities/search") { request, _ in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(EntitySearchRequest.self)
            return try JSONResponse.make(try await service.entities.searchEntity(input, by: caller))
        }
        router.post("/v1/entities/related") { request, _ in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(RelatedEntitiesRequest.self)
            return try JSONResponse.make(try await service.entities.relatedEntities(input, by: caller))
        }
        router.post("/v1/entities/chains") { request, _ in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(EntityChainsRequest.self)
            return try JSONResponse.make(try await service.entities.entityChains(input, by: caller))
        }
        router.put("/v1/reports/:id/discoverability") { request, context in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(DiscoverabilityRequest.self)
            return try JSONResponse.make(try await service.entities.setDiscoverability(reportId: try context.parameters.id(), input, by: caller))
        }
    }
}
