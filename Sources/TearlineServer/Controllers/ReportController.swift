import Hummingbird

/// `/v1/reports`: the originator's holdings, and releasing them.
struct ReportController<Context: RequestContext>: Sendable {
    let service: TearlineService
    let auth: Authenticator

    func register(on router: Router<Context>) {
        router.post("/v1/reports") { request, _ in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(CreateReportRequest.self)
            return try JSONResponse.make(try await service.reports.createReport(input, by: caller), status: .created)
        }
        router.get("/v1/reports") { request, _ in
            let caller = try await auth.caller(request)
            let paging = try Paging(request)
            return try JSONResponse.make(try await service.reports.listReports(by: caller, cursor: paging.cursor, limit: paging.limit))
        }
        router.get("/v1/reports/:id") { request, context in
            let token = try await auth.token(request)
            return try JSONResponse.make(try await service.reports.viewReport(id: try context.parameters.id(), token: token))
        }
        router.get("/v1/reports/:id/export") { request, context in
            let token = try await auth.token(request)
            return PlainText.response(try await service.reports.exportReport(id: try context.parameters.id(), token: token))
        }
        router.get("/v1/reports/:id/verify") { request, context in
            let caller = try await auth.caller(request)
            return try JSONResponse.make(try await service.reports.verifyReport(id: try context.parameters.id(), by: caller))
        }
        router.post("/v1/reports/:id/releases") { request, context in
            var request = request
            let caller = try await auth.caller(request)
            let input = try await request.decode(CreateReleaseRequest.self)
            return try JSONResponse.make(try await service.releases.release(reportId: try context.parameters.id(), input, by: caller), status: .created)
        }
        router.get("/v1/reports/:id/releases") { request, context in
            let caller = try await auth.caller(request)
            return try JSONResponse.make(try await service.releases.releases(ofReport: try context.parameters.id(), by: caller))
        }
    }
}
