import ChatAPI
import ChatClient
import ChatStore
import ChatTestSupport
import Foundation
import Testing
@testable import ChatSync

/// Two (and three) real clients over the real server: every event kind ends up in the other's cache.
@Suite struct ConversationTests {
    @Test func twoClientsConverseAndEveryEventKindReachesTheOthersCache() async throws {
        try await withServer { server in
            let alice = try await SyncTestClient.start("Alice", on: server)
            let bob = try await SyncTestClient.start("Bob", on: server)
            let (carolAPI, carol, _) = try await SyncTestClient.register("Carol", on: server)
            try await alice.online()
            try await bob.online()

            // chatUpdate on creation: Bob's list shows the new chat.
            let chat = try await alice.engine.createChat(CreateChatRequest(title: "Plans", participants: [bob.id], isPersonal: false)).id
            try await bob.eventually("the new chat") { try $0.chatIds().contains(chat) }

            // message: sent through Alice's outbox, seen once by both.
            let queued = try await alice.engine.send("Hello Bob 👋", to: chat)
            try await bob.eventually("Alice's message") { try $0.messages(chat).map(\.text) == ["Hello Bob 👋"] }
            try await alice.eventually("the message delivered") { try $0.messages(chat).map(\.state) == [.sent] }
            let serverId = try #require(try bob.store.messages(chat).first?.serverId)
            #expect(try alice.store.message(chat, localId: queued.localId)?.serverId == serverId)

            // typing: Bob composes, Alice sees it; Bob sends, it ends.
            await bob.engine.composing(in: chat)
            try await alice.status("Bob typing") { $0.typing[chat] == [bob.id] }
            try await bob.engine.send("Hi!", to: chat)
            try await alice.status("Bob no longer typing") { $0.typing[chat] == nil }
            try await alice.eventually("Bob's reply") { try $0.messages(chat).count == 2 }

            // messageUpdate: read mark, edit, delete.
            try await bob.engine.markChatRead(chat)
            try await alice.eventually("Bob's read mark") { try $0.messages(chat).first?.readBy == [bob.id] }
            _ = try await alice.api.editMessage(chat, serverId, text: "Hello Bob (edited)")
            try await bob.eventually("the edit") { try $0.messages(chat).first?.text == "Hello Bob (edited)" }
            _ = try await alice.api.deleteMessage(chat, serverId)
            try await bob.eventually("the delete") { try $0.messages(chat).first?.isDeleted == true }

            // chatUpdate: rename. addedUsers / removedUsers: Carol joins and is removed.
            _ = try await bob.api.renameChat(chat, title: "Better plans")
            try await alice.eventually("the new title") { try $0.chat(chat)?.title == "Better plans" }
            _ = try await bob.api.addUsers(chat, [carol.id])
            try await alice.eventually("Carol added") { try $0.memberIds(chat).contains(carol.id) }
            _ = try await alice.api.removeUsers(chat, [carol.id])
            try await bob.eventually("Carol removed") { try !$0.memberIds(chat).contains(carol.id) }
            #expect(try await carolAPI.chats().isEmpty)

            // userUpdate.
            _ = try await bob.api.updateProfile(UpdateProfileRequest(name: "Robert"))
            try await alice.eventually("Bob's new name") { try $0.user(bob.id)?.name == "Robert" }

            // chatCleared, then chatDeleted.
            try await alice.api.clearMessages(chat)
            try await bob.eventually("the chat cleared") { try $0.messages(chat).isEmpty }
            try await alice.api.deleteChat(chat)
            try await bob.eventually("the chat deleted") { try !$0.chatIds().contains(chat) }

            await alice.stop()
            await bob.stop()
        }
    }

    @Test func aDuplicatingServersRetryStillYieldsOneMessage() async throws {
        try await withServer { server in
            let alice = try await SyncTestClient.start("Alice", on: server)
            let bob = try await SyncTestClient.start("Bob", on: server)
            try await alice.online()
            let chat = try await alice.engine.createChat(CreateChatRequest(participants: [bob.id])).id
            try await alice.engine.send("only once", to: chat)
            try await alice.eventually("delivered") { try $0.messages(chat).first?.state == .sent }
            let original = try #require(try await alice.api.messages(chat).first)
            // What the upstream does with a retried post: a second copy under a new id, echoed
            // as a message event and listed in pages.
            var duplicate = original
            duplicate.id = original.id + 1000
            await alice.engine.apply(EventEnvelope(event: .message(duplicate), source: .user(alice.id)))
            try await alice.engine.applyMessages([original, duplicate], live: false)
            #expect(try alice.store.messages(chat).map(\.serverId) == [original.id])
            await alice.stop()
            await bob.stop()
        }
    }
}
