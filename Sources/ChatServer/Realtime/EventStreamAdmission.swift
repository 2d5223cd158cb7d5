import ChatAPI
import Foundation
import NIOHTTP1

/// Section 6 of the spec: `ws://host:port/<DeviceSession.id>` with the Bearer header. A bad
/// token, a session id that is not the token's, any other path, or an account that has its
/// share of event streams open already, is refused before the upgrade, with the reason in the
/// JSON body every error answer has.
struct EventStreamAdmission: Sendable {
    let accounts: AccountService
    let hub: RealtimeHub
    let maxSocketsPerAccount: Int

    /// Who may connect, and where their stream continues (`?resume=`, [ours]).
    struct Admitted: Sendable {
        var caller: Caller
        var resume: ResumeRequest?
    }

    /// The caller an upgrade request may connect as, or why it may not.
    func admit(_ head: HTTPRequestHead) async -> Result<Admitted, APIError> {
        guard let token = AuthMiddleware.bearerToken(head.headers.first(name: "Authorization")) else {
            return .failure(.unauthorized("The event stream needs the session's access token (Authorization: Bearer …)."))
        }
        guard let sessionId = Self.sessionId(inPath: head.uri) else {
            return .failure(.badRequest("The event stream is at /<session id>, the id of the session the token belongs to."))
        }
        let resume: ResumeRequest?
        do {
            resume = try ResumeRequest.inURI(head.uri)
        } catch {
            return .failure(.badRequest(error.reason))
        }
        guard let caller = try? await accounts.caller(forToken: token) else { return .failure(.unauthorized()) }
        guard caller.sessionId == sessionId else {
            return .failure(.forbidden("The event stream's session id is not the session of this token."))
        }
        // One account never takes every connection.
        if hub.connectionCount(of: caller.userId) >= maxSocketsPerAccount {
            return .failure(.badRequest("At most \(maxSocketsPerAccount) event streams per account are open at once; close one first."))
        }
        return .success(Admitted(caller: caller, resume: resume))
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
