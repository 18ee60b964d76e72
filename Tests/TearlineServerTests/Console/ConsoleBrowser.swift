import Foundation
import Hummingbird
import HummingbirdTesting
import TearlineServer
import Testing

/// A browser for console tests: it keeps the cookies the server sets, and reads the CSRF token
/// of the last page's forms.
final class ConsoleBrowser: @unchecked Sendable {
    let world: World
    private(set) var cookies: [String: String] = [:]
    private(set) var lastPage: Reply?

    init(_ world: World) {
        self.world = world
    }

    /// The value of a form's hidden `csrf` field on the last page.
    var csrf: String? {
        guard let text = lastPage?.text, let range = text.range(of: #"name="csrf" value=""#) else { return nil }
        let rest = text[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    func get(_ uri: String) async throws -> Reply {
        try await send(.get, uri)
    }

    /// Posts a form, `application/x-www-form-urlencoded`, with the cookies held.
    func post(_ uri: String, _ fields: [(String, String)], headers extra: HTTPFields = [:]) async throws -> Reply {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await send(.post, uri, body: body, headers: headers)
    }

    /// Signs in with an API token through the sign-in form.
    @discardableResult
    func signIn(token: String) async throws -> Reply {
        _ = try await get("/sign-in")
        return try await post("/sign-in", [("csrf", try #require(csrf)), ("token", token)])
    }

    /// Signs in as a person of the test world.
    @discardableResult
    func signIn(as who: String) async throws -> Reply {
        try await signIn(token: world.token(who))
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        let reply = try await world.client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            Reply(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
        }
        for header in reply.headers[values: .setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0]
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]), value = parts.count > 1 ? String(parts[1]) : ""
            if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        if reply.headers[.contentType]?.hasPrefix("text/html") == true { lastPage = reply }
        return reply
    }

    /// Forgets every cookie (another browser, or the same after it was closed).
    func clearCookies() { cookies = [:] }

    func setCookie(_ name: String, _ value: String) { cookies[name] = value }
}

extension Reply {
    /// Where a redirect points, as a path.
    var location: String? { headers[.location] }
}
