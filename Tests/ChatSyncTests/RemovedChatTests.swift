import ChatAPI
import ChatClient
import ChatStore
import ChatTestSupport
import Foundation
import Testing
@testable import ChatSync

/// After `x` (remove from this device) the chat came back and the header
/// counted it (62 chats while `termchat chats` listed 61): the server's echo of the change (a
/// chat update to the person who made it) was applied as news of the chat.
@Suite struct RemovedChatTests {
    @Test func theEchoOfARemovalDoesNotBringTheChatBack() async throws {
        try await withServer { server in
            let alice = try await SyncTestClient.start("Alice", on: server)
            let (bobAPI, bob, _) = try await SyncTestClient.register("Bob", on: server)
            try await alice.online()
            let removed = try await bobAPI.createChat(CreateChatRequest(participants: [alice.user.id])).id
            let other = try await bobAPI.createChat(CreateChatRequest(title: "Other", participants: [alice.user.id], isPersonal: false)).id
            _ = try await bobAPI.postMessage(removed, PostMessageRequest(localId: "\(bob.id)+\(UUID().uuidString)", text: "hello"))
            try await alice.eventually("the chat is here") { try $0.chatList().contains { $0.id == removed && $0.lastMessage != nil } }
            try await alice.engine.updateSettings(removed, ChatSettingsRequest(isRemovedOnDevice: true))
            try await alice.eventually("the removal reached the server") { try $0.intents().isEmpty }
            // Events come in order: once this one is here, the echo of the removal was too.
            _ = try await bobAPI.postMessage(other, PostMessageRequest(localId: "\(bob.id)+\(UUID().uuidString)", text: "later"))
            try await alice.eventually("the later message is here") { try $0.chatList().contains { $0.id == other && $0.lastMessage?.text == "later" } }
            #expect(try !alice.store.chatList(archived: nil).contains { $0.id == removed })
            await alice.stop()
        }
    }
}
