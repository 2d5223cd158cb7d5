import NIOCore

/// First in every connection's pipeline, on raw bytes: takes a place from the
/// `ConnectionLimiter` (or answers 503 and closes), and closes a connection whose first
/// request head is not complete within `timeout` (408), so partial headers followed by silence
/// cannot hold a socket. Once the head's blank line has arrived it only passes bytes on; later
/// idleness is the HTTP layer's idle timeout, and a WebSocket's is its ping.
final class FirstRequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let timeout: TimeAmount
    private let limiter: ConnectionLimiter
    private var holdsPlace = false
    private var started = false
    private var headComplete = false
    private var deadline: Scheduled<Void>?
    /// How much of `\r\n\r\n` the bytes so far end with.
    private var matched = 0

    init(timeout: TimeAmount, limiter: ConnectionLimiter) {
        self.timeout = timeout
        self.limiter = limiter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        if holdsPlace {
            holdsPlace = false
            limiter.release()
        }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        if holdsPlace {
            holdsPlace = false
            limiter.release()
        }
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        guard limiter.acquire() else {
            answerAndClose(context, status: 503, phrase: "Service Unavailable", reason: "The server is at its connection limit; try again shortly.")
            return
        }
        holdsPlace = true
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) { [weak self] in
            guard let self, !self.headComplete else { return }
            self.answerAndClose(loopBound.value, status: 408, phrase: "Request Timeout",
                                reason: "The request's headers did not arrive in time.")
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !headComplete {
            let buffer = unwrapInboundIn(data)
            if containsHeadEnd(buffer) {
                headComplete = true
                deadline?.cancel()
                deadline = nil
            }
        }
        context.fireChannelRead(data)
    }

    /// Finds the blank line that ends a request head (`\r\n\r\n`), across reads.
    private func containsHeadEnd(_ buffer: ByteBuffer) -> Bool {
        for byte in buffer.readableBytesView {
            let expected: UInt8 = matched % 2 == 0 ? 13 : 10
            if byte == expected {
                matched += 1
                if matched == 4 { return true }
            } else {
                matched = byte == 13 ? 1 : 0
            }
        }
        return false
    }

    private func answerAndClose(_ context: ChannelHandlerContext, status: Int, phrase: String, reason: String) {
        let response = ErrorBytes.rawResponse(status: status, phrase: phrase, reason: reason)
        context.writeAndFlush(wrapOutboundOut(response)).whenComplete { _ in context.close(promise: nil) }
    }
}
