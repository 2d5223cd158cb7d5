import NIOCore
import NIOHTTP1

/// Sits right after the HTTP decoder, so that every request the decoder cannot parse (a NUL in
/// the path, a lying or doubled `Content-Length`, a garbage request line, oversized headers, a
/// bad chunk size) is answered with the protocol's JSON error, 400 or 431, instead of silence.
///
/// It also closes connections whose answer says `Connection: close` (a refused body too large to
/// read), gently: the answer is written, our side is shut for writing, and what the peer still
/// sends is read and dropped for a moment, so the peer reads the answer instead of a reset.
///
/// A WebSocket upgrade (101) removes it: after that the bytes are frames, not HTTP.
final class HTTPErrorAnswerHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// How long a closing connection keeps reading (and dropping) what the peer still sends.
    static let lingerTime: TimeAmount = .seconds(2)

    private var responseInProgress = false
    private var closeAfterResponse = false
    private var closing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !closing else { return }
        guard !responseInProgress else {
            // An answer is already on its way; HTTP has no room for a second one.
            closing = true
            context.close(promise: nil)
            return
        }
        let (status, reason) = Self.answer(for: parserError)
        let body = ErrorBytes.body(reason)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        linger(context, after: context.writeAndFlush(wrapOutboundOut(.end(nil))))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if head.status == .switchingProtocols {
                // Leave once the 101 is out, before the upgrade puts frame handlers behind us.
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                let written = context.eventLoop.makePromise(of: Void.self)
                written.futureResult.whenComplete { _ in
                    loopBound.value.pipeline.syncOperations.removeHandler(context: loopBound.value, promise: nil)
                }
                if let promise { written.futureResult.cascade(to: promise) }
                context.write(data, promise: written)
                return
            }
            responseInProgress = true
            if head.headers[canonicalForm: "connection"].contains(where: { $0.lowercased() == "close" }) {
                closeAfterResponse = true
            }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            responseInProgress = false
            guard closeAfterResponse, !closing else {
                context.write(data, promise: promise)
                return
            }
            let written = context.writeAndFlush(data)
            if let promise { written.cascade(to: promise) }
            linger(context, after: written)
        }
    }

    /// Once `written` completes: shut our side, drop what still arrives, close soon after.
    private func linger(_ context: ChannelHandlerContext, after written: EventLoopFuture<Void>) {
        closing = true
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        written.whenComplete { _ in
            let context = loopBound.value
            context.close(mode: .output, promise: nil)
            context.eventLoop.scheduleTask(in: Self.lingerTime) { loopBound.value.close(promise: nil) }
        }
    }

    static func answer(for error: HTTPParserError) -> (HTTPResponseStatus, String) {
        switch error {
        case .headerOverflow:
            return (.requestHeaderFieldsTooLarge, "The request's headers are too large.")
        case .invalidContentLength, .unexpectedContentLength:
            return (.badRequest, "The request's Content-Length is not valid.")
        case .invalidChunkSize:
            return (.badRequest, "The request's chunked body is not valid.")
        default:
            return (.badRequest, "The request is not valid HTTP (\(error)).")
        }
    }
}
