import ChatAPI
import ChatClient
import ChatStore
import ChatTestSupport
import Foundation
import Testing
@testable import ChatSync

/// A change the server fails again and again (the upstream answered
/// 500 to a chat image's DELETE on every one of 28 tries) is failed after a bounded number of
/// tries, with the server's reason, and does not hold back the chat's later changes.
@Suite struct RepeatedServerFailureTests {
    /// A 500 with the server's JSON reason, as a proxy answers in its place.
    static func serverError(_ body: String) -> String {
        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
    }

    /// Alice, registered on `server`, her engine talking to it through `proxy`, retrying fast.
    static func alice(on server: TestServer, through proxy: ManglingProxy) async throws -> (api: APIClient, client: SyncTestClient) {
        let (api, alice, session) = try await SyncTestClient.register("Alice", on: server)
        let client = SyncTestClient.start(
            api: APIClient(baseURL: URL(string: "http://127.0.0.1:\(proxy.port)")!, token: api.token), user: alice, sessionId: session,
            store: try ChatStore(path: NSTemporaryDirectory() + "sync-\(UUID().uuidString)/cache.sqlite", me: alice.id),
            retryPolicy: RetryPolicy(backoff: Backoff(base: .milliseconds(10), cap: .milliseconds(40)))
        )
        return (api, client)
    }

    /// The upstream answered 500 to `GET /chats` for minutes after a failed change; the
    /// status line stayed "syncing" for good, the catch-up never tried again. It is asked again
    /// with a growing pause while the connection lasts, and the status line says why.
    @Test(.timeLimit(.minutes(1))) func aCatchUpTheServerFailsIsTriedAgainWhileConnected() async throws {
        try await withServer { server in
            let failure = #"{"error": true, "reason": "Something went wrong"}"#
            let answer = Self.serverError(failure)
            // The first three chat lists fail; then the server is well again.
            let proxy = ManglingProxy(to: server.port, count: 3, hangingWith: answer) { $0.hasPrefix("GET /chats?") || $0.hasPrefix("GET /chats ") }
            defer {
                for _ in 0..<3 { proxy.release() }
                proxy.stop()
            }
            let (_, client) = try await Self.alice(on: server, through: proxy)
            var sawFailure = false
            for await status in client.engine.statusUpdates {
                if status.lastError?.hasPrefix("The server failed to list your chats (Something went wrong)") == true { sawFailure = true }
                if status.isCaughtUp { break }
            }
            #expect(sawFailure)
            #expect(proxy.mangledCount == 3)
            await client.stop()
        }
    }

    @Test func aChangeTheServerKeepsFailingIsFailedAndTheNextOneGoes() async throws {
        try await withServer { server in
            let bob = try await SyncTestClient.start("Bob", on: server)
            let failure = #"{"error": true, "reason": "The file doesn't exist"}"#
            let answer = Self.serverError(failure)
            // Every rename of a chat is answered 500; everything else reaches the server.
            let proxy = ManglingProxy(to: server.port, count: 100, hangingWith: answer) { $0.hasPrefix("PUT /chats/") && !$0.contains("/settings ") }
            defer {
                for _ in 0..<100 { proxy.release() }
                proxy.stop()
            }
            let (api, client) = try await Self.alice(on: server, through: proxy)
            let chat = try await client.engine.createChat(CreateChatRequest(title: "Club", participants: [bob.id], isPersonal: false)).id
            try await client.engine.renameChat(chat, title: "Full Club")
            try await client.engine.updateSettings(chat, ChatSettingsRequest(isMuted: true))

            try await client.eventually("the rename failed and the mute went") { store in
                let intents = try store.intents()
                return intents.count == 1 && intents[0].isFailed
            }
            let failed = try #require(try client.store.intents().first)
            #expect(failed.lastError == "The server failed it \(RetryPolicy.serverFailureLimit) times in a row: The file doesn't exist")
            #expect(proxy.mangledCount == RetryPolicy.serverFailureLimit)
            let settings = try await api.chat(chat)
            #expect(settings.isMuted == true)

            // The person sees it among the failed changes, tries it again (it fails again:
            // the server still fails it), then discards it: the chat shows the server's title.
            let listed = await client.engine.currentStatus.failedChanges
            #expect(listed == [FailedChange(seq: failed.seq, chatId: chat, what: "rename to “Full Club”", reason: failed.lastError ?? "")])
            try await client.engine.retryChange(failed.seq)
            #expect(await client.engine.currentStatus.failedChanges.isEmpty)
            #expect(await client.engine.currentStatus.pendingChanges == 1)
            try await client.eventually("failed again") { store in try store.intents().first?.isFailed == true }
            #expect(proxy.mangledCount == 2 * RetryPolicy.serverFailureLimit)
            try await client.engine.discardChange(failed.seq)
            #expect(try client.store.intents().isEmpty)
            #expect(await client.engine.currentStatus.failedChanges.isEmpty)
            #expect(try client.store.chat(chat)?.title == "Club")
            await client.stop()
            await bob.stop()
        }
    }
}
