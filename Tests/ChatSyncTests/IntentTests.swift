import ChatAPI
import ChatClient
import ChatStore
import ChatTestSupport
import Foundation
import Testing
@testable import ChatSync

/// Every change is an intent of the engine, queued durably, delivered in order, and
/// failed with the server's reason when refused; against the real server.
@Suite struct IntentTests {
    func freshStore() -> String { NSTemporaryDirectory() + "sync-\(UUID().uuidString)/cache.sqlite" }

    /// An edit and a delete typed while their posts are still on the way wait for them: no
    /// error, and both sides end with the right messages.
    @Test func editAndDeleteRightAfterSendingWaitForTheirPosts() async throws {
        try await withServer { server in
            let bob = try await SyncTestClient.start("Bob", on: server)
            // Alice talks through a proxy that holds each post's answer until released.
            let proxy = ManglingProxy(to: server.port, count: 2, holding: true) { $0.hasPrefix("POST /chats/") && $0.contains("/messages ") }
            defer { proxy.stop() }
            let (api, alice, session) = try await SyncTestClient.register("Alice", on: server)
            let client = SyncTestClient.start(api: APIClient(baseURL: URL(string: "http://127.0.0.1:\(proxy.port)")!, token: api.token),
                                              user: alice, sessionId: session, store: try ChatStore(path: freshStore(), me: alice.id))
            let chat = try await client.engine.createChat(CreateChatRequest(participants: [bob.id])).id
            var arrivals = proxy.held.makeAsyncIterator()

            let first = try await client.engine.send("frist", to: chat)
            _ = await arrivals.next()  // the post is in flight
            try await client.engine.editMessage(chat, localId: first.localId, text: "first")
            #expect(try client.store.intents().count == 1, "the edit waits for the post, as an intent")
            proxy.release()

            let second = try await client.engine.send("oops", to: chat)
            _ = await arrivals.next()
            try await client.engine.deleteMessage(chat, localId: second.localId)
            proxy.release()

            try await client.eventually("both intents confirmed") { try $0.intents().isEmpty }
            try await bob.eventually("Bob sees the edit and the delete") { store in
                let messages = try store.messages(chat)
                return messages.count == 2 && messages[0].text == "first" && messages[0].editedAt != nil && messages[1].isDeleted
            }
            let onServer = try await serverMessages(bob.api, chat)
            #expect(onServer.map(\.text) == ["first", ""])
            #expect(onServer[1].deletedAt != nil)
            let mine = try client.store.messages(chat)
            #expect(mine.map(\.text) == ["first", ""])
            await client.stop()
            await bob.stop()
        }
    }

    /// An edit of a message that has not left the outbox goes with the post: one message,
    /// never edited on the server.
    @Test func anEditOfAQueuedMessageMergesIntoItsPost() async throws {
        let server = try await TestServer.startRestartable()
        let alice = try await SyncTestClient.start("Alice", on: server)
        let (bobAPI, bob, _) = try await SyncTestClient.register("Bob", on: server)
        try await alice.online()
        let chat = try await alice.engine.createChat(CreateChatRequest(participants: [bob.id])).id
        await server.stop()
        try await alice.offline()

        let queued = try await alice.engine.send("draft text", to: chat)
        try await alice.engine.editMessage(chat, localId: queued.localId, text: "final text")
        #expect(try alice.store.intents().isEmpty)
        #expect(try alice.store.outboxItems().map(\.text) == ["final text"])

        let restarted = try await TestServer.restart(server)
        try await alice.eventually("delivered") { try $0.outboxItems().isEmpty }
        let onServer = try await serverMessages(bobAPI, chat)
        #expect(onServer.map(\.text) == ["final text"])
        #expect(onServer.first?.editedAt == nil)
        await alice.stop()
        await restarted.stop()
    }

    /// Twenty changes of every kind typed offline are all applied, once and in order, after
    /// the server comes back (and the client restarts in between).
    @Test func twentyIntentsQueuedOfflineAreAppliedOnceInOrder() async throws {
        let server = try await TestServer.startRestartable()
        var alice = try await SyncTestClient.start("Alice", on: server)
        let (bobAPI, bob, _) = try await SyncTestClient.register("Bob", on: server)
        let (_, carol, _) = try await SyncTestClient.register("Carol", on: server)
        let (_, dave, _) = try await SyncTestClient.register("Dave", on: server)
        try await alice.online()
        let chat = try await alice.engine.createChat(CreateChatRequest(title: "Plans", participants: [bob.id, carol.id])).id
        let kept = try await alice.engine.send("to be edited", to: chat)
        let dropped = try await alice.engine.send("to be deleted", to: chat)
        try await alice.eventually("both posted") { try $0.outboxItems().isEmpty }
        await server.stop()
        try await alice.offline()

        for index in 1...5 { try await alice.engine.renameChat(chat, title: "Plans \(index)") }
        for index in 1...5 { try await alice.engine.editMessage(chat, localId: kept.localId, text: "edit \(index)") }
        try await alice.engine.updateSettings(chat, ChatSettingsRequest(isMuted: true))
        try await alice.engine.updateSettings(chat, ChatSettingsRequest(isArchived: true))
        try await alice.engine.updateSettings(chat, ChatSettingsRequest(isMuted: false))
        try await alice.engine.deleteMessage(chat, localId: dropped.localId)
        try await alice.engine.removeUsers(chat, [carol.id])
        try await alice.engine.addUsers(chat, [dave.id])
        try await alice.engine.blockUser(chat, dave.id, blocked: true)
        try await alice.engine.blockUser(chat, dave.id, blocked: false)
        try await alice.engine.updateProfile(UpdateProfileRequest(name: "Alice One"))
        try await alice.engine.updateProfile(UpdateProfileRequest(name: "Alice Two"))
        #expect(try alice.store.intents().count == 20)
        #expect(await alice.engine.currentStatus.pendingChanges == 20)
        // Shown at once, before the server has any of it.
        #expect(try alice.store.chatList(archived: nil).first { $0.id == chat }?.title == "Plans 5")

        // A restart of the client in between: the queue is in SQLite.
        await alice.stop()
        alice = try alice.restarted()
        let restarted = try await TestServer.restart(server)
        try await alice.eventually("every intent confirmed") { try $0.intents().isEmpty }

        let info = try await alice.api.chat(chat)
        #expect(info.title == "Plans 5")
        #expect(Set(info.allUsers?.map(\.id) ?? []) == [alice.id, bob.id, dave.id])
        let flags = try await alice.api.chats(full: true).first { $0.id == chat }
        #expect(flags?.isMuted == false)
        #expect(flags?.isArchived == true)
        let onServer = try await serverMessages(bobAPI, chat)
        #expect(onServer.map(\.text) == ["edit 5", ""])
        #expect(onServer[1].deletedAt != nil)
        #expect(try await alice.api.blockedUsers(chat).isEmpty)
        #expect(try await alice.api.me().info.name == "Alice Two")
        #expect(await alice.engine.currentStatus.pendingChanges == 0)
        await alice.stop()
        await restarted.stop()
    }

    /// A change the server refuses is failed with its reason, and what was shown in advance
    /// is read back from the server.
    @Test func aRefusedIntentIsShownWithTheServersReason() async throws {
        try await withServer { server in
            let alice = try await SyncTestClient.start("Alice", on: server)
            let (_, bob, _) = try await SyncTestClient.register("Bob", on: server)
            try await alice.online()
            let chat = try await alice.engine.createChat(CreateChatRequest(participants: [bob.id])).id
            try await alice.engine.renameChat(chat, title: "A name for a personal chat")
            try await alice.eventually("the rename is refused") { try $0.intents().first?.isFailed == true }
            let reason = try #require(try alice.store.intents().first?.lastError)
            #expect(reason.lowercased().contains("personal"), "\(reason)")
            try await alice.status("the reason is shown") { $0.lastError == reason }
            try await alice.eventually("the title is read back") { store in
                try store.chatList(archived: nil).first { $0.id == chat }?.title != "A name for a personal chat"
            }
            await alice.stop()
        }
    }

    /// A group left offline does not come back with the catch-up before the server knows.
    @Test func aChatLeftOfflineStaysGoneThroughTheCatchUp() async throws {
        let server = try await TestServer.startRestartable()
        let alice = try await SyncTestClient.start("Alice", on: server)
        let (bobAPI, bob, _) = try await SyncTestClient.register("Bob", on: server)
        let (_, carol, _) = try await SyncTestClient.register("Carol", on: server)
        try await alice.online()
        let chat = try await alice.engine.createChat(CreateChatRequest(title: "Leaving", participants: [bob.id, carol.id])).id
        await server.stop()
        try await alice.offline()
        try await alice.engine.leaveChat(chat)
        #expect(try !alice.store.chatIds().contains(chat))

        let restarted = try await TestServer.restart(server)
        try await alice.eventually("the leave is confirmed, the chat never back") { store in
            if try store.chatIds().contains(chat) { throw TestFailure("the left chat came back") }
            return try store.intents().isEmpty
        }
        let members = try await bobAPI.chat(chat).allUsers?.map(\.id) ?? []
        #expect(!members.contains(alice.id))
        await alice.stop()
        await restarted.stop()
    }
}
