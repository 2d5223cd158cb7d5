import ChatAPI
import ChatStore
import Foundation
import Testing

/// A server that leaves a key out has said nothing about it. The upstream's
/// chat list gives each chat's last message without `attachments`; read as "none", it deleted
/// the sender's attachment row, and the next page brought it back without its name or path.
@Suite struct MissingFieldTests {
    let me: UserID = 1
    let chatId = UUID()

    @Test func aMessageWithoutAnAttachmentsKeyKeepsTheCachedAttachments() throws {
        let store = try ChatStore(path: NSTemporaryDirectory() + "store-\(UUID().uuidString)/cache.sqlite", me: me)
        let alice = UserInfo(id: 1, name: "Alice", username: "alice")
        let bob = UserInfo(id: 2, name: "Bob", username: "bob")
        try store.upsertChat(ChatInfo(id: chatId, title: nil, isPersonal: true, owner: alice, allUsers: [alice, bob]))
        let date = Date(timeIntervalSince1970: 1_000_000)
        let media = MediaInfo(id: UUID(), fileType: "png", fileSize: 1234, fileExists: true, previewExists: false, fileName: "gradient.png")
        let whole = MessageInfo(id: 7, localId: "1+picture", chatId: chatId, authorId: 1, text: nil, createdAt: date, updatedAt: date, attachments: [media])
        try store.applyServerMessages([whole])
        var silent = whole
        silent.attachments = nil
        try store.applyServerMessages([silent])
        let attachment = try #require(try store.message(chatId, localId: "1+picture")?.attachments.first)
        #expect(attachment.fileName == "gradient.png")
        #expect(attachment.mediaId == media.id)
        // An empty list is the server saying there are none.
        var none = whole
        none.attachments = []
        try store.applyServerMessages([none])
        #expect(try store.message(chatId, localId: "1+picture")?.attachments.isEmpty == true)
    }
}
