import TearlineCore

/// An RFC 9457 problem: every error the API returns, and every refusal the CLI prints.
///
/// `type` is a stable slug; clients match on it, never on `title` or `detail`.
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
    /// Set when this refusal found a member crossing a throttle limit (not sent to clients).
    var throttle: ThrottleTrigger?

    public init(status: Int, type: String, title: String, detail: String, reasons: [String] = [], extra: [String: String] = [:], retryAfter: Int? = nil) {
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.reasons = reasons
        self.extra = extra
        self.retryAfter = retryAfter
    }

    public var description: String {
        reasons.isEmpty ? "\(title): \(detail)" : "\(title): \(detail) [\(reasons.joined(separator: ", "))]"
    }

    /// The type URI in the problem document.
    public var typeURI: String { "https://tearline.dev/problems/\(type)" }
}

extension Problem {
    public static func badRequest(_ detail: String) -> Problem {
        Problem(status: 400, type: "invalid-request", title: "Invalid request", detail: detail)
    }

    public static func invalidMarking(_ error: MarkingError, at path: String) -> Problem {
        Problem(status: 400, type: "invalid-marking", title: "Invalid marking", detail: "\(path): \(error.description)",
                extra: ["part": error.part])
    }

    /// What the caller may not know exists is answered exactly like what does not exist.
    public static func notFound(_ what: String = "resource") -> Problem {
        Problem(status: 404, type: "not-found", title: "Not found", detail: "No such \(what).")
    }

    public static func unauthorized(_ detail: String = "A valid bearer token is required.") -> Problem {
        Problem(status: 401, type: "unauthorized", title: "Unauthorized", detail: detail)
    }

    public static func forbidden(_ detail: String, reasons: DenialReasons) -> Problem {
        Problem(status: 403, type: "denied", title: "Denied", detail: detail, reasons: reasons.codes)
    }

    public static func conflict(_ detail: String, type: String = "conflict", reasons: [String] = []) -> Problem {
        Problem(status: 409, type: type, title: "Conflict", detail: detail, reasons: reasons)
    }

    public static func tooLarge(_ limit: Int) -> Problem {
        Problem(status: 413, type: "body-too-large", title: "Request body too large", detail: "The body exceeds \(limit) bytes.")
    }
}
