import HTTPTypes
import Hummingbird
import Logging
import Metrics

/// Gives every request an id, answers it in `X-Request-Id`, and logs one line when the answer
/// is ready: method, route (the pattern, never the query), status and duration, at `info`. The
/// id is the client's `X-Request-Id` when that is a short token of safe characters, so a proxy's
/// id follows the request; otherwise the server's own.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let observer: RequestObserver

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let given = request.headers[.requestId], RequestLogMiddleware.isSafeId(given) {
            context.logger[metadataKey: "hb.request.id"] = .string(given)
        } else if let own = context.logger[metadataKey: "hb.request.id"]?.description, own.utf8.count < 32 {
            // why: Hummingbird writes its id in hex without leading zeros; ours are always 32 characters.
            context.logger[metadataKey: "hb.request.id"] = .string(String(repeating: "0", count: 32 - own.utf8.count) + own)
        }
        let id = context.logger[metadataKey: "hb.request.id"]?.description ?? ""
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // why: ProblemMiddleware answers every error; what still escapes is Hummingbird's own.
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            observer.finished(request: request, route: context.endpointPath, status: status.code, since: started, logger: context.logger)
            throw error
        }
        response.headers[.requestId] = id
        observer.finished(request: request, route: context.endpointPath, status: response.status.code, since: started, logger: context.logger)
        return response
    }

    static func isSafeId(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
    }
}

extension HTTPField.Name {
    static let requestId = HTTPField.Name("X-Request-Id")!
}

/// What the server does when a request is answered: the access log line (and the request metrics).
public struct RequestObserver: Sendable {
    /// Whether to write the access log line.
    public var accessLog: Bool

    public init(accessLog: Bool = true) { self.accessLog = accessLog }

    func finished(request: Request, route: String?, status: Int, since started: ContinuousClock.Instant, logger: Logger) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let routeLabel = route ?? "unmatched"
        Counter(label: "tearline_http_requests_total", dimensions: [("method", request.method.rawValue), ("route", routeLabel), ("status", String(status))])
            .increment()
        Metrics.Timer(label: "tearline_http_request_duration_seconds", dimensions: [("method", request.method.rawValue), ("route", routeLabel)])
            .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        if accessLog {
            logger.info("request", metadata: [
                "method": .string(request.method.rawValue),
                "route": .string(routeLabel),
                "status": .stringConvertible(status),
                "duration_ms": .stringConvertible((milliseconds * 100).rounded() / 100),
            ])
        }
    }
}
