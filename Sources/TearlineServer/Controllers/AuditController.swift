import Hummingbird
import TearlineStore

/// `/v1/audit`: the organisation's audit log, for its security members.
struct AuditController<Context: AuthenticatedRequestContext>: Sendable {
    let service: TearlineService

    func register(on routes: APIRoutes<Context>) {
        routes.gated.get("/v1/audit") { request, context in
            let caller = try context.requireCaller()
            let params = request.uri.queryParameters
            var query = AuditQuery()
            query.actor = params.get("member")
            query.action = params.get("action")
            query.object = params.get("object")
            if let since = params.get("since") {
                guard let value = Timestamp.parse(since) else { throw Problem.badRequest("since must be an RFC 3339 time.") }
                query.since = value
            }
            if let until = params.get("until") {
                guard let value = Timestamp.parse(until) else { throw Problem.badRequest("until must be an RFC 3339 time.") }
                query.until = value
            }
            let paging = try Paging(request)
            query.limit = paging.limit
            if let cursor = paging.cursor {
                guard let seq = Int64(cursor) else { throw Problem.badRequest("cursor is not valid.") }
                query.afterSeq = seq
            }
            return try JSONResponse.make(try await service.audit.audit(query, by: caller))
        }
        routes.gated.get("/v1/receipts/:holder") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await service.audit.receipts(holder: try context.parameters.id("holder"), by: caller))
        }
    }
}
