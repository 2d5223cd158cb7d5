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
}
