import Foundation
import Hummingbird
import NIOCore
import TearlineStore

/// TAXII 2.1 media types and content negotiation.
enum TAXIIMedia {
    static let taxii = "application/taxii+json;version=2.1"

    /// Whether an `Accept` header admits TAXII 2.1 JSON. No header admits it; so do
    /// `application/taxii+json` without a version, `application/*` and `*/*`.
    static func accepts(_ header: String?) -> Bool {
        guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else { return true }
        for range in header.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first else { continue }
            let parameters = parts.dropFirst()
            if parameters.contains(where: { $0.replacingOccurrences(of: " ", with: "") == "q=0" }) { continue }
            let version = parameters.first { $0.hasPrefix("version=") }.map { String($0.dropFirst("version=".count)) }
            switch type {
            case "*/*", "application/*": return true
            case "application/taxii+json": if version == nil || version == "2.1" { return true }
            default: continue
            }
        }
        return false
    }

    /// Whether a request body's `Content-Type` is TAXII 2.1 JSON.
    static func isTAXIIContent(_ header: String?) -> Bool {
        guard let header else { return false }
        let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard parts.first == "application/taxii+json" else { return false }
        let version = parts.dropFirst().first { $0.hasPrefix("version=") }.map { String($0.dropFirst("version=".count)) }
        return version == nil || version == "2.1"
    }

    static func response(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: taxii]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// A TAXII error message: the `error` resource of the specification, with the HTTP status.
struct TAXIIError: Error, Sendable {
    var status: Int
    var title: String
    var description: String
    var retryAfter: Int?
    var authenticate = false

    func response() -> Response {
        var w = JSONWriter(capacity: 256)
        w.raw("{")
        w.key("title", first: true); w.string(title)
        w.key("description"); w.string(description)
        w.key("http_status"); w.string(String(status))
        w.raw("}")
        var headers: HTTPFields = [.contentType: TAXIIMedia.taxii]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if authenticate { headers[.wwwAuthenticate] = "Basic realm=\"Tearline TAXII\", charset=\"UTF-8\"" }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: w.bytes)))
    }

    static func notFound(_ what: String) -> TAXIIError {
        TAXIIError(status: 404, title: "Not found", description: "No \(what) here, or none you may see.")
    }

    static func badRequest(_ description: String) -> TAXIIError {
        TAXIIError(status: 400, title: "Bad request", description: description)
    }

    static func forbidden(_ description: String) -> TAXIIError {
        TAXIIError(status: 403, title: "Forbidden", description: description)
    }

    /// The TAXII form of a service's refusal, under the status its kind maps to.
    init(_ error: ServiceError) {
        self.init(Problem(error))
    }

    /// The TAXII form of a problem raised at the edge.
    init(_ problem: Problem) {
        self.init(status: problem.status, title: problem.title, description: problem.detail, retryAfter: problem.retryAfter,
                  authenticate: problem.status == 401)
    }

    /// The TAXII form of any refusal the edge or a service made, or of a store failure; `nil` for
    /// anything else (left to the problem middleware's 500).
    init?(answering error: any Error) {
        switch error {
        case let error as TAXIIError: self = error
        case let error as ServiceError: self.init(error)
        case let problem as Problem: self.init(problem)
        case let error as StoreError: self.init(Problem(error))
        default: return nil
        }
    }

    /// A request without a credential.
    static let credentialRequired = TAXIIError(status: 401, title: "Unauthorized", description: "Authenticate with HTTP Basic or a bearer token.",
                                               authenticate: true)

    init(status: Int, title: String, description: String, retryAfter: Int? = nil, authenticate: Bool = false) {
        self.status = status
        self.title = title
        self.description = description
        self.retryAfter = retryAfter
        self.authenticate = authenticate
    }
}
