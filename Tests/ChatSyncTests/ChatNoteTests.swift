import ChatAPI
import ChatStore
import ChatTestSupport
import Foundation
import Testing
@testable import ChatSync

/// What happens in a chat besides messages is kept in the cache as notes,
/// from the events (other people's changes) and from our own accepted changes, once each.
@Suite struct ChatNoteTests {
    @Test func renamesMembersAndClearsAreNotedOnceOnEverySide() async throws {
        try await withServer { server in
            let alice = try await SyncTestClient.start("Alice", on: server)
            let bob = try await SyncTestClient.start("Bob", on: server)
            let carol = try await SyncTestClient.start("Carol", on: server)
            try await alice.online()
            try await bob.online()
            let chat = try await alice.engine.createChat(CreateChatRequest(title: "Plans", participants: [bob.id], isPersonal: false)).id
            try await bob.eventually("Bob has the group") { try $0.facts(chat) != nil }

            // Alice renames and adds Carol; Bob leaves; Alice clears.
            try await alice.engine.renameChat(chat, title: "Trip")
            try await alice.engine.addUsers(chat, [carol.id])
            try await bob.eventually("Bob sees the rename and Carol") { try $0.notes(chat).map(\.kind) == [.renamed, .added] }
            let seen = try bob.store.notes(chat)
            #expect(seen[0].actorId == alice.id && seen[0].detail == "Trip")
            #expect(seen[1].actorId == alice.id && seen[1].userIds == [carol.id])
            try await alice.eventually("Alice's own changes, once each") { try $0.notes(chat).map(\.kind) == [.renamed, .added] }

            try await bob.engine.leaveChat(chat)
            try await alice.eventually("Bob left") { try $0.notes(chat).map(\.kind) == [.renamed, .added, .left] }
            #expect(try alice.store.notes(chat).last?.userIds == [bob.id])
            try await alice.engine.clearMessages(chat)
            try await carol.eventually("Carol sees the clear") { try $0.notes(chat).contains { $0.kind == .cleared && $0.actorId == alice.id } }
            try await alice.eventually("the clear is noted once") { try $0.notes(chat).map(\.kind) == [.renamed, .added, .left, .cleared] }
            // Bob left: his cache keeps nothing of the chat.
            #expect(try bob.store.notes(chat).isEmpty)
            for client in [alice, bob, carol] { await client.stop() }
        }
    }

    @Test func theRulesTellWhatChangedFromTheChatAsCachedBefore() {
        let chat = UUID()
        let owner = UserInfo(id: 1, name: "A", username: "a1")
        let before = ChatFacts(title: "Old", memberIds: [1, 2], imageIds: [])
        let renamed = ChatInfo(id: chat, title: "New", isPersonal: false, owner: owner, isMuted: false, isArchived: false, isBlocked: false)
        let at = Date()
        #expect(ChatNoteRules.notes(for: .chatUpdate(renamed), source: .user(2), before: before, at: at).map(\.kind) == [.renamed])
        // A setting of ours (mute) changes no title: nothing to note.
        var same = renamed
        same.title = "Old"
        #expect(ChatNoteRules.notes(for: .chatUpdate(same), source: .user(1), before: before, at: at).isEmpty)
        var withImage = same
        withImage.images = [MediaInfo(id: UUID(), fileType: "png", fileSize: 1)]
        #expect(ChatNoteRules.notes(for: .chatUpdate(withImage), source: .system, before: before, at: at).map(\.kind) == [.imageSet])
        var removed = same
        removed.removedUsers = [UserInfo(id: 2, name: "B", username: "b1")]
        #expect(ChatNoteRules.notes(for: .removedUsers(removed), source: .user(2), before: before, at: at).map(\.kind) == [.left])
        #expect(ChatNoteRules.notes(for: .removedUsers(removed), source: .user(1), before: before, at: at).map(\.kind) == [.removed])
    }
}
