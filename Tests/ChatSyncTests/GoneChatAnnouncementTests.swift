import ChatAPI
import ChatStore
import ChatTestSupport
@testable import ChatSync
import Foundation
import Testing

/// When someone else deletes the chat you read, or removes you from it, the
/// status line says who, not only that the chat went.
@Suite struct GoneChatAnnouncementTests {
    @Test func whoDeletedTheChatOrRemovedYouIsSaid() async throws {
        let server = try await TestServer.start()
        let alice = try await SyncTestClient.start("Alice", on: server)
        let bob = try await SyncTestClient.start("Bob", on: server)
        let carol = try await SyncTestClient.start("Carol", on: server)
        try await alice.online()
        try await bob.online()
        let deleted = try await alice.engine.createChat(CreateChatRequest(title: "Doomed", participants: [bob.id], isPersonal: false)).id
        let left = try await alice.engine.createChat(CreateChatRequest(title: "Smaller", participants: [bob.id, carol.id], isPersonal: false)).id
        try await bob.eventually("Bob has both groups") { store in try store.chat(deleted) != nil && store.chat(left) != nil }

        try await alice.engine.deleteChat(deleted)
        try await bob.eventually("the group is gone") { store in try store.chat(deleted) == nil }
        #expect(await bob.engine.currentStatus.announcement == "Alice deleted the chat Doomed.")

        try await alice.engine.removeUsers(left, [bob.id])
        try await bob.eventually("removed") { store in try store.chat(left) == nil }
        let said = await bob.engine.currentStatus.announcement
        #expect(said == "Alice removed you from Smaller.", "\(String(describing: said))")
        await alice.stop()
        await bob.stop()
        await carol.stop()
        await server.stop()
    }
}
