import TearlineCore

/// An RFC 9457 problem: every error the HTTP API answers with.
///
/// A service's ``ServiceError`` becomes one here, at the edge, with the status its kind maps to
/// (``ServiceError/Kind/httpStatus``); the edge's own refusals (405, 415, 431, a missing bearer
/// token) are made as problems directly. `type` is a stable slug; clients match on it, never on
/// `title` or `detail`.
public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
    public var status: Int
    public var type: String
    public var title: String
    public var detail: String
    /// Machine-readable denial reasons (stable codes from ``DenialReasons``).
    public var reasons: [String]
    /// Extra members of the problem object, such as `consentRequestId`.
    public var extra: [String: String]
    /// Seconds, for a `Retry-After` header.
    public var retryAfter: Int?
    /// Portions withheld from a refused release, each with its reasons.
    public var withheld: [WithheldView] = []

    public init(status: Int, type: String, title: String, detail: String, reasons: [String] = [], extra: [String: String] = [:], retryAfter: Int? = nil) {
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.reasons = reasons
        self.extra = extra
        self.retryAfter = retryAfter
    }

    /// The problem a service's refusal is answered with: everything it says, under the status of its kind.
    public init(_ error: ServiceError) {
        self.init(status: error.httpStatus, type: error.type, title: error.title, detail: error.detail, reasons: error.reasons,
                  extra: error.extra, retryAfter: error.retryAfter)
        withheld = error.withheld
    }

    public var description: String {
        reasons.isEmpty ? "\(title): \(detail)" : "\(title): \(detail) [\(reasons.joined(separator: ", "))]"
    }

    /// The type URI in the problem document.
    public var typeURI: String { "https://tearline.dev/problems/\(type)" }
}

extension ServiceError.Kind {
    /// The HTTP status each kind of refusal or failure is answered with: the one place a service
    /// error meets HTTP.
    public var httpStatus: Int {
        switch self {
        case .invalidRequest, .invalidMarking: 400
        case .unauthenticated: 401
        case .denied: 403
        case .notFound: 404
        case .conflict: 409
        case .tooLarge: 413
        case .unprocessable: 422
        case .throttled: 429
        case .failed: 500
        case .unavailable: 503
        }
    }
}

extension ServiceError {
    /// The HTTP status this error is answered with (see ``ServiceError/Kind/httpStatus``).
    public var httpStatus: Int { kind.httpStatus }
}

/// The edge's own refusals, worded as the services word theirs.
extension Problem {
    public static func badRequest(_ detail: String) -> Problem { Problem(.badRequest(detail)) }

    /// What the caller may not know exists is answered exactly like what does not exist.
    public static func notFound(_ what: String = "resource") -> Problem { Problem(.notFound(what)) }

    public static func unauthorized(_ detail: String = "A valid bearer token is required.") -> Problem { Problem(.unauthorized(detail)) }

    public static func tooLarge(_ limit: Int) -> Problem { Problem(.tooLarge(limit)) }
}
