import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

/// A TLS child channel whose refused handshakes are logged (see ``RefusedHandshakeLog``).
struct RefusedHandshakeChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base
    let log: RefusedHandshakeLog

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let log = log
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let tls = try channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
            try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(log: log, tls: tls), position: .after(tls))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension RefusedHandshakeChannel: HTTPChannelHandler where Base: HTTPChannelHandler {
    var responder: HTTPChannelHandler.Responder { base.responder }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 over TLS, every refused handshake logged.
    static func loggedTLS(configuration: TLSChannelConfiguration, http1: HTTP1Channel.Configuration, log: RefusedHandshakeLog) -> HTTPServerBuilder {
        .init { responder in
            RefusedHandshakeChannel(base: try TLSChannel(HTTP1Channel(responder: responder, configuration: http1), configuration: configuration), log: log)
        }
    }
}

/// Sits after the TLS handler: a handshake failure it passes on is a refused handshake.
final class HandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private let log: RefusedHandshakeLog
    private let tls: NIOSSLServerHandler
    private var logged = false

    init(log: RefusedHandshakeLog, tls: NIOSSLServerHandler) {
        self.log = log
        self.tls = tls
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !logged, case NIOSSLError.handshakeFailed = error {
            logged = true
            log.refused(address: context.channel.remoteAddress.map { "\($0)" } ?? "unknown", certificate: tls.peerCertificate, error: error)
        }
        context.fireErrorCaught(error)
    }
}
