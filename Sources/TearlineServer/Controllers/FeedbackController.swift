import Hummingbird

/// Feedback on releases and originators' track records (story 8).
struct FeedbackController<Context: RequestContext>: Sendable {
    let service: TearlineService
    let auth: Authenticator

    func register(on router: Router<Context>) {
        router.post("/v1/releases/:id/feedback") { request, context in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(FeedbackInput.self)
            return try JSONResponse.make(try await service.trust.giveFeedback(releaseId: try context.parameters.id(), input, by: caller), status: .created)
        }
        router.get("/v1/releases/:id/feedback") { request, context in
            let caller = try await auth.caller(request)
            return try JSONResponse.make(try await service.trust.feedback(releaseId: try context.parameters.id(), by: caller))
        }
        router.get("/v1/feedback") { request, _ in
            let caller = try await auth.caller(request)
            let paging = try Paging(request)
            guard paging.cursor == nil else { throw Problem.badRequest("feedback takes no cursor; use limit.") }
            return try JSONResponse.make(try await service.trust.feedbackReceived(by: caller, limit: paging.limit))
        }
        router.get("/v1/organizations/:id/track-record") { request, context in
            let caller = try await auth.caller(request)
            return try JSONResponse.make(try await service.trust.trackRecord(of: try context.parameters.id(), by: caller))
        }
    }
}
