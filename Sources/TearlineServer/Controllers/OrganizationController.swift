import Hummingbird
import TearlineStore

/// `/v1/organizations`, their members, and `/v1/members`.
struct OrganizationController<Context: RequestContext>: Sendable {
    let service: TearlineService
    let auth: Authenticator

    func register(on router: Router<Context>) {
        router.post("/v1/organizations") { request, _ in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(CreateOrganizationRequest.self)
            return try JSONResponse.make(try await service.members.createOrganization(input, by: caller), status: .created)
        }
        router.get("/v1/organizations") { request, _ in
            let caller = try await auth.caller(request)
            return try JSONResponse.make(try await service.members.organizations(for: caller))
        }
        router.get("/v1/organizations/:id") { request, context in
            let caller = try await auth.caller(request)
            return try JSONResponse.make(try await service.members.organization(id: try context.parameters.id(), for: caller))
        }
        router.post("/v1/organizations/:id/members") { request, context in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(CreateMemberRequest.self)
            return try JSONResponse.make(try await service.members.createMember(in: try context.parameters.id(), input, by: caller), status: .created)
        }
        router.get("/v1/organizations/:id/members") { request, context in
            let caller = try await auth.caller(request)
            return try JSONResponse.make(try await service.members.members(of: try context.parameters.id(), for: caller))
        }
        router.patch("/v1/members/:id") { request, context in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(UpdateMemberRequest.self)
            return try JSONResponse.make(try await service.members.updateMember(id: try context.parameters.id(), input, by: caller))
        }
        router.get("/v1/me") { request, _ in
            // why: the one route a throttled or suspended member still reaches, to learn why.
            let caller = try await auth.identity(request)
            return try JSONResponse.make(service.members.identity(caller))
        }
    }
}
