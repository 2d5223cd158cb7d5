import ChatAPI
import ChatStore
import Foundation
import GRDB
import Testing

/// The unread counts the chat list shows are kept by triggers; after every kind of change
/// they equal a count of the messages themselves.
@Suite struct UnreadCountTests {
    let me: UserID = 1
    var alice: UserInfo { .alice }
    var bob: UserInfo { .bob }
    let first = UUID()
    let second = UUID()

    func message(_ id: MessageID, in chat: ChatID, from author: UserID = 2, localId: String? = nil) -> MessageInfo {
        let date = Date(timeIntervalSince1970: 1_000_000 + Double(id))
        return MessageInfo(id: id, localId: localId ?? "\(author)+\(id)", chatId: chat, authorId: author, text: "m\(id)", createdAt: date, updatedAt: date)
    }

    /// Unread per chat counted from the messages, as the chat list used to.
    func counted(_ path: String) throws -> [ChatID: Int] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            var counts: [ChatID: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT c.id, (SELECT count(*) FROM messages AS m WHERE m.chatId = c.id AND m.serverId > c.lastReadId
                    AND m.authorId != ? AND m.deletedAt IS NULL) FROM chats AS c
                """, arguments: [me]) {
                counts[UUID(uuidString: row[0])!] = row[1]
            }
            return counts
        }
    }

    func shown(_ store: ChatStore) throws -> [ChatID: Int] {
        Dictionary(uniqueKeysWithValues: try store.chatList(archived: nil).map { ($0.id, $0.unreadCount) })
    }

    @Test func theKeptCountsEqualACountThroughEveryChange() throws {
        let path = NSTemporaryDirectory() + "unread-\(UUID().uuidString)/cache.sqlite"
        let store = try ChatStore(path: path, me: me)
        for chat in [first, second] {
            try store.upsertChat(ChatInfo(id: chat, title: "c", isPersonal: false, owner: alice, allUsers: [alice, bob]))
        }
        func check(_ moment: String, _ expected: [ChatID: Int]? = nil) throws {
            let kept = try shown(store)
            #expect(kept == (try counted(path)), "after \(moment)")
            if let expected { #expect(kept == expected, "after \(moment)") }
        }
        try store.applyServerMessages((1...30).map { message(MessageID($0), in: $0 % 3 == 0 ? second : first) })
        try check("a page", [first: 20, second: 10])
        // My own message reads what came before it in its chat.
        try store.applyServerMessages([message(31, in: first, from: me)])
        try check("my message", [first: 0, second: 10])
        try store.applyServerMessages([message(32, in: first), message(33, in: first)])
        try check("two more", [first: 2, second: 10])
        // Edits that delete, an echo of a queued message, a message moved to another author.
        var deleted = message(32, in: first)
        deleted.deletedAt = Date()
        try store.applyServerMessages([deleted, message(33, in: first)])
        try check("a delete and a repeat", [first: 1, second: 10])
        let queued = try store.queueMessage(second, localId: LocalID.make(author: me), text: "mine")
        try check("a queued message", [first: 1, second: 10])
        try store.applyServerMessages([message(34, in: second, from: me, localId: queued.localId)])
        try check("its echo", [first: 1, second: 0])
        // A read mark recounts its chat.
        try store.applyServerMessages((35...40).map { message(MessageID($0), in: second) })
        try store.markRead(second, upTo: 37)
        try check("a read mark", [first: 1, second: 3])
        // Messages the server no longer has, a cleared chat, a deleted chat.
        try store.removeServerMessages(second, in: 38...40, keeping: [38])
        try check("removed messages", [first: 1, second: 1])
        try store.clearMessages(first)
        try check("a cleared chat", [first: 0, second: 1])
        try store.deleteChat(first, because: .deleted)
        try check("a deleted chat", [second: 1])
        // Opened as someone else, the counts are someone else's.
        let other = try ChatStore(path: path, me: 2)
        #expect(try other.chatList(archived: nil).first?.unreadCount == 0)
    }
}
