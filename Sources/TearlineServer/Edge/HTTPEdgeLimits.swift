import NIOCore
import TearlineStore

/// What the HTTP edge holds every connection to, before a request reaches a route.
public struct HTTPEdgeLimits: Sendable, Equatable {
    /// A request's header block must arrive within this of its first byte, and its body may not
    /// stall (no bytes) for longer; otherwise the connection is closed.
    public var readTimeout: TimeAmount
    /// A connection with no request under way is closed after this long.
    public var idleTimeout: TimeAmount
    /// Open connections from one client address at most; further ones are closed at once. `0` lifts
    /// the cap (behind a proxy that already holds one).
    public var connectionsPerClient: Int

    public init(readTimeout: TimeAmount = .seconds(30), idleTimeout: TimeAmount = .seconds(60), connectionsPerClient: Int = 128) {
        self.readTimeout = readTimeout
        self.idleTimeout = idleTimeout
        self.connectionsPerClient = connectionsPerClient
    }

    public static let standard = HTTPEdgeLimits()

    /// The largest body a request to `path` may send: a TAXII add takes the API root's
    /// `max_content_length`, everything else the API's limit.
    static func bodyLimit(method: String, path: String) -> Int {
        let parts = path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/", omittingEmptySubsequences: true) } ?? []
        if method == "POST", parts.count == 4, parts[1] == "collections", parts[3] == "objects" { return TAXIILimits.maxContentLength }
        return maxRequestBodyBytes
    }

    /// Whether `path` is a TAXII route (its refusals are TAXII error documents).
    static func isTAXII(path: String) -> Bool {
        path.hasPrefix("/taxii2/") || path.contains("/collections/")
    }
}
