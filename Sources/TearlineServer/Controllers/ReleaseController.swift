import Hummingbird

/// `/v1/releases`: the recipient's inbox, reading, verifying, revoking and (refused) forwarding.
struct ReleaseController<Context: RequestContext>: Sendable {
    let service: TearlineService
    let auth: Authenticator

    func register(on router: Router<Context>) {
        router.get("/v1/releases") { request, _ in
            let caller = try await auth.caller(request)
            let paging = try Paging(request)
            return try JSONResponse.make(try await service.releases.inbox(by: caller, cursor: paging.cursor, limit: paging.limit))
        }
        router.get("/v1/releases/:id") { request, context in
            let token = try await auth.token(request)
            return try JSONResponse.make(try await service.releases.viewRelease(id: try context.parameters.id(), token: token))
        }
        router.get("/v1/releases/:id/export") { request, context in
            let token = try await auth.token(request)
            return PlainText.response(try await service.reports.exportRelease(id: try context.parameters.id(), token: token))
        }
        router.get("/v1/releases/:id/verify") { request, context in
            let caller = try await auth.caller(request)
            return try JSONResponse.make(try await service.releases.verifyRelease(id: try context.parameters.id(), by: caller))
        }
        router.post("/v1/releases/:id/revoke") { request, context in
            let caller = try await auth.caller(request)
            return try JSONResponse.make(try await service.releases.revoke(releaseId: try context.parameters.id(), by: caller))
        }
        router.post("/v1/releases/:id/forward") { request, context -> Response in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(ForwardRequest.self)
            try await service.releases.forward(releaseId: try context.parameters.id(), input, by: caller)
        }
    }
}
