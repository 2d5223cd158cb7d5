import ChatAPI
import Foundation
import NIOHTTP1

/// Section 6 of the spec: `ws://host:port/<DeviceSession.id>` with the Bearer header. A bad
/// token, a session id that is not the token's, any other path, or an account that has its
/// share of event streams open already, is refused before the upgrade (with 400).
struct EventStreamAdmission: Sendable {
    let accounts: AccountService
    let hub: RealtimeHub
    let maxSocketsPerAccount: Int

    /// The caller an upgrade request may connect as, or nil to refuse it.
    func caller(for head: HTTPRequestHead) async -> Caller? {
        guard let token = AuthMiddleware.bearerToken(head.headers.first(name: "Authorization")),
              let sessionId = Self.sessionId(inPath: head.uri),
              let caller = try? await accounts.caller(forToken: token),
              caller.sessionId == sessionId
        else { return nil }
        // One account never takes every connection.
        if hub.connectionCount(of: caller.userId) >= maxSocketsPerAccount { return nil }
        return caller
    }

    /// The session id of `/<id>` (a query, if any, ignored; one trailing slash allowed).
    static func sessionId(inPath uri: String) -> UUID? {
        let path = uri.prefix { $0 != "?" && $0 != "#" }
        guard path.hasPrefix("/") else { return nil }
        var id = path.dropFirst()
        if id.hasSuffix("/") { id = id.dropLast() }
        guard !id.contains("/") else { return nil }
        return UUID(uuidString: String(id))
    }
}
