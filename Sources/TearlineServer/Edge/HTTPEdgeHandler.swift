import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Holds each HTTP connection to the edge's limits (``HTTPEdgeLimits``) and answers what the
/// HTTP parser refuses with a problem document instead of a bare status.
///
/// - **Per-client cap.** A connection over ``ClientConnections/cap`` for its address is closed at once.
/// - **Timeouts.** A header block must arrive within the read timeout of its first byte, and a
///   body may not stall longer than that; a connection with no request under way is closed after
///   the idle timeout. While a request is being handled no timer runs.
/// - **`Expect`.** `100-continue` with a Content-Length over the route's body limit is answered
///   413 at once, without waiting for the body; within the limit, `100 Continue` is sent. Any
///   other expectation is answered 417.
/// - **Transfer codings.** A request with a transfer coding other than `chunked` is answered 501.
/// - **Parser refusals.** A header block over the limit is answered 431; any other malformed
///   request head (a bad method, version, header, or chunk size before a request is under way) 400.
///
/// Each such answer ends the connection. The handler sits after the HTTP codec; it puts a small
/// watcher at the front of the pipeline to see when the first byte of a request arrives.
final class HTTPEdgeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Phase { case idle, head, body }

    private let limits: HTTPEdgeLimits
    private let clients: ClientConnections
    private var client: String?
    private var context: ChannelHandlerContext?
    /// Requests read whose response has not ended yet.
    private var inFlight = 0
    private var readingBody = false
    /// Bytes arrived since the last request was read, that are not a whole head yet.
    private var partialHead = false
    /// The edge answered; the connection is closing and nothing more is read.
    private var answered = false
    private var timer: (phase: Phase, task: Scheduled<Void>)?

    init(limits: HTTPEdgeLimits, clients: ClientConnections) {
        self.limits = limits
        self.clients = clients
    }

    // MARK: connection

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if let address = context.channel.remoteAddress?.ipAddress {
            guard clients.admit(address) else {
                answered = true
                let channel = context.channel
                // why later: the connection is still being set up; close it once that is done.
                context.eventLoop.execute { channel.close(promise: nil) }
                return
            }
            client = address
        }
        try? context.pipeline.syncOperations.addHandler(ByteArrivalWatcher(edge: self), position: .first)
        rearm()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let client { clients.release(client) }
        client = nil
        timer?.task.cancel()
        timer = nil
        self.context = nil
    }

    /// Raw bytes reached the front of the pipeline (called by ``ByteArrivalWatcher``).
    fileprivate func bytesArrived() {
        if readingBody {
            rearm(reset: true)
        } else if inFlight == 0, !partialHead {
            partialHead = true
            rearm()
        }
    }

    // MARK: requests and responses

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if answered { return }
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            if inFlight == 0, let refusal = refusal(for: head) {
                answer(context: context, refusal)
                return
            }
            inFlight += 1
            partialHead = false
            readingBody = true
            if inFlight == 1, head.headerFields[.expect] != nil {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            }
        case .body:
            break
        case .end:
            readingBody = false
            partialHead = false
        }
        rearm(reset: true)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            inFlight = max(0, inFlight - 1)
            rearm()
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if answered { return }  // why: the decoder repeats its error for every byte that follows.
        guard let parserError = error as? HTTPParserError, inFlight == 0 else {
            context.fireErrorCaught(error)
            return
        }
        if case .headerOverflow = parserError {
            answer(context: context, EdgeRefusal(status: 431, type: "header-fields-too-large", title: "Request header fields too large",
                                                  detail: "The request's header block exceeds the limit this server reads."))
        } else {
            answer(context: context, EdgeRefusal(status: 400, type: "invalid-request", title: "Bad request",
                                                  detail: "The request is not well-formed HTTP/1.1."))
        }
    }

    /// What the edge answers a request head with itself, if anything.
    private func refusal(for head: HTTPRequest) -> EdgeRefusal? {
        let path = head.path ?? "/"
        let taxii = HTTPEdgeLimits.isTAXII(path: path)
        if let codings = head.headerFields[.transferEncoding] {
            let unknown = codings.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { $0 != "chunked" }
            if !unknown.isEmpty {
                return EdgeRefusal(status: 501, type: "transfer-coding-not-implemented", title: "Not implemented",
                                   detail: "This server reads only the chunked transfer coding.", taxii: taxii)
            }
        }
        guard let expect = head.headerFields[.expect] else { return nil }
        guard expect.lowercased() == "100-continue" else {
            return EdgeRefusal(status: 417, type: "expectation-failed", title: "Expectation failed",
                               detail: "This server meets only the 100-continue expectation.", taxii: taxii)
        }
        let limit = HTTPEdgeLimits.bodyLimit(method: head.method.rawValue, path: path)
        if let length = head.headerFields[.contentLength].flatMap({ Int($0) }), length > limit {
            return EdgeRefusal(status: 413, type: "body-too-large", title: "Request body too large",
                               detail: "The body exceeds \(limit) bytes.", taxii: taxii)
        }
        return nil
    }

    /// Writes `refusal`, closes the connection once it is sent, and reads nothing more.
    private func answer(context: ChannelHandlerContext, _ refusal: EdgeRefusal) {
        answered = true
        timer?.task.cancel()
        timer = nil
        let body = refusal.body
        let head = HTTPResponse(status: .init(code: refusal.status, reasonPhrase: refusal.title), headerFields: [
            .contentType: refusal.contentType, .contentLength: String(body.readableBytes), .connection: "close",
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

    // MARK: timers

    /// Sets the timer the connection's state calls for. `reset` restarts a running body timer
    /// (a body that makes progress is not stalled); a header deadline is never moved.
    private func rearm(reset: Bool = false) {
        guard !answered, let context else { return }
        let phase: Phase?
        if readingBody {
            phase = .body
        } else if inFlight > 0 {
            phase = nil
        } else {
            phase = partialHead ? .head : .idle
        }
        if let timer, timer.phase == phase, !(reset && phase == .body) { return }
        timer?.task.cancel()
        timer = nil
        guard let phase else { return }
        let delay = phase == .idle ? limits.idleTimeout : limits.readTimeout
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let task = context.eventLoop.scheduleTask(in: delay) { handler.value.timedOut(phase) }
        timer = (phase, task)
    }

    private func timedOut(_ phase: Phase) {
        guard let context, timer?.phase == phase else { return }
        timer = nil
        if phase == .head, inFlight == 0 {
            answer(context: context, EdgeRefusal(status: 408, type: "request-timeout", title: "Request timeout",
                                                  detail: "The request's header block did not arrive in time."))
        } else {
            answered = true
            context.close(promise: nil)
        }
    }
}

/// Tells the ``HTTPEdgeHandler`` when bytes arrive, before any decoding (TLS or HTTP).
private final class ByteArrivalWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private weak var edge: HTTPEdgeHandler?

    init(edge: HTTPEdgeHandler) { self.edge = edge }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        edge?.bytesArrived()
        context.fireChannelRead(data)
    }
}

/// An answer the edge gives itself, as a problem document (or a TAXII error on TAXII routes).
struct EdgeRefusal {
    var status: Int
    var type: String
    var title: String
    var detail: String
    var taxii = false

    var contentType: String { taxii ? TAXIIMedia.taxii : "application/problem+json" }

    var body: ByteBuffer {
        let object: [String: Any] = taxii
            ? ["title": title, "description": detail, "http_status": String(status)]
            : ["type": Problem(status: status, type: type, title: title, detail: detail).typeURI, "title": title, "status": status, "detail": detail]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return ByteBuffer(bytes: data)
    }
}
