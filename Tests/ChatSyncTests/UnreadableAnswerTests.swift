import ChatAPI
import ChatClient
import ChatStore
import ChatTestSupport
import Foundation
import Testing
@testable import ChatSync

/// A 2xx the client cannot read after posting is not a refusal. The server
/// may well have stored the message: it stays queued under the same localId, is confirmed by
/// the next attempt (the server answers the original), and exists once.
@Suite struct UnreadableAnswerTests {
    @Test func anUnreadable2xxAfterPostingIsNeitherFailedNorSentTwice() async throws {
        try await withServer { server in
            let (bobAPI, bob, _) = try await SyncTestClient.register("Bob", on: server)
            let proxy = ManglingProxy(to: server.port) { $0.hasPrefix("POST /chats/") && $0.contains("/messages ") }
            defer { proxy.stop() }
            let (api, alice, session) = try await SyncTestClient.register("Alice", on: server)
            let proxied = APIClient(baseURL: URL(string: "http://127.0.0.1:\(proxy.port)")!, token: api.token)
            let client = try SyncTestClient.start(api: proxied, user: alice, sessionId: session,
                                                  storePath: NSTemporaryDirectory() + "sync-\(UUID().uuidString)/cache.sqlite")
            let chat = try await client.engine.createChat(CreateChatRequest(participants: [bob.id])).id
            let queued = try await client.engine.send("through a proxy that garbles one answer", to: chat)

            try await client.eventually("the message is confirmed, never failed") { store in
                let message = try store.messages(chat).first { $0.localId == queued.localId }
                if message?.state == .failed { throw TestFailure("marked failed: \(message?.failureReason ?? "")") }
                return message?.serverId != nil
            }
            // The event stream can confirm the message before the proxy's thread has counted the
            // answer it garbled: wait for that count (bounded), then check it is exactly one.
            let deadline = ContinuousClock.now + .seconds(20)
            while proxy.mangledCount < 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(proxy.mangledCount == 1)
            let onServer = try await serverMessages(bobAPI, chat)
            #expect(onServer.map(\.text) == ["through a proxy that garbles one answer"])
            #expect(onServer.first?.localId == queued.localId)
            #expect(try client.store.messages(chat).count == 1)
            await client.stop()
        }
    }
}
