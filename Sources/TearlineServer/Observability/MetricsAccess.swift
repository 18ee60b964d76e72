import Crypto
import Foundation
import Hummingbird

/// `/metrics` on the API's own port, for a scraper that presents the metrics token as a bearer
/// token. Only the token's SHA-256 is kept; a wrong or missing token is 401.
public struct MetricsAccess: Sendable {
    let exporter: MetricsExporter
    private let tokenHash: [UInt8]

    /// `token` must be at least 32 characters.
    public init?(exporter: MetricsExporter, token: String) {
        guard token.count >= 32 else { return nil }
        self.exporter = exporter
        tokenHash = Array(SHA256.hash(data: Data(token.utf8)))
    }

    func admits(_ authorization: String?) -> Bool {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        // why digests, compared in full: the time taken says nothing about where they differ.
        let presented = Array(SHA256.hash(data: Data(authorization.dropFirst(7).utf8)))
        return zip(presented, tokenHash).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    func register(on router: Router<TearlineRequestContext>, service: TearlineService) {
        router.get("/metrics") { request, _ in
            guard admits(request.headers[.authorization]) else {
                throw Problem.unauthorized("The metrics token is required as a bearer token.")
            }
            return await exporter.response(service: service)
        }
    }
}
