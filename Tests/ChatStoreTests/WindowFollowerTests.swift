import ChatAPI
@testable import ChatStore
import Foundation
import Synchronization
import Testing

/// The window follower reads only what each commit changed; after any mix of changes its window
/// is the one a full read answers.
@Suite struct WindowFollowerTests {
    let me: UserID = 1
    let chatId = UUID()
    let otherChat = UUID()

    func makeStore() throws -> ChatStore {
        let path = NSTemporaryDirectory() + "follower-\(UUID().uuidString)/cache.sqlite"
        let store = try ChatStore(path: path, me: me)
        for chat in [chatId, otherChat] {
            try store.upsertChat(ChatInfo(id: chat, title: nil, isPersonal: true, owner: .alice, allUsers: [.alice, .bob]))
        }
        return store
    }

    func message(_ id: MessageID, in chat: ChatID? = nil, localId: String? = nil, author: UserID = 2, text: String? = nil,
                 edited: Bool = false, deleted: Bool = false, marks: [ReadMark]? = nil) -> MessageInfo {
        let date = Date(timeIntervalSince1970: 1_000_000 + Double(id))
        return MessageInfo(id: id, localId: localId ?? "\(author)+\(id)", chatId: chat ?? chatId, authorId: author,
                           text: text ?? "message \(id)", createdAt: date, updatedAt: date,
                           editedAt: edited ? date.addingTimeInterval(5) : nil, deletedAt: deleted ? date.addingTimeInterval(9) : nil,
                           readMarks: marks)
    }

    /// The follower's window after the change, compared with a full read of the same moment.
    func expectFollows(_ follower: WindowFollower, _ store: ChatStore, _ what: Comment) throws {
        _ = try follower.updateNow()
        #expect(follower.latest() == (try store.window(chatId, at: .newest)), what)
    }

    @Test func liveMessagesEditsSendsAndOtherChatsAreMergedAsAFullReadWouldShowThem() throws {
        let store = try makeStore()
        try store.applyLiveMessages((1...30).map { message($0) })
        let follower = WindowFollower(store: store, chat: chatId, at: .newest)
        follower.startNow()
        #expect(try follower.updateNow() == (try store.window(chatId, at: .newest)))

        try store.applyLiveMessages((31...50).map { message($0) })
        try expectFollows(follower, store, "a batch of live messages")
        try store.applyLiveMessages([message(51, in: otherChat)])
        #expect(try follower.updateNow() == nil, "another chat's message changes nothing here")
        try store.applyServerMessages([message(40, text: "changed", edited: true)])
        try expectFollows(follower, store, "an edit inside the window")
        let localId = LocalID.make(author: me)
        _ = try store.queueMessage(chatId, localId: localId, text: "mine")
        try expectFollows(follower, store, "a queued message")
        try store.applyLiveMessages([message(52, author: 2)])
        try expectFollows(follower, store, "a live message after a queued one")
        try store.applyLiveMessages([message(53, localId: localId, author: me, text: "mine")])
        try expectFollows(follower, store, "the queued message sent")
        try store.applyLiveMessages((54...200).map { message($0) })
        try expectFollows(follower, store, "more than a window: the oldest leave it")
        #expect(try follower.latest()?.messages.count == ConversationWindow.newestSize)
        try store.applyServerMessages([message(199, deleted: true)])
        try expectFollows(follower, store, "a delete")
        try store.applyServerMessages([message(150, marks: [ReadMark(id: UUID(), user: .alice, createdAt: Date())])])
        try expectFollows(follower, store, "a read mark (it changes every earlier message's readers)")
        try store.applyServerMessages((5...9).map { message($0, text: "older, re-read") })
        try expectFollows(follower, store, "messages older than the window")
        try store.markRead(chatId, upTo: 200)
        try expectFollows(follower, store, "the chat read")
    }

    @Test func aFollowerOfAnotherPlaceReadsWholeAndStillFollows() throws {
        let store = try makeStore()
        try store.applyLiveMessages((1...400).map { message($0) })
        let follower = WindowFollower(store: store, chat: chatId, at: .around(100))
        follower.startNow()
        #expect(try follower.updateNow() == (try store.window(chatId, at: .around(100))))
        try store.applyServerMessages([message(100, text: "edited", edited: true)])
        #expect(try follower.updateNow() == (try store.window(chatId, at: .around(100))))
    }

    @Test func whatAnotherProcessWroteIsReadWholeOnceNoticed() throws {
        let path = NSTemporaryDirectory() + "follower-\(UUID().uuidString)/cache.sqlite"
        let client = try ChatStore(path: path, me: me)
        try client.upsertChat(ChatInfo(id: chatId, title: nil, isPersonal: true, owner: .alice, allUsers: [.alice, .bob]))
        try client.applyLiveMessages((1...5).map { message($0) })
        let follower = WindowFollower(store: client, chat: chatId, at: .newest)
        follower.startNow()
        _ = try follower.updateNow()
        let script = try ChatStore(path: path, me: me)
        try script.applyServerMessages([message(3, text: "edited by a script", edited: true)])
        #expect(try follower.updateNow() == nil, "not noticed yet")
        #expect(try client.noticeChangesByOtherProcesses())
        #expect(try follower.updateNow()?.messages.map(\.text).contains("edited by a script") == true)
    }

    /// Opening a chat while the writer is busy (a catch-up of many chats) must not hold the
    /// opener's thread until the write ends: the observation registers without waiting.
    @Test func anObservationStartsWithoutWaitingForABusyWriter() async throws {
        let store = try makeStore()
        try store.applyLiveMessages([message(1)])
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let writeEnded = Atomic<Bool>(false)
        DispatchQueue.global().async {
            try? store.write { _ in
                holding.signal()
                _ = release.wait(timeout: .now() + 10)
                // Still inside the write: whoever waited for the writer sees this.
                writeEnded.store(true, ordering: .sequentiallyConsistent)
            }
        }
        holding.wait()
        var windows = store.observeWindow(chatId, at: .newest).makeAsyncIterator()
        var users = store.observeUsers().makeAsyncIterator()
        let madeWhileBusy = !writeEnded.load(ordering: .sequentiallyConsistent)
        #expect(madeWhileBusy, "the observations were made while the writer was busy")
        release.signal()
        #expect(try await windows.next()?.messages.map(\.serverId) == [1])
        #expect(try await users.next() != nil)
    }

    @Test func theObservationYieldsTheWindowAfterEachChange() async throws {
        let store = try makeStore()
        try store.applyLiveMessages((1...10).map { message($0) })
        var windows = store.observeWindow(chatId, at: .newest).makeAsyncIterator()
        #expect(try await windows.next()?.messages.last?.serverId == 10)
        try store.applyLiveMessages([message(11)])
        #expect(try await windows.next()?.messages.last?.serverId == 11)
    }
}
