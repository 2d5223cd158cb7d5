import ChatAPI
import ChatClient
import ChatStore
import ChatTestSupport
import Foundation
import Testing
@testable import ChatSync

/// A first sync over many chats reports how far it has come, for the status
/// line, and asks for pages only where there are messages.
@Suite struct ManyChatsTests {
    @Test func aFirstSyncOverManyChatsReportsItsProgress() async throws {
        try await withServer { server in
            let (aliceAPI, alice, session) = try await SyncTestClient.register("Alice", on: server)
            for index in 0..<150 {
                let (api, _, _) = try await SyncTestClient.register("Friend", on: server)
                let chat = try await api.createChat(CreateChatRequest(participants: [alice.id]))
                _ = try await api.postMessage(chat.id, PostMessageRequest(localId: "\(chat.owner.id)+\(UUID().uuidString)", text: "hello \(index)"))
            }
            // Five chats with nobody's messages need no page.
            for _ in 0..<5 {
                let (api, _, _) = try await SyncTestClient.register("Quiet", on: server)
                _ = try await api.createChat(CreateChatRequest(participants: [alice.id]))
            }
            let client = try SyncTestClient.start(api: aliceAPI, user: alice, sessionId: session,
                                                  storePath: NSTemporaryDirectory() + "sync-\(UUID().uuidString)/cache.sqlite")
            var seen: [SyncProgress] = []
            for await status in client.engine.statusUpdates {
                if let progress = status.syncProgress { seen.append(progress) }
                if status.isCaughtUp { break }
            }
            #expect(seen.first == SyncProgress(done: 0, total: 150), "\(seen)")
            #expect(seen.contains(SyncProgress(done: 100, total: 150)), "\(seen)")
            #expect(seen.map(\.done) == seen.map(\.done).sorted())
            #expect(await client.engine.currentStatus.syncProgress == nil)
            #expect(try client.store.chatList(archived: nil).count == 155)
            await client.stop()
        }
    }
}
