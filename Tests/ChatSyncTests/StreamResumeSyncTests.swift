import ChatAPI
import ChatClient
import ChatStore
import ChatSync
import ChatTestSupport
import Foundation
import Testing

/// [ours] After a dropped connection the engine continues from the stream: what was posted
/// meanwhile arrives once, in order, and the engine is online and caught up again.
@Suite struct StreamResumeSyncTests {
    @Test func messagesPostedWhileTheConnectionIsDroppedArriveOnceInOrder() async throws {
        try await withServer { server in
            let bob = try await SyncTestClient.start("Bob", on: server)
            let (aliceAPI, alice, _) = try await SyncTestClient.register("Alice", on: server)
            try await bob.online()
            let chat = try await aliceAPI.createChat(CreateChatRequest(participants: [bob.id])).id
            func post(_ text: String) async throws {
                _ = try await aliceAPI.postMessage(chat, PostMessageRequest(localId: LocalID.make(author: alice.id), text: text))
            }
            try await post("before")
            try await bob.eventually("the first message") { try $0.messages(chat).count == 1 }
            for round in 0..<3 {
                bob.engine.reconnectNow()
                try await bob.offline()
                for index in 0..<5 { try await post("round \(round) message \(index)") }
                try await bob.online()
            }
            try await post("after")
            try await bob.eventually("all 17 messages") { try $0.messageCount(chat) == 17 }
            let texts = try bob.store.messages(chat, limit: 100).map(\.text)
            var expected: [String?] = ["before"]
            for round in 0..<3 { for index in 0..<5 { expected.append("round \(round) message \(index)") } }
            expected.append("after")
            #expect(texts == expected)
            await bob.stop()
        }
    }

    /// A resumed stream sends only what came after its last frame: if the catch-up before it
    /// never succeeded, what was missed before that is still missing, and the engine must catch
    /// up anyway rather than call itself current.
    @Test(.timeLimit(.minutes(1))) func aResumeAfterACatchUpThatFailedStillCatchesUp() async throws {
        try await withServer { server in
            let answer = RepeatedServerFailureTests.serverError(#"{"error": true, "reason": "Something went wrong"}"#)
            let proxy = ManglingProxy(to: server.port, count: 1_000, hangingWith: answer) { $0.hasPrefix("GET /chats?") || $0.hasPrefix("GET /chats ") }
            defer {
                for _ in 0..<1_000 { proxy.release() }
                proxy.stop()
            }
            let (_, alice) = try await RepeatedServerFailureTests.alice(on: server, through: proxy)
            try await alice.status("online, its catch-up failed") {
                $0.connection == .online && $0.lastError?.hasPrefix("The server failed to list your chats") == true
            }
            alice.engine.reconnectNow()
            try await alice.offline()
            // Counted once the drop has stopped the retries of the failed catch-up.
            let failedBefore = proxy.mangledCount
            try await alice.status("online again") { $0.connection == .online }
            // The connect after the drop asks for the chat list again (a resumed stream alone
            // would have called the cache current).
            let deadline = ContinuousClock.now + .seconds(20)
            while proxy.mangledCount == failedBefore, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(proxy.mangledCount > failedBefore)
            #expect(await alice.engine.currentStatus.isCaughtUp == false)
            await alice.stop()
        }
    }
}
