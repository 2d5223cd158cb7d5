import ChatAPI
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOWebSocket

/// Section 6 of the spec: `ws://host:port/<DeviceSession.id>` with the Bearer header. A bad
/// token, or a session id that is not the token's, is refused before the upgrade (the
/// framework answers such refusals with 400).
enum EventRoutes {
    static func router(accounts: AccountService, hub: RealtimeHub) -> Router<BasicWebSocketRequestContext> {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws(":sessionId") { request, context in
            guard try await caller(of: request, context: context, accounts: accounts) != nil else { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, wsContext in
            let request = wsContext.request
            guard let caller = try await caller(of: request, context: wsContext.requestContext, accounts: accounts) else {
                try await outbound.close(.policyViolation, reason: "not signed in")
                return
            }
            await accounts.markOnline(caller)
            let (connectionId, frames) = await hub.register(userId: caller.userId, sessionId: caller.sessionId)
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await frame in frames {
                        do {
                            // The encoded event as a text frame, as is (it is UTF-8 JSON).
                            try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: frame)))
                        } catch {
                            break
                        }
                    }
                    // The hub ended the stream (logout, slow peer) or the socket failed: close it.
                    try? await outbound.close(.normalClosure, reason: nil)
                }
                group.addTask {
                    // Clients send nothing we act on; reading keeps ping/pong and close handling going.
                    var iterator = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                    while (try? await iterator.next()) != nil {}
                }
                await group.next()
                await hub.unregister(connectionId: connectionId, userId: caller.userId)
                group.cancelAll()
            }
            await accounts.markOnline(caller)
        }
        return router
    }

    private static func caller(of request: Request, context: BasicWebSocketRequestContext, accounts: AccountService) async throws -> Caller? {
        guard let token = AuthMiddleware.bearerToken(request.headers[.authorization]),
              let sessionId = context.parameters.get("sessionId").flatMap(UUID.init(uuidString:)),
              let caller = try await accounts.caller(forToken: token),
              caller.sessionId == sessionId
        else { return nil }
        return caller
    }
}
