import Hummingbird

/// `/v1/consent-requests` and `/v1/grants`.
struct ConsentController<Context: RequestContext>: Sendable {
    let service: TearlineService
    let auth: Authenticator

    func register(on router: Router<Context>) {
        router.get("/v1/consent-requests") { request, _ in
            let caller = try await auth.caller(request)
            return try JSONResponse.make(try await service.releases.consentRequests(by: caller))
        }
        router.post("/v1/consent-requests/:id/decision") { request, context in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(ConsentDecisionRequest.self)
            return try JSONResponse.make(try await service.releases.decideConsent(id: try context.parameters.id(), input, by: caller))
        }
        router.post("/v1/grants") { request, _ in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(CreateGrantRequest.self)
            return try JSONResponse.make(try await service.members.grant(input, by: caller), status: .created)
        }
    }
}
