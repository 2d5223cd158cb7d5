import ChatAPI
import ChatTestSupport
import Foundation
import Testing

/// An event-stream upgrade the server refuses is answered as every error is: a 4xx status
/// that fits, and `{"error": true, "reason": …}` a person can read (it was an empty 400).
@Suite struct RefusedUpgradeTests {
    @Test(arguments: StorageBackend.available) func aRefusedUpgradeSaysWhy(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let path = APIPath.events(alice.sessionId)
            let refusals: [(path: String, token: String?, status: Int, words: String)] = [
                (path, nil, 401, "access token"),
                (path, "forged", 401, "access token is missing, invalid or expired"),
                (path, bob.token, 403, "not the session of this token"),
                ("/chats", alice.token, 400, "/<session id>"),
            ]
            for refusal in refusals {
                let reply = try await RawHTTP.exchange(port: server.port, RawHTTP.upgradeRequest(port: server.port, path: refusal.path, token: refusal.token))
                #expect(reply.status == refusal.status, "\(refusal.path) with \(refusal.token ?? "no token")")
                #expect(reply.reason?.contains(refusal.words) == true, "\(refusal.path): \(reply.body)")
                #expect(reply.closed)
            }
        }
    }
}
