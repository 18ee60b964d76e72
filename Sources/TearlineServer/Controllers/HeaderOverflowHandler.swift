import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a request whose header block is too large with 431 and a problem document.
///
/// NIO's HTTP decoder refuses a header block over its limit (80 KiB in Hummingbird's
/// configuration) with `HTTPParserError.headerOverflow`; Hummingbird then writes a bare 400
/// with an empty body. This handler, placed after the HTTP codec, catches that error first when
/// no response is pending on the connection, writes `431 Request Header Fields Too Large`
/// (RFC 6585) as `application/problem+json`, and closes the connection once the answer is sent
/// (after a short linger for the bytes the client is still sending).
final class HeaderOverflowHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Requests read whose response has not ended yet.
    private var pending = 0
    private var answered = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { pending += 1 }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { pending -= 1 }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if answered { return }  // why: the decoder repeats its error for every byte that follows.
        guard case .headerOverflow? = error as? HTTPParserError, pending == 0 else {
            context.fireErrorCaught(error)
            return
        }
        answered = true
        let body = Self.problem
        let head = HTTPResponse(status: .init(code: 431, reasonPhrase: "Request Header Fields Too Large"), headerFields: [
            .contentType: "application/problem+json", .contentLength: String(body.readableBytes), .connection: "close",
        ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let sent = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: sent)
        let channel = context.channel
        // why half-close first: closing outright with the client's bytes still unread makes the
        // kernel reset the connection, and the client may lose the answer before reading it.
        sent.futureResult.whenComplete { _ in
            channel.close(mode: .output).whenFailure { _ in channel.close(promise: nil) }
            channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
        }
    }

    static var problem: ByteBuffer {
        let detail = Problem(status: 431, type: "header-fields-too-large", title: "Request header fields too large",
                             detail: "The request's header block exceeds the limit this server reads.")
        let object: [String: Any] = ["type": detail.typeURI, "title": detail.title, "status": detail.status, "detail": detail.detail]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return ByteBuffer(bytes: data)
    }
}
