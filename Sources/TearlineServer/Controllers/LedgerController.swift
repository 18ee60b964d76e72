import Hummingbird

/// Story 3 — bargaining: interests, terms, requests for information, the partners table.
struct LedgerController<Context: AuthenticatedRequestContext>: Sendable {
    let service: TearlineService

    func register(on routes: APIRoutes<Context>) {
        routes.gated.put("/v1/organizations/:id/interests") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(InterestsInput.self)
            return try JSONResponse.make(try await service.trust.setInterests(organization: try context.parameters.id(), input, by: caller))
        }
        routes.gated.patch("/v1/terms/:id") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(TermUpdateInput.self)
            return try JSONResponse.make(try await service.trust.updateTerm(id: try context.parameters.id(), input, by: caller))
        }
        routes.gated.post("/v1/rfis") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(RFIInput.self)
            return try JSONResponse.make(try await service.trust.requestInformation(input, by: caller), status: .created)
        }
        routes.gated.get("/v1/rfis") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.trust.rfis(by: caller))
        }
        routes.gated.post("/v1/rfis/:id/answer") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(RFIAnswerInput.self)
            return try JSONResponse.make(try await service.trust.answerInformationRequest(id: try context.parameters.id(), input, by: caller))
        }
        routes.gated.get("/v1/partners") { request, context in
            let caller = try context.requireCaller()
            guard let organization = caller.organization else { throw Problem.badRequest("The partners table is an organisation's; use tearline partners --org.") }
            return try JSONResponse.make(try await service.trust.partners(of: organization, by: caller))
        }
        routes.gated.get("/v1/partners/:id/series") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.trust.exchangeSeries(partner: try context.parameters.id(), by: caller))
        }
        routes.gated.get("/v1/partners/:id/suggestions") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.trust.suggestions(partner: try context.parameters.id(), by: caller))
        }
    }
}
