import Hummingbird
import NIOCore
import NIOSSL
import X509

/// A request context that can tell which certificate key the calling node presented.
public protocol PeerAwareRequestContext: RequestContext {
    /// The SPKI pin of the client certificate of this connection: nil without TLS or without a
    /// client certificate. The TLS layer has already verified its chain (and pin, when pinned).
    func clientPin() async -> SPKIPin?
}

/// Tearline's request context: Hummingbird's basic one, plus the connection, so that the
/// federation routes can identify a partner node by the certificate it presented, and the
/// caller the authentication middleware found.
public struct TearlineRequestContext: AuthenticatedRequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: (any Channel)?
    public var caller: Caller?
    public var bearerToken: String?
    public var consoleSession: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    public func clientPin() async -> SPKIPin? {
        guard let channel else { return nil }
        // why on the event loop: the TLS handler lives there and is not Sendable.
        let der: [UInt8]? = try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate?.toDERBytes()
        }.get()
        guard let der, let certificate = try? Certificate(derEncoded: der) else { return nil }
        return try? SPKIPin(certificate)
    }
}
