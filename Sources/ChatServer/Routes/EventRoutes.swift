import ChatAPI
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// The WebSocket routes' request context: the basic one plus the connection's channel, which
/// the hub writes events to directly.
struct EventRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }
}

/// Section 6 of the spec: `ws://host:port/<DeviceSession.id>` with the Bearer header. A bad
/// token, or a session id that is not the token's, is refused before the upgrade (the
/// framework answers such refusals with 400).
enum EventRoutes {
    static func router(accounts: AccountService, hub: RealtimeHub, maxSocketsPerAccount: Int = 20) -> Router<EventRequestContext> {
        let router = Router(context: EventRequestContext.self)
        let tooMany = "At most \(maxSocketsPerAccount) event streams per account are open at once; close one first."
        router.ws(RouterPath(Routes.events)) { request, context in
            guard let caller = try await caller(of: request, context: context, accounts: accounts) else { return .dontUpgrade }
            // One account never takes every connection: refused before the upgrade.
            if hub.connectionCount(of: caller.userId) >= maxSocketsPerAccount { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, wsContext in
            let request = wsContext.request
            guard let caller = try await caller(of: request, context: wsContext.requestContext, accounts: accounts) else {
                try await outbound.close(.policyViolation, reason: "not signed in")
                return
            }
            await accounts.markOnline(caller)
            // Events are written by the hub straight onto the channel; this task only reads,
            // which keeps ping/pong and close handling going (clients send nothing we act on).
            guard let connectionId = hub.register(
                userId: caller.userId, sessionId: caller.sessionId, channel: wsContext.requestContext.channel, limit: maxSocketsPerAccount,
                close: { Task { try? await outbound.close(.normalClosure, reason: nil) } }
            ) else {
                // Upgrades that passed the check together: the one over the share is closed.
                try await outbound.close(.policyViolation, reason: tooMany)
                return
            }
            // Frames, not assembled messages: nothing is kept between them but a split
            // character of a text message, whose UTF-8 is checked (1007 otherwise).
            var iterator = inbound.makeAsyncIterator()
            var text = TextFrameValidator()
            while let frame = try? await iterator.next() {
                let opcode: TextFrameValidator.Opcode = switch frame.opcode {
                case .text: .text
                case .binary: .binary
                case .continuation: .continuation
                }
                guard text.accept(opcode: opcode, fin: frame.fin, bytes: frame.data.readableBytesView) else {
                    try? await outbound.close(.dataInconsistentWithMessage, reason: "A text frame that is not UTF-8.")
                    break
                }
            }
            hub.unregister(connectionId: connectionId, userId: caller.userId)
            await accounts.markOnline(caller)
        }
        return router
    }

    private static func caller(of request: Request, context: EventRequestContext, accounts: AccountService) async throws -> Caller? {
        guard let token = AuthMiddleware.bearerToken(request.headers[.authorization]),
              let sessionId = context.parameters.get("sessionId").flatMap(UUID.init(uuidString:)),
              let caller = try await accounts.caller(forToken: token),
              caller.sessionId == sessionId
        else { return nil }
        return caller
    }
}
