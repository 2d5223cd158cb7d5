import ChatAPI
import ChatStore
import Foundation
import Testing

@Suite struct ChatStoreTests {
    let me: UserID = 1
    var alice: UserInfo { .alice }
    var bob: UserInfo { .bob }
    let chatId = UUID()

    func makeStore() throws -> ChatStore {
        let path = NSTemporaryDirectory() + "store-\(UUID().uuidString)/cache.sqlite"
        let store = try ChatStore(path: path, me: me)
        try store.upsertChat(ChatInfo(id: chatId, title: nil, isPersonal: true, owner: alice, allUsers: [alice, bob]))
        return store
    }

    func serverMessage(_ id: MessageID, localId: String? = nil, author: UserID = 2, text: String = "hi") -> MessageInfo {
        let date = Date(timeIntervalSince1970: 1_000_000 + Double(id))
        return MessageInfo(id: id, localId: localId ?? "\(author)+\(UUID().uuidString)", chatId: chatId, authorId: author,
                           text: text, createdAt: date, updatedAt: date)
    }

    @Test func aQueuedMessageIsInTheOutboxUntilTheServerHasIt() throws {
        let store = try makeStore()
        let localId = LocalID.make(author: me)
        let queued = try store.queueMessage(chatId, localId: localId, text: "hello")
        #expect(queued.state == .queued && queued.serverId == nil)
        #expect(try store.outboxItems().map(\.localId) == [localId])
        #expect(try store.chatList().first?.queuedCount == 1)

        // The echo arrives before the POST's answer; both update the one row.
        let item = try #require(try store.outboxItems().first)
        try store.applyServerMessages([serverMessage(10, localId: localId, author: me, text: "hello")])
        #expect(try store.outboxItems().isEmpty)
        try store.outboxDelivered(item, as: serverMessage(10, localId: localId, author: me, text: "hello"))
        let messages = try store.messages(chatId)
        #expect(messages.count == 1)
        #expect(messages[0].serverId == 10 && messages[0].state == .sent)
        #expect(try store.chatList().first?.queuedCount == 0)
    }

    @Test func anUpstreamDuplicateOfARetryIsOneMessage() throws {
        let store = try makeStore()
        let localId = LocalID.make(author: me)
        try store.queueMessage(chatId, localId: localId, text: "once")
        try store.applyServerMessages([serverMessage(10, localId: localId, author: me, text: "once")])
        // The upstream stored the retry again under a new id with the same localId.
        try store.applyServerMessages([serverMessage(11, localId: localId, author: me, text: "once")])
        try store.applyServerMessages([serverMessage(11, localId: localId, author: me, text: "once"), serverMessage(10, localId: localId, author: me, text: "once")])
        let messages = try store.messages(chatId)
        #expect(messages.map(\.serverId) == [10])
    }

    @Test func outboxHeadsArePerChatAndRespectBackoffAndFailure() throws {
        let store = try makeStore()
        let other = UUID()
        try store.upsertChat(ChatInfo(id: other, title: "G", isPersonal: false, owner: alice, allUsers: [alice, bob]))
        let a1 = try store.queueMessage(chatId, localId: LocalID.make(author: me), text: "a1")
        _ = try store.queueMessage(chatId, localId: LocalID.make(author: me), text: "a2")
        let b1 = try store.queueMessage(other, localId: LocalID.make(author: me), text: "b1")
        let now = Date()
        func duePosts() throws -> [OutboxItem] { try store.dueJobs(now: now).compactMap(\.post) }
        #expect(try duePosts().map(\.text) == ["a1", "b1"])
        let head = try #require(try store.dueJobs(now: now).first)
        try store.jobRetryLater(head, error: "offline", nextAttemptAt: now.addingTimeInterval(60))
        // a2 waits behind a1: per-chat order.
        #expect(try duePosts().map(\.text) == ["b1"])
        #expect(try store.nextJobAttempt() != nil)
        let b1Post = try #require(try duePosts().first)
        try store.jobFailed(.post(b1Post), reason: "Refused.")
        #expect(try duePosts().isEmpty)
        #expect(try store.message(other, localId: b1.localId)?.state == .failed)
        #expect(try store.message(other, localId: b1.localId)?.failureReason == "Refused.")
        try store.makeJobsDueNow()
        #expect(try duePosts().map(\.localId) == [a1.localId])
        try store.retryOutbox(other, localId: b1.localId)
        #expect(try duePosts().count == 2)
        try store.discardQueued(other, localId: b1.localId)
        #expect(try store.message(other, localId: b1.localId) == nil)
        #expect(try store.outboxItems().count == 2)
    }

    @Test func queuedMessagesSurviveReopening() throws {
        let path = NSTemporaryDirectory() + "store-\(UUID().uuidString)/cache.sqlite"
        do {
            let store = try ChatStore(path: path, me: me)
            try store.upsertChat(ChatInfo(id: chatId, title: nil, isPersonal: true, owner: alice, allUsers: [alice, bob]))
            for index in 0..<5 { try store.queueMessage(chatId, localId: LocalID.make(author: me), text: "m\(index)") }
        }
        let reopened = try ChatStore(path: path, me: me)
        #expect(try reopened.outboxItems().map(\.text) == ["m0", "m1", "m2", "m3", "m4"])
    }

    @Test func knownRangesMergeWhenTheyOverlapOrTouch() throws {
        let store = try makeStore()
        try store.addKnownRange(chatId, low: 100, high: 200)
        try store.addKnownRange(chatId, low: 10, high: 50)
        #expect(try store.knownRanges(chatId) == [HistoryRange(low: 100, high: 200), HistoryRange(low: 10, high: 50)])
        try store.addKnownRange(chatId, low: 201, high: 300)  // touches
        try store.addKnownRange(chatId, low: 40, high: 99)  // bridges the gap
        #expect(try store.knownRanges(chatId) == [HistoryRange(low: 10, high: 300)])
    }

    @Test func liveMessagesExtendTheKnownHistoryInTheSameTransaction() throws {
        let store = try makeStore()
        try store.addKnownRange(chatId, low: 1, high: 10)
        let stranger = ChatID()
        var elsewhere = serverMessage(14)
        elsewhere.chatId = stranger
        let unknown = try store.applyLiveMessages([serverMessage(12), serverMessage(13), elsewhere])
        #expect(unknown == [stranger])
        // From the newest known message to each live one: 10 and 12 are one stretch now.
        #expect(try store.knownRanges(chatId) == [HistoryRange(low: 1, high: 13)])
        #expect(try store.messages(chatId).map(\.serverId) == [12, 13])
        #expect(try store.knownRanges(stranger).isEmpty)
        // A first live message in a chat with no history known starts a range of its own.
        let other = try makeStore()
        try other.applyLiveMessages([serverMessage(20)])
        #expect(try other.knownRanges(chatId) == [HistoryRange(low: 20, high: 20)])
    }

    @Test func unreadCountsAreDerivedLocally() throws {
        let store = try makeStore()
        try store.applyServerMessages([serverMessage(1), serverMessage(2), serverMessage(3, author: me), serverMessage(4)])
        // Writing a message means having read what came before it: only 4 is unread.
        #expect(try store.chatList().first?.unreadCount == 1)
        try store.markRead(chatId, upTo: 4)
        #expect(try store.chatList().first?.unreadCount == 0)
        // The read mark to send is the newest message of someone else: 4.
        #expect(try store.unsyncedReads().map(\.upTo) == [4])
        try store.readSynced(chatId, upTo: 4)
        #expect(try store.unsyncedReads().isEmpty)
        // My own newer message moves the read position but leaves nothing to mark.
        try store.applyServerMessages([serverMessage(5, author: me)])
        #expect(try store.unsyncedReads().isEmpty)
        #expect(try store.chatList().first?.unreadCount == 0)
    }

    @Test func editsDeletesReadMarksAndAttachmentsApply() throws {
        let store = try makeStore()
        var message = serverMessage(5, text: "v1")
        try store.applyServerMessages([message])
        message.text = "v2"
        message.editedAt = Date()
        message.readMarks = [ReadMark(id: UUID(), user: alice, createdAt: Date())]
        message.attachments = [MediaInfo(id: UUID(), fileType: "png", fileSize: 10, fileExists: true, previewExists: false)]
        try store.applyServerMessages([message])
        var cached = try #require(try store.messages(chatId).first)
        #expect(cached.text == "v2" && cached.editedAt != nil && cached.readBy == [1] && cached.attachments.first?.fileExists == true)
        message.deletedAt = Date()
        message.text = ""
        message.attachments = nil
        try store.applyServerMessages([message])
        cached = try #require(try store.messages(chatId).first)
        #expect(cached.isDeleted && cached.attachments.isEmpty)
    }

    /// Chats a `termchat send` created while the client ran showed as
    /// "user 20" until an unrelated event: observations see only their own process's writes.
    /// Another connection stands for the other process here (SQLite tells them apart alike).
    @Test func whatAnotherProcessWroteReachesTheObservationsWhenNoticed() async throws {
        let path = NSTemporaryDirectory() + "store-\(UUID().uuidString)/cache.sqlite"
        let client = try ChatStore(path: path, me: me)
        #expect(try client.noticeChangesByOtherProcesses() == false, "nothing changed")
        var users = client.observeUsers().makeAsyncIterator()
        #expect(try await users.next()?[20] == nil)
        let script = try ChatStore(path: path, me: me)
        try script.upsertUsers([UserInfo(id: 20, name: "Zoe", username: "zoe")])
        #expect(try client.noticeChangesByOtherProcesses() == true)
        #expect(try await users.next()?[20]?.name == "Zoe")
        #expect(try client.noticeChangesByOtherProcesses() == false, "told once")
    }

    /// Bob's mark on the middle of three messages showed ✓ ✓✓ ✓. A read mark
    /// means everything before it is read too.
    @Test func aReadMarkCoversEveryEarlierMessage() throws {
        let store = try makeStore()
        try store.applyServerMessages([serverMessage(21, author: me), serverMessage(22, author: me), serverMessage(23, author: me)])
        var middle = serverMessage(22, author: me)
        middle.readMarks = [ReadMark(id: UUID(), user: bob, createdAt: Date())]
        try store.applyServerMessages([middle])
        // An older message of another chat, marked later, says nothing about this one.
        let other = UUID()
        try store.upsertChat(ChatInfo(id: other, title: "Other", isPersonal: false, owner: alice, allUsers: [alice, bob]))
        var elsewhere = MessageInfo(id: 30, localId: "1+x", chatId: other, authorId: me, text: "x", createdAt: Date(), updatedAt: Date())
        elsewhere.readMarks = [ReadMark(id: UUID(), user: alice, createdAt: Date())]
        try store.applyServerMessages([elsewhere])
        for messages in [try store.messages(chatId), try store.window(chatId, at: .newest).messages] {
            #expect(messages.map(\.serverId) == [21, 22, 23])
            #expect(messages.map(\.readBy) == [[bob.id], [bob.id], []])
            // Only the mark itself has a time.
            #expect(messages[0].readAt.isEmpty && messages[1].readAt[bob.id] != nil)
        }
    }

    @Test func chatListOrderFlagsAndReplacement() throws {
        let store = try makeStore()
        let group = UUID()
        try store.upsertChat(ChatInfo(id: group, title: "Team", isPersonal: false, owner: alice, allUsers: [alice, bob], isArchived: true))
        try store.applyServerMessages([serverMessage(7)])
        #expect(try store.chatList(archived: false).map(\.id) == [chatId])
        #expect(try store.chatList(archived: true).map(\.id) == [group])
        try store.setFlags(group, isArchived: false)
        #expect(try store.chatList().count == 2)
        try store.upsertChats([ChatInfo(id: group, title: "Team", isPersonal: false, owner: alice, allUsers: [alice, bob])], replacingAll: true)
        #expect(try store.chatIds() == [group])
    }

    @Test func draftsAreKeptPerChat() throws {
        let store = try makeStore()
        try store.saveDraft(chatId, text: "half a thought 世界")
        #expect(try store.draft(chatId) == "half a thought 世界")
        try store.saveDraft(chatId, text: "")
        #expect(try store.draft(chatId) == nil)
    }

    @Test func knownRangeObservationFollowsLiveExtensions() async throws {
        let store = try makeStore()
        try store.addKnownRange(chatId, low: 0, high: 73)
        var iterator = store.observeKnownRanges(chatId).makeAsyncIterator()
        #expect(try await iterator.next() == [HistoryRange(low: 0, high: 73)])
        try store.addKnownRange(chatId, low: 73, high: 74)
        #expect(try await iterator.next() == [HistoryRange(low: 0, high: 74)])
        try store.addKnownRange(chatId, low: 74, high: 75)
        #expect(try await iterator.next() == [HistoryRange(low: 0, high: 75)])
    }

    @Test func observationsDeliverChanges() async throws {
        let store = try makeStore()
        var iterator = store.observeMessages(chatId).makeAsyncIterator()
        #expect(try await iterator.next()?.isEmpty == true)
        try store.applyServerMessages([serverMessage(9, text: "live")])
        #expect(try await iterator.next()?.map(\.text) == ["live"])
    }
}
