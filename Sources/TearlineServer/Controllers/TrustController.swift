import Hummingbird

/// Trust dynamics: a partnership's history, breaches, the breach policy, and what-if.
struct TrustController<Context: AuthenticatedRequestContext>: Sendable {
    let service: TearlineService

    func register(on routes: APIRoutes<Context>) {
        routes.gated.get("/v1/partnerships/:id/history") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.trust.partnershipHistory(id: try context.parameters.id(), by: caller))
        }
        routes.gated.post("/v1/partnerships/:id/breaches") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(BreachInput.self)
            return try JSONResponse.make(try await service.trust.reportBreach(partnership: try context.parameters.id(), input, by: caller), status: .created)
        }
        routes.gated.get("/v1/partnerships/:id/what-if") { request, context in
            let caller = try context.requireCaller()
            guard let trust = request.uri.queryParameters.get("trust") else { throw Problem.badRequest("give trust: the level to test.") }
            return try JSONResponse.make(try await service.trust.whatIf(partnership: try context.parameters.id(), trustLevel: trust, by: caller))
        }
        routes.gated.put("/v1/organizations/:id/breach-policy") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(BreachPolicyInput.self)
            return try JSONResponse.make(try await service.trust.setBreachPolicy(organization: try context.parameters.id(), input, by: caller))
        }
    }
}
