import Foundation
import Hummingbird
import HTTPTypes

/// The console's answers: HTML with the security headers every page carries, redirects after a
/// form, and the session cookie.
enum ConsoleResponse {
    /// No script or style but the console's own files; no frames, no plug-ins, forms only to itself.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// The headers every console answer carries. `no-store`: a page may show material, and no
    /// copy of it may stay in a browser's or a proxy's cache.
    static func securityHeaders() -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.consoleFrameOptions] = "DENY"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.consoleReferrerPolicy] = "same-origin"
        headers[.cacheControl] = "no-store"
        headers[.consoleOpenerPolicy] = "same-origin"
        headers[.crossOriginResourcePolicy] = "same-origin"
        return headers
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok, cookies: [String] = []) -> Response {
        var headers = securityHeaders()
        headers[.contentType] = "text/html; charset=utf-8"
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// 303 See Other: after a form, the browser asks for `location` with GET.
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers = securityHeaders()
        headers[.location] = location
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    static func asset(_ data: Data, type: String) -> Response {
        var headers = securityHeaders()
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension HTTPField.Name {
    static let consoleFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let consoleReferrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let consoleOpenerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!
}

/// The console's cookies. Under TLS the session cookie is `__Host-` prefixed and `Secure`: the
/// browser then sends it only over HTTPS, to this host, on every path.
struct ConsoleCookies: Sendable {
    let secure: Bool

    var session: String { secure ? "__Host-tearline-session" : "tearline-session" }
    var signIn: String { secure ? "__Host-tearline-sign-in" : "tearline-sign-in" }

    func set(_ name: String, _ value: String, maxAge: Int64) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    func clear(_ name: String) -> String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }
}
