import Hummingbird

/// Feedback on releases and originators' track records (story 8).
struct FeedbackController<Context: AuthenticatedRequestContext>: Sendable {
    let service: TearlineService

    func register(on routes: APIRoutes<Context>) {
        routes.gated.post("/v1/releases/:id/feedback") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(FeedbackInput.self)
            return try JSONResponse.make(try await service.trust.giveFeedback(releaseId: try context.parameters.id(), input, by: caller), status: .created)
        }
        routes.gated.get("/v1/releases/:id/feedback") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.trust.feedback(releaseId: try context.parameters.id(), by: caller))
        }
        routes.gated.get("/v1/feedback") { request, context in
            let caller = try context.requireCaller()
            let paging = try Paging(request)
            guard paging.cursor == nil else { throw Problem.badRequest("feedback takes no cursor; use limit.") }
            return try JSONResponse.make(try await service.trust.feedbackReceived(by: caller, limit: paging.limit))
        }
        routes.gated.get("/v1/organizations/:id/track-record") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.trust.trackRecord(of: try context.parameters.id(), by: caller))
        }
    }
}
