import Hummingbird

/// `/v1/consent-requests` and `/v1/grants`.
struct ConsentController<Context: AuthenticatedRequestContext>: Sendable {
    let service: TearlineService

    func register(on routes: APIRoutes<Context>) {
        routes.gated.get("/v1/consent-requests") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.releases.consentRequests(by: caller))
        }
        routes.gated.post("/v1/consent-requests/:id/decision") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(ConsentDecisionRequest.self)
            return try JSONResponse.make(try await service.releases.decideConsent(id: try context.parameters.id(), input, by: caller))
        }
        routes.gated.post("/v1/grants") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(CreateGrantRequest.self)
            return try JSONResponse.make(try await service.members.grant(input, by: caller), status: .created)
        }
    }
}
