import ChatAPI
import ChatStore
import Foundation
import Testing

/// A change still queued is what the person sees until the server has it.
/// On the upstream a mute queued behind a stuck change was reset by the next chat list read.
@Suite struct PendingChangeTests {
    let alice = UserInfo(id: 1, name: "Alice", username: "alice")
    let bob = UserInfo(id: 2, name: "Bob", username: "bob")
    let chatId = UUID()

    func group(title: String = "Club", muted: Bool = false) -> ChatInfo {
        ChatInfo(id: chatId, title: title, isPersonal: false, owner: alice, allUsers: [alice, bob], isMuted: muted)
    }

    @Test func aQueuedMuteRenameAndBlockSurviveAReadOfTheChatFromTheServer() throws {
        let store = try ChatStore(path: NSTemporaryDirectory() + "store-\(UUID().uuidString)/cache.sqlite", me: alice.id)
        try store.upsertChat(group())
        // Queued and shown at once, as the engine does.
        let mute = try store.queueIntent(.settings(ChatSettingsRequest(isMuted: true)), chat: chatId)
        try store.setFlags(chatId, isMuted: true)
        let rename = try store.queueIntent(.rename("Book club"), chat: chatId)
        try store.showTitle(chatId, "Book club")
        let block = try store.queueIntent(.blockChat(true), chat: chatId)
        try store.setFlags(chatId, isBlocked: true)

        // The server, which has none of them yet, describes the chat (a list refresh, one chat).
        try store.upsertChats([group()], replacingAll: true)
        var shown = try #require(try store.chat(chatId))
        #expect(shown.isMuted && shown.title == "Book club" && shown.isBlocked)
        try store.upsertChat(group())
        shown = try #require(try store.chat(chatId))
        #expect(shown.isMuted && shown.title == "Book club" && shown.isBlocked)

        // Once delivered, or failed, the server's word stands again.
        try store.jobDone(mute)
        let queuedRename = try #require(try store.jobs().first { $0.seq == rename })
        try store.jobFailed(queuedRename, reason: "The server failed it 6 times in a row.")
        try store.jobDone(block)
        try store.upsertChats([group()])
        shown = try #require(try store.chat(chatId))
        #expect(!shown.isMuted && shown.title == "Club" && !shown.isBlocked)
    }
}
