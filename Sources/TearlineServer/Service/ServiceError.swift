import TearlineCore

/// Why a use case refused or failed, in the terms of the domain: every error a service throws or
/// returns, and every refusal the CLI prints.
///
/// `kind` says what sort of answer it is; the HTTP edge alone decides how each kind is answered
/// (see `ServiceError.Kind.httpStatus`). `type` is a stable slug; clients match on it, never on
/// `title` or `detail`.
public struct ServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What sort of refusal or failure this is.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The input is malformed, out of range or names what it may not.
        case invalidRequest
        /// A marking does not parse.
        case invalidMarking
        /// No valid credential was presented.
        case unauthenticated
        /// The caller is known but may not do this (a role, a rule, a suspension).
        case denied
        /// No such thing, or nothing the caller may know exists.
        case notFound
        /// The request contradicts the state it would change.
        case conflict
        /// The input exceeds a size limit.
        case tooLarge
        /// Well-formed input of the wrong kind (a bare STIX object where an envelope is due).
        case unprocessable
        /// The member is throttled for bulk access.
        case throttled
        /// The node failed; nothing was written.
        case failed
        /// The node is busy; the request may be retried.
        case unavailable
    }

    public var kind: Kind
    public var type: String
    public var title: String
    public var detail: String
    /// Machine-readable denial reasons (stable codes from ``DenialReasons``).
    public var reasons: [String]
    /// Extra members of the answer, such as `consentRequestId`.
    public var extra: [String: String]
    /// Seconds after which the request may be tried again.
    public var retryAfter: Int?
    /// Portions withheld from a refused release, each with its reasons.
    public var withheld: [WithheldView] = []
    /// Set when this refusal found a member crossing a throttle limit (not sent to clients).
    var throttle: ThrottleTrigger?

    public init(_ kind: Kind, type: String, title: String, detail: String, reasons: [String] = [], extra: [String: String] = [:],
                retryAfter: Int? = nil) {
        self.kind = kind
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
}

extension ServiceError {
    public static func badRequest(_ detail: String) -> ServiceError {
        ServiceError(.invalidRequest, type: "invalid-request", title: "Invalid request", detail: detail)
    }

    public static func invalidMarking(_ error: MarkingError, at path: String) -> ServiceError {
        ServiceError(.invalidMarking, type: "invalid-marking", title: "Invalid marking", detail: "\(path): \(error.description)",
                     extra: ["part": error.part, "field": path])
    }

    /// What the caller may not know exists is answered exactly like what does not exist.
    public static func notFound(_ what: String = "resource") -> ServiceError {
        ServiceError(.notFound, type: "not-found", title: "Not found", detail: "No such \(what).")
    }

    public static func unauthorized(_ detail: String = "A valid bearer token is required.") -> ServiceError {
        ServiceError(.unauthenticated, type: "unauthorized", title: "Unauthorized", detail: detail)
    }

    public static func forbidden(_ detail: String, reasons: DenialReasons) -> ServiceError {
        ServiceError(.denied, type: "denied", title: "Denied", detail: detail, reasons: reasons.codes)
    }

    public static func conflict(_ detail: String, type: String = "conflict", reasons: [String] = []) -> ServiceError {
        ServiceError(.conflict, type: type, title: "Conflict", detail: detail, reasons: reasons)
    }

    public static func tooLarge(_ limit: Int) -> ServiceError {
        ServiceError(.tooLarge, type: "body-too-large", title: "Request body too large", detail: "The body exceeds \(limit) bytes.")
    }

    /// A throttled member's refusal. `retryAfter` is the window: the throttle itself stays until a
    /// `security` member of the organisation lifts it.
    static func throttled(window: Int64, trigger: ThrottleTrigger? = nil) -> ServiceError {
        var error = ServiceError(
            .throttled, type: "member-throttled", title: "Too many requests",
            detail: "This member is throttled for bulk access; a security member of the organisation must lift it.",
            reasons: DenialReasons.memberThrottled.codes, retryAfter: Int(max(1, window / 1000)))
        error.throttle = trigger
        return error
    }

    /// The node failed; nothing was written.
    public static func failed(_ title: String = "Internal error", detail: String = "The request failed; nothing was written.") -> ServiceError {
        ServiceError(.failed, type: "internal", title: title, detail: detail)
    }
}
