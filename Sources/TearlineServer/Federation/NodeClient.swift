import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import X509

/// Calls a partner node over HTTPS with mutual TLS: presents our node certificate, accepts only a
/// server whose chain leads to the partner's CA, whose certificate names the host we dialled, and
/// whose key is pinned. One connection per request.
///
/// why NIO and not AsyncHTTPClient: AsyncHTTPClient builds its TLS handler itself and offers no
/// verification hook, so a pin could only be compared after the request (and its body) had
/// already gone to the unpinned server. Here the pin is checked inside the handshake, before
/// any request byte is written.
public struct NodeClient: Sendable {
    /// A partner's answer.
    public struct Response: Sendable {
        public let status: Int
        public let headers: HTTPHeaders
        public let body: [UInt8]
    }

    private let context: NIOSSLContext
    private let roots: [Certificate]
    private let pins: Set<SPKIPin>
    /// The whole exchange, connection included, must end within this time.
    public var timeout: TimeAmount = .seconds(30)
    /// A larger response is refused, so a partner cannot exhaust our memory.
    public var maxResponseBytes = 16 * 1024 * 1024

    /// - Parameters:
    ///   - identity: our node certificate and key.
    ///   - trustRoots: the partner's CA certificate(s), PEM.
    ///   - pins: `sha256/...` pins of the partner's server key; at least one.
    public init(identity: NodeIdentity, trustRoots: String, pins: [String]) throws {
        guard !pins.isEmpty else { throw FederationError.noPins }
        try self.init(identity: Optional(identity), trustRoots: trustRoots, pins: try pins.map { try SPKIPin($0) })
    }

    /// why internal with an optional identity: tests call a server without any client certificate.
    init(identity: NodeIdentity?, trustRoots: String, pins: [SPKIPin]) throws {
        var tls = NodeTLS.hardened(.makeClientConfiguration())
        if let identity {
            tls.certificateChain = identity.certificateChain.map { .certificate($0) }
            tls.privateKey = .privateKey(identity.privateKey)
        }
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(trustRoots.utf8)))
        context = try NIOSSLContext(configuration: tls)
        roots = try NodeTLS.certificates(inPEM: trustRoots)
        self.pins = Set(pins)
    }

    public func get(_ url: String, headers: HTTPHeaders = [:]) async throws -> Response {
        try await send(.GET, url, headers: headers, body: nil)
    }

    public func post(_ url: String, headers: HTTPHeaders = [:], body: [UInt8]) async throws -> Response {
        try await send(.POST, url, headers: headers, body: body)
    }

    func send(_ method: HTTPMethod, _ url: String, headers: HTTPHeaders, body: [UInt8]?) async throws -> Response {
        let target = try PartnerURL(url)
        let verifier = PeerVerifier(roots: roots, pins: pins, role: .server(host: target.host))
        let refusal = NIOLockedValueBox<String?>(nil)
        let context = self.context
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .connect(host: target.host, port: target.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let tls = try NIOSSLClientHandler(context: context, serverHostname: target.serverName) { presented, promise in
                            promise.completeWithTask {
                                switch await verifier.check(presented) {
                                case .accepted: return .certificateVerified
                                case .rejected(let reason):
                                    refusal.withLockedValue { $0 = reason }
                                    return .failed
                                }
                            }
                        }
                        try channel.pipeline.syncOperations.addHandler(tls)
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                    }
                }
            let deadline = channel.channel.eventLoop.scheduleTask(in: timeout) { channel.channel.close(promise: nil) }
            defer { deadline.cancel() }
            return try await channel.executeThenClose { inbound, outbound in
                var head = HTTPRequestHead(version: .http1_1, method: method, uri: target.pathAndQuery, headers: headers)
                head.headers.replaceOrAdd(name: "Host", value: target.hostHeader)
                head.headers.replaceOrAdd(name: "Connection", value: "close")
                if let body { head.headers.replaceOrAdd(name: "Content-Length", value: String(body.count)) }
                try await outbound.write(.head(head))
                if let body { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
                try await outbound.write(.end(nil))
                return try await collect(inbound)
            }
        } catch {
            if let reason = refusal.withLockedValue({ $0 }) { throw FederationError.peerRejected(reason) }
            throw error
        }
    }

    private func collect(_ inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>) async throws -> Response {
        var head: HTTPResponseHead?
        var body: [UInt8] = []
        for try await part in inbound {
            switch part {
            case .head(let received) where received.status.code >= 200:
                head = received
            case .head:
                continue  // why: 1xx answers are interim; the real one follows.
            case .body(let buffer):
                guard body.count + buffer.readableBytes <= maxResponseBytes else { throw FederationError.responseTooLarge(limit: maxResponseBytes) }
                body += buffer.readableBytesView
            case .end:
                guard let head else { throw FederationError.incompleteResponse }
                return Response(status: Int(head.status.code), headers: head.headers, body: body)
            }
        }
        throw FederationError.incompleteResponse
    }
}

/// The parts of an `https://host[:port]/path?query` URL a request needs.
struct PartnerURL: Sendable {
    let host: String
    let port: Int
    let pathAndQuery: String

    init(_ text: String) throws {
        guard let components = URLComponents(string: text), components.scheme?.lowercased() == "https",
              var host = components.host, !host.isEmpty, components.user == nil else {
            throw FederationError.invalidURL(text)
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host
        port = components.port ?? 443
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        pathAndQuery = path + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    var isIPAddress: Bool { NodePKI.ipAddressBytes(host) != nil }
    /// why nil for an address: SNI carries host names only.
    var serverName: String? { isIPAddress ? nil : host }
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 443 ? name : "\(name):\(port)"
    }
}
