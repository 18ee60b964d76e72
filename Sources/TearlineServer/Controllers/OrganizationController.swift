import Hummingbird
import TearlineStore

/// `/v1/organizations`, their members, and `/v1/members`.
struct OrganizationController<Context: AuthenticatedRequestContext>: Sendable {
    let service: TearlineService

    func register(on routes: APIRoutes<Context>) {
        routes.gated.post("/v1/organizations") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(CreateOrganizationRequest.self)
            return try JSONResponse.make(try await service.members.createOrganization(input, by: caller), status: .created)
        }
        routes.gated.get("/v1/organizations") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.members.organizations(for: caller))
        }
        routes.gated.get("/v1/organizations/:id") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.members.organization(id: try context.parameters.id(), for: caller))
        }
        routes.gated.post("/v1/organizations/:id/members") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(CreateMemberRequest.self)
            return try JSONResponse.make(try await service.members.createMember(in: try context.parameters.id(), input, by: caller), status: .created)
        }
        routes.gated.get("/v1/organizations/:id/members") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.members.members(of: try context.parameters.id(), for: caller))
        }
        routes.gated.patch("/v1/members/:id") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(UpdateMemberRequest.self)
            return try JSONResponse.make(try await service.members.updateMember(id: try context.parameters.id(), input, by: caller))
        }
        routes.identity.get("/v1/me") { request, context in
            // why: the one route a throttled or suspended member still reaches, to learn why.
            let caller = try context.requireCaller()
            return try JSONResponse.make(service.members.identity(caller))
        }
    }
}
