import Hummingbird

/// `/v1/partnerships`.
struct PartnershipController<Context: AuthenticatedRequestContext>: Sendable {
    let service: TearlineService

    func register(on routes: APIRoutes<Context>) {
        routes.gated.post("/v1/partnerships") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(CreatePartnershipRequest.self)
            return try JSONResponse.make(try await service.trust.createPartnership(input, by: caller), status: .created)
        }
        routes.gated.get("/v1/partnerships") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.trust.partnerships(for: caller))
        }
        routes.gated.patch("/v1/partnerships/:id") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(UpdatePartnershipRequest.self)
            return try JSONResponse.make(try await service.trust.updatePartnership(id: try context.parameters.id(), input, by: caller))
        }
    }
}
