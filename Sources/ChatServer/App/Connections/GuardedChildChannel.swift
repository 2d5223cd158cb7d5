import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Wraps the HTTP + WebSocket child channel with the handlers that make every connection
/// answer or end: `FirstRequestDeadlineHandler` in front of the HTTP decoder and
/// `HTTPErrorAnswerHandler` right after it. The inner channel closes what it is done with
/// (an event-stream session outlives its handling, in its own handlers).
struct GuardedChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value

    let inner: Inner
    let headerTimeout: TimeAmount
    let limiter: ConnectionLimiter

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(FirstRequestDeadlineHandler(timeout: headerTimeout, limiter: limiter))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try operations.addHandler(HTTPErrorAnswerHandler(), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
