import ChatAPI
import Foundation
import NIOCore
import NIOWebSocket

/// Asks a session's handler to end it with a close frame (logout, shutdown); safe to fire from
/// any thread through the channel's pipeline.
struct EndEventSession: Sendable {
    var code: WebSocketErrorCode
    var reason: String?
}

/// One event-stream session, as a handler on its channel's event loop after the WebSocket
/// upgrade. Events are written by the hub straight onto the channel; this handler only answers
/// pings, sends its own every `pingInterval` (a session that let one go unanswered is ended),
/// checks that text frames are UTF-8 (1007 otherwise), and ends the session on a close frame.
/// An idle session is this object, its channel and the codec's: no task is parked for it.
final class EventSessionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// Fired on the channel's loop when a ping is due.
    private struct PingDue: Sendable {}

    private let caller: Caller
    private let resume: ResumeRequest?
    private let hub: RealtimeHub
    private let accounts: AccountService
    private let maxSocketsPerAccount: Int
    private let pingInterval: TimeAmount
    private var connection: RealtimeHub.Connection?
    private var text = TextFrameValidator()
    private var awaitingPong = false
    private var pinger: RepeatedTask?
    private var closing = false

    init(caller: Caller, resume: ResumeRequest? = nil, hub: RealtimeHub, accounts: AccountService, maxSocketsPerAccount: Int, pingInterval: TimeAmount) {
        self.caller = caller
        self.resume = resume
        self.hub = hub
        self.accounts = accounts
        self.maxSocketsPerAccount = maxSocketsPerAccount
        self.pingInterval = pingInterval
    }

    /// Added once the upgrade is done, on an active channel: the session starts here.
    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        // The hub writes encoded frames at the encoder's place (the upgrader always adds one).
        guard let encoder = try? context.pipeline.syncOperations.context(handlerType: WebSocketFrameEncoder.self) else {
            end(context, code: .unexpectedServerError, reason: "The event stream could not start.")
            return
        }
        connection = hub.register(
            userId: caller.userId, sessionId: caller.sessionId, channel: channel, writer: encoder, limit: maxSocketsPerAccount,
            resume: resume, close: { code in channel.pipeline.fireUserInboundEventTriggered(EndEventSession(code: code)) }
        )
        guard connection != nil else {
            // Upgrades that passed the check together: the one over the share is closed.
            let reason = "At most \(maxSocketsPerAccount) event streams per account are open at once; close one first."
            end(context, code: .policyViolation, reason: reason)
            return
        }
        markOnline()
        pinger = context.eventLoop.scheduleRepeatedTask(initialDelay: pingInterval, delay: pingInterval) { _ in
            channel.pipeline.fireUserInboundEventTriggered(PingDue())
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .ping:
            guard !closing else { return }
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .pong:
            awaitingPong = false
        case .connectionClose:
            guard !closing else {
                context.close(promise: nil)
                return
            }
            // The peer ends the session: echo its code, then close.
            var data = frame.unmaskedData
            let code = data.readWebSocketErrorCode() ?? .normalClosure
            end(context, code: code, reason: nil)
        case .text, .binary, .continuation:
            // Frames, not assembled messages: nothing is kept between them but a split
            // character of a text message (clients send nothing we act on).
            let opcode: TextFrameValidator.Opcode = frame.opcode == .text ? .text : frame.opcode == .binary ? .binary : .continuation
            if !text.accept(opcode: opcode, fin: frame.fin, bytes: frame.unmaskedData.readableBytesView) {
                end(context, code: .dataInconsistentWithMessage, reason: "A text frame that is not UTF-8.")
            }
        default:
            end(context, code: .protocolError, reason: "An unknown frame type.")
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is PingDue:
            guard !closing else { return }
            if awaitingPong {
                end(context, code: .goingAway, reason: "No answer to a ping.")
                return
            }
            awaitingPong = true
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: context.channel.allocator.buffer(capacity: 0))), promise: nil)
        case let request as EndEventSession:
            end(context, code: request.code, reason: request.reason)
        case ChannelEvent.inputClosed:
            // The server allows half-closure: a peer that went away without a close frame.
            context.close(promise: nil)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Sends a close frame (once), stops events, and closes the connection once it is written.
    private func end(_ context: ChannelHandlerContext, code: WebSocketErrorCode, reason: String?) {
        guard !closing else { return }
        closing = true
        leaveHub()
        var data = context.channel.allocator.buffer(capacity: 2 + (reason?.utf8.count ?? 0))
        data.write(webSocketErrorCode: code)
        if let reason { data.writeString(reason) }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    private func finish() {
        pinger?.cancel()
        pinger = nil
        leaveHub()
    }

    private func leaveHub() {
        guard let connection else { return }
        self.connection = nil
        connection.onLoop.value.writer = nil  // frames already posted to the loop are not written
        hub.unregister(connectionId: connection.id, userId: caller.userId)
        markOnline()
    }

    private func markOnline() {
        let (accounts, caller) = (accounts, caller)
        Task { await accounts.markOnline(caller) }
    }
}
