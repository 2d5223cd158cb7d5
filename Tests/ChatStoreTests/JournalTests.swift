import ChatAPI
@testable import ChatStore
import Foundation
import Testing

/// The journal `termchat watch` reads: one entry per thing that happened, whichever process
/// stored it and however often it was applied; history is not news.
@Suite struct JournalTests {
    let me: UserID = 1
    let chat = UUID()

    func makeStore() throws -> (ChatStore, String) {
        let path = NSTemporaryDirectory() + "journal-\(UUID().uuidString)/cache.sqlite"
        return (try ChatStore(path: path, me: me), path)
    }

    func info(title: String = "Team", members: [UserInfo] = [.alice, .bob]) -> ChatInfo {
        ChatInfo(id: chat, title: title, isPersonal: false, owner: .alice, allUsers: members)
    }

    func message(_ id: MessageID, from author: UserID = 2, at date: Date = Date(), text: String = "hi") -> MessageInfo {
        MessageInfo(id: id, localId: "l\(id)", chatId: chat, authorId: author, text: text, createdAt: date, updatedAt: date)
    }

    func kinds(_ store: ChatStore) throws -> [JournalEntry.Kind] { try store.journal(after: 0).map(\.kind) }

    @Test func historyIsNotNewsButWhatHappensAfterIsOnceEach() throws {
        let (store, _) = try makeStore()
        try store.upsertChats([info()], replacingAll: true)
        let old = Date(timeIntervalSince1970: 1_000_000)
        try store.applyServerMessages((1...50).map { message($0, at: old) })
        #expect(try kinds(store) == [], "the first list and a page of history")

        let new = message(51, text: "news")
        try store.applyLiveMessages([new])
        try store.applyLiveMessages([new])
        try store.applyServerMessages([new])
        var edited = new
        edited.text = "news, edited"
        edited.editedAt = Date()
        try store.applyServerMessages([edited])
        try store.applyServerMessages([edited])
        var deleted = edited
        deleted.deletedAt = Date().addingTimeInterval(1)
        deleted.text = ""
        try store.applyServerMessages([deleted])
        try store.applyServerMessages([deleted])
        let entries = try store.journal(after: 0)
        #expect(entries.map(\.kind) == [.message, .edit, .delete])
        #expect(entries.map(\.text) == ["news", "news, edited", nil])
        #expect(entries.map(\.messageId) == [51, 51, 51])
        #expect(entries.map(\.cursor) == entries.map(\.cursor).sorted())
        #expect(try store.journal(after: entries[0].cursor).map(\.kind) == [.edit, .delete])
        #expect(try store.journalCursor() == entries.last?.cursor)
    }

    @Test func twoProcessesApplyingTheSameEventsJournalThemOnce() throws {
        let (first, path) = try makeStore()
        let second = try ChatStore(path: path, me: me)
        try first.upsertChats([info()], replacingAll: true)
        try second.upsertChats([info()], replacingAll: true)
        var read = message(7, from: me)
        for store in [first, second] { try store.applyLiveMessages([read]) }
        read.readMarks = [ReadMark(id: UUID(), user: .bob, createdAt: Date())]
        for store in [first, second] { try store.applyServerMessages([read]) }
        for store in [first, second] { try store.upsertChats([info(title: "Renamed", members: [.alice, .bob, .carol])], replacingAll: true) }
        try first.deleteChat(chat, because: .deleted)
        try second.deleteChat(chat, because: .deleted)
        let entries = try second.journal(after: 0)
        #expect(entries.map(\.kind) == [.message, .read, .chatRenamed, .members, .chatDeleted])
        #expect(entries[1].userId == UserInfo.bob.id)
        #expect(entries[2].text == "Renamed")
        #expect(entries[3].added == [UserInfo.carol.id] && entries[3].removed.isEmpty)
        #expect(entries[4].text == "Renamed", "a departed chat keeps its last title")
    }

    @Test func aCatchUpJournalsMessagesInTheServersOrderThoughTheListNamesTheNewestFirst() throws {
        let (store, _) = try makeStore()
        try store.upsertChats([info()], replacingAll: true)
        var listed = info()
        listed.lastMessage = message(3, text: "three")
        try store.upsertChats([listed], replacingAll: true)
        try store.applyServerMessages([message(3, text: "three"), message(2, text: "two"), message(1, text: "one")])
        #expect(try store.journal(after: 0).map(\.text) == ["one", "two", "three"])
    }

    @Test func aWholeListReadAgainJournalsWhatChangedInIt() throws {
        let (store, _) = try makeStore()
        let others = (0..<100).map { ChatInfo(id: UUID(), title: "c\($0)", isPersonal: false, owner: .alice, allUsers: [.alice, .bob]) }
        try store.upsertChats(others + [info()], replacingAll: true)
        var renamed = others
        renamed[7].title = "seven"
        try store.upsertChats(renamed + [info(members: [.alice, .bob, .carol])], replacingAll: true)
        #expect(try kinds(store) == [.chatRenamed, .members])
        #expect(try store.journal(after: 0).first?.text == "seven")
    }

    @Test func aChatCreatedAfterTheFirstListIsNewsAndOneThatVanishesIsRemoved() throws {
        let (store, _) = try makeStore()
        try store.upsertChats([], replacingAll: true)
        try store.upsertChat(info())
        try store.upsertChats([], replacingAll: true)
        #expect(try kinds(store) == [.chatCreated, .chatRemoved])
        #expect(try store.journal(after: 0, chat: UUID()).isEmpty)
        #expect(try store.journal(after: 0, chat: chat).count == 2)
    }
}
