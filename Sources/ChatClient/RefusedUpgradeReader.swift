import ChatAPI
import Foundation
import NIOCore
import NIOHTTP1

/// What a server answered instead of switching to the event stream.
struct RefusedUpgrade: Sendable {
    var status: Int
    /// The reason of a `{"error": true, "reason": …}` body, if the answer had one.
    var reason: String?
}

/// Reads the answer of a server that refused the event stream's upgrade (its status, and at
/// most 16 KB of body for the reason), so that the reason can be said. Ends at the answer's
/// end, at the close, or after five seconds, with what has come.
final class RefusedUpgradeReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    let answer: EventLoopPromise<RefusedUpgrade>
    private var status = 0
    private var body = ByteBuffer()
    private var finished = false
    private var deadline: Scheduled<Void>?

    init(answer: EventLoopPromise<RefusedUpgrade>) {
        self.answer = answer
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: .seconds(5)) { loopBound.value.finish() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
        case .body(var part):
            if body.readableBytes < 16_384 { body.writeBuffer(&part) }
        case .end:
            finish()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        deadline?.cancel()
        let reason = try? JSONDecoder.chatAPI().decode(ErrorBody.self, from: Data(body.readableBytesView)).reason
        answer.succeed(RefusedUpgrade(status: status, reason: reason))
    }
}
