import Foundation
import Hummingbird
import NIOCore
import TearlineCore
import TearlineStore

/// The largest request body the API accepts.
public let maxRequestBodyBytes = 1 << 20

extension Problem {
    /// The `application/problem+json` response.
    func response() -> Response {
        var object: [String: Any] = ["type": typeURI, "title": title, "status": status, "detail": detail]
        if !reasons.isEmpty { object["reasons"] = reasons }
        if !withheld.isEmpty { object["withheld"] = withheld.map { ["index": $0.index, "reasons": $0.reasons] } }
        for (key, value) in extra { object[key] = value }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error into an RFC 9457 problem (a service's ``ServiceError`` under the status its kind
/// maps to); nothing escapes as a bare 500 with a stack or text.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ServiceError {
            return Problem(error).response()
        } catch let problem as Problem {
            return problem.response()
        } catch let error as HTTPResponseError {
            return Self.problem(for: error.status).response()
        } catch let error as StoreError {
            if case .corruptRow = error { context.logger.error("internal error", metadata: ["error": "StoreError.corruptRow"]) }
            return Problem(error).response()
        } catch {
            context.logger.error("internal error", metadata: ["error": "\(type(of: error))"])
            return Problem(status: 500, type: "internal", title: "Internal error", detail: "The request failed; nothing was written.").response()
        }
    }

    static func problem(for status: HTTPResponse.Status) -> Problem {
        switch status.code {
        case 404: .notFound()
        case 405: Problem(status: 405, type: "method-not-allowed", title: "Method not allowed", detail: "This route does not take that method.")
        case 413: .tooLarge(maxRequestBodyBytes)
        case 400..<500: Problem(status: status.code, type: "invalid-request", title: status.reasonPhrase, detail: "The request was refused.")
        default: Problem(status: 500, type: "internal", title: "Internal error", detail: "The request failed; nothing was written.")
        }
    }
}

/// JSON encoding shared by every controller.
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        if let writable = value as? any JSONWritable {
            var writer = JSONWriter()
            writable.write(to: &writer)
            return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: writer.bytes)))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

enum PlainText {
    static func response(_ text: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension Request {
    /// Collects and strictly decodes the JSON body.
    mutating func decode<T: StrictDecodable>(_ type: T.Type) async throws -> T {
        if let contentType = headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw Problem(status: 415, type: "unsupported-media-type", title: "Unsupported media type", detail: "Send application/json.")
        }
        let buffer = try await collectBodyChecked(upTo: maxRequestBodyBytes)
        return try StrictJSON.decode(type, from: buffer.readableBytesView)
    }

    /// As ``decode(_:)``, but an empty body gives nil (for endpoints whose body is optional).
    mutating func decodeOptional<T: StrictDecodable>(_ type: T.Type) async throws -> T? {
        let buffer = try await collectBodyChecked(upTo: maxRequestBodyBytes)
        if buffer.readableBytes == 0 { return nil }
        if let contentType = headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw Problem(status: 415, type: "unsupported-media-type", title: "Unsupported media type", detail: "Send application/json.")
        }
        return try StrictJSON.decode(type, from: buffer.readableBytesView)
    }
}

/// Why a request body could not be read: it is over the limit, or it is not well-formed (a bad
/// chunk size, a connection cut mid-body).
enum BodyReadFailure: Error {
    case tooLarge(Int)
    case malformed

    init(_ error: any Error, limit: Int) {
        self = error is NIOTooManyBytesError ? .tooLarge(limit) : .malformed
    }
}

extension Request {
    /// Collects the body up to `limit` bytes; over it is 413, a body that cannot be read (a
    /// malformed chunk, for instance) is 400, never a claim that it was too large.
    mutating func collectBodyChecked(upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await collectBody(upTo: limit)
        } catch {
            switch BodyReadFailure(error, limit: limit) {
            case .tooLarge(let limit): throw Problem.tooLarge(limit)
            case .malformed: throw Problem.badRequest("The request body could not be read: its framing (chunked encoding or length) is malformed.")
            }
        }
    }
}

extension Parameters {
    func id(_ name: String = "id") throws -> String {
        guard let value = get(name), !value.isEmpty, value.utf8.count <= 128 else { throw Problem.notFound() }
        return value
    }
}

/// Query parameters for paging: `cursor` (opaque) and `limit` (1–200, default 50).
struct Paging {
    var cursor: String?
    var limit: Int

    init(_ request: Request) throws {
        cursor = request.uri.queryParameters.get("cursor")
        if let text = request.uri.queryParameters.get("limit") {
            guard let value = Int(text), (1...200).contains(value) else { throw Problem.badRequest("limit must be an integer from 1 to 200.") }
            limit = value
        } else {
            limit = 50
        }
    }
}

extension Problem {
    /// What a store failure that reached the edge is answered with: a uniqueness clash with a
    /// concurrent write is 409 (nothing of this request was written), a store shut down is 503;
    /// a database out of reach is 503 as well, and so is a storage fault (a full disk, a read-only
    /// database), under a problem type of its own; anything else is 500. No database text is passed on.
    init(_ error: StoreError) {
        switch error {
        case .constraint(.unique):
            self.init(status: 409, type: "conflict", title: "Conflict",
                      detail: "Another request wrote the same thing first; nothing of this one was written.")
        case .closed, .unavailable:
            self.init(status: 503, type: "unavailable", title: "Service unavailable",
                      detail: "The store is not accepting requests; try again shortly.", retryAfter: 1)
        case .storage(let fault):
            self.init(status: 503, type: fault.rawValue, title: "Storage unavailable",
                      detail: "\(fault.sentence) Nothing of this request was written; try again after the operator has mended it.",
                      retryAfter: 30)
        case .constraint, .corruptRow, .invalidCursor:
            self.init(status: 500, type: "internal", title: "Internal error", detail: "The request failed; nothing was written.")
        }
    }
}
