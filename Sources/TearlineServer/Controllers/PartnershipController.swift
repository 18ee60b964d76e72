import Hummingbird

/// `/v1/partnerships`.
struct PartnershipController<Context: RequestContext>: Sendable {
    let service: TearlineService
    let auth: Authenticator

    func register(on router: Router<Context>) {
        router.post("/v1/partnerships") { request, _ in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(CreatePartnershipRequest.self)
            return try JSONResponse.make(try await service.trust.createPartnership(input, by: caller), status: .created)
        }
        router.get("/v1/partnerships") { request, _ in
            let caller = try await auth.caller(request)
            return try JSONResponse.make(try await service.trust.partnerships(for: caller))
        }
        router.patch("/v1/partnerships/:id") { request, context in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(UpdatePartnershipRequest.self)
            return try JSONResponse.make(try await service.trust.updatePartnership(id: try context.parameters.id(), input, by: caller))
        }
    }
}
