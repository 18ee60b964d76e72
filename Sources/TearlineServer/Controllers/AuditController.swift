import Hummingbird
import TearlineStore

/// `/v1/audit`: the organisation's audit log, for its security members.
struct AuditController<Context: RequestContext>: Sendable {
    let service: TearlineService
    let auth: Authenticator

    func register(on router: Router<Context>) {
        router.get("/v1/audit") { request, _ in
            let caller = try await auth.caller(request)
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
        router.get("/v1/receipts/:holder") { request, context in
            let caller = try await auth.caller(request)
            return try JSONResponse.make(try await service.audit.receipts(holder: try context.parameters.id("holder"), by: caller))
        }
    }
}
