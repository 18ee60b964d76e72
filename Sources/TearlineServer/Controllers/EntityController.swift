import Hummingbird

/// `/v1/entities`: entity search with pointers, and link analysis. Entities travel in request
/// bodies (POST), never in URLs.
struct EntityController<Context: AuthenticatedRequestContext>: Sendable {
    let service: TearlineService

    func register(on routes: APIRoutes<Context>) {
        routes.gated.post("/v1/entities/search") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(EntitySearchRequest.self)
            return try JSONResponse.make(try await service.entities.searchEntity(input, by: caller))
        }
        routes.gated.post("/v1/entities/partner-search") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(PartnerSearchRequest.self)
            if let credentials = service.nodeDialer.credentials {
                return try JSONResponse.make(try await PartnerDiscovery(service: service, credentials: credentials).search(kind: input.kind, value: input.value, by: caller))
            }
            // why still planned and audited: the search is the member's act whether or not this node may call its partners.
            let plan = try await service.entities.planPartnerSearch(kind: input.kind, value: input.value, by: caller)
            return try JSONResponse.make(try await service.entities.finishPartnerSearch(plan, outcomes: [:], by: caller))
        }
        routes.gated.post("/v1/entities/related") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(RelatedEntitiesRequest.self)
            return try JSONResponse.make(try await service.entities.relatedEntities(input, by: caller))
        }
        routes.gated.post("/v1/entities/chains") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(EntityChainsRequest.self)
            return try JSONResponse.make(try await service.entities.entityChains(input, by: caller))
        }
        routes.gated.put("/v1/reports/:id/discoverability") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(DiscoverabilityRequest.self)
            return try JSONResponse.make(try await service.entities.setDiscoverability(reportId: try context.parameters.id(), input, by: caller))
        }
    }
}
