import Hummingbird

/// `/v1/reports`: the originator's holdings, and releasing them.
struct ReportController<Context: AuthenticatedRequestContext>: Sendable {
    let service: TearlineService

    func register(on routes: APIRoutes<Context>) {
        routes.gated.post("/v1/reports") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(CreateReportRequest.self)
            return try JSONResponse.make(try await service.reports.createReport(input, by: caller), status: .created)
        }
        routes.gated.get("/v1/reports") { request, context in
            let caller = try context.requireCaller()
            let paging = try Paging(request)
            return try JSONResponse.make(try await service.reports.listReports(by: caller, cursor: paging.cursor, limit: paging.limit))
        }
        routes.token.get("/v1/reports/:id") { request, context in
            let token = try context.requireToken()
            return try JSONResponse.make(try await service.reports.viewReport(id: try context.parameters.id(), token: token))
        }
        routes.token.get("/v1/reports/:id/export") { request, context in
            let token = try context.requireToken()
            return PlainText.response(try await service.reports.exportReport(id: try context.parameters.id(), token: token))
        }
        routes.gated.get("/v1/reports/:id/verify") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.reports.verifyReport(id: try context.parameters.id(), by: caller))
        }
        routes.gated.post("/v1/reports/:id/releases") { request, context in
            var request = request
            let caller = try context.requireCaller()
            let input = try await request.decode(CreateReleaseRequest.self)
            return try JSONResponse.make(try await service.releases.release(reportId: try context.parameters.id(), input, by: caller), status: .created)
        }
        routes.gated.get("/v1/reports/:id/release-preview") { request, context in
            let caller = try context.requireCaller()
            let query = request.uri.queryParameters
            guard let recipient = query.get("recipient") else { throw Problem.badRequest("recipient is required.") }
            let approve = try Self.flag(query.get("approveOrcon"), name: "approveOrcon")
            return try JSONResponse.make(try await service.releases.previewRelease(reportId: try context.parameters.id(), to: recipient,
                                                                                   approveOrcon: approve, by: caller))
        }
        routes.gated.get("/v1/reports/:id/releases") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.releases.releases(ofReport: try context.parameters.id(), by: caller))
        }
    }

    /// A boolean query parameter: absent is false; anything but `true` or `false` is refused.
    static func flag(_ text: String?, name: String) throws -> Bool {
        switch text {
        case nil, "false": return false
        case "true": return true
        default: throw Problem.badRequest("\(name) must be true or false.")
        }
    }
}
