import ChatAPI
@testable import ChatStore
import Foundation
import GRDB
import Testing

/// The full-text index stays in step with the messages through every change, and
/// finds what a person types: diacritics, CJK, emoji, phrases, prefixes and every filter.
@Suite struct SearchIndexTests {
    let me: UserID = 1
    var alice: UserInfo { .alice }
    var bob: UserInfo { .bob }
    var carol: UserInfo { .carol }
    let personal = UUID()
    let group = UUID()

    func makeStore() throws -> ChatStore {
        let store = try ChatStore(path: NSTemporaryDirectory() + "search-\(UUID().uuidString)/cache.sqlite", me: me)
        try store.upsertUsers([alice, bob, carol])
        try store.upsertChat(ChatInfo(id: personal, title: nil, isPersonal: true, owner: alice, allUsers: [alice, bob]))
        try store.upsertChat(ChatInfo(id: group, title: "Trip Planning", isPersonal: false, owner: alice, allUsers: [alice, bob, carol]))
        return store
    }

    /// Day `day` of November 2026, UTC, plus `id` seconds.
    func message(_ id: MessageID, in chat: ChatID, from author: UserID = 2, _ text: String, day: Int = 20) -> MessageInfo {
        let date = Date(timeIntervalSince1970: 1_795_132_800 + Double(day - 20) * 86_400 + Double(id))
        return MessageInfo(id: id, localId: "\(author)+\(id)", chatId: chat, authorId: author, text: text, createdAt: date, updatedAt: date)
    }

    func find(_ store: ChatStore, _ text: String, chat: ChatID? = nil) throws -> [String] {
        let query = try SearchQuery.parse(text).get()
        return try store.search(query, chat: chat, limit: 10_000, timeZone: TimeZone(identifier: "UTC")!).hits.map { $0.text ?? "" }
    }

    /// What a plain scan of the live messages finds for one word (ASCII, so LIKE agrees).
    func scan(_ store: ChatStore, _ word: String) throws -> Set<String> {
        var found: Set<String> = []
        for chat in [personal, group] {
            for message in try store.messages(chat, limit: 100_000) where !message.isDeleted {
                let text = message.text ?? ""
                if text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains(Substring(word)) { found.insert(text) }
            }
        }
        return found
    }

    @Test func theIndexFindsExactlyTheLiveMessagesThroughEveryChange() throws {
        let store = try makeStore()
        let words = ["apple", "banana", "cherry", "plum"]
        var messages: [MessageInfo] = []
        for id in 1...120 {
            let chat = id % 3 == 0 ? group : personal
            messages.append(message(MessageID(id), in: chat, from: id % 2 == 0 ? 2 : 3, "m\(id) \(words[id % 4]) and \(words[(id / 4) % 4])"))
        }
        try store.applyServerMessages(messages)
        func check(_ moment: String) throws {
            for word in words {
                #expect(Set(try find(store, word)) == (try scan(store, word)), "\(word) after \(moment)")
            }
        }
        try check("inserts")
        // Edits change what is found.
        for id in stride(from: 1, through: 40, by: 3) {
            var edited = messages[id - 1]
            edited.text = "m\(id) edited to plum only"
            edited.editedAt = Date()
            try store.applyServerMessages([edited])
        }
        try check("edits")
        // Deletes are not found.
        for id in stride(from: 2, through: 60, by: 5) {
            var deleted = messages[id - 1]
            deleted.text = ""
            deleted.deletedAt = Date()
            try store.applyServerMessages([deleted])
        }
        try check("deletes")
        // A queued message is found; once sent it is found once.
        let queued = try store.queueMessage(personal, localId: LocalID.make(author: me), text: "queued apple pie")
        #expect(try find(store, "pie") == ["queued apple pie"])
        var sent = message(500, in: personal, from: me, "queued apple pie")
        sent.localId = queued.localId
        try store.applyServerMessages([sent])
        #expect(try find(store, "pie") == ["queued apple pie"])
        try check("a queued message sent")
        // A cleared chat and a deleted chat leave nothing behind.
        try store.clearMessages(group)
        try check("a clear")
        #expect(try find(store, "apple", chat: group).isEmpty)
        try store.deleteChat(personal, because: .deleted)
        try check("a chat deleted")
        #expect(try find(store, "apple").isEmpty && find(store, "plum").isEmpty)
    }

    /// New rows are indexed in the transaction that wrote them, together as it ends: nothing
    /// waits after a write, and a row deleted or edited in that same transaction is indexed as
    /// it ended up. A row another writer added waits, and the next search or write indexes it.
    /// Live messages are indexed in the background, in batches (their commit writes no index
    /// pages): they wait for a pause, other writes meanwhile index one batch of the backlog,
    /// not all (a read mark in a burst indexed thousands of rows), a search finds them.
    @Test func liveMessagesAreIndexedInTheBackgroundAndFoundMeanwhile() throws {
        let store = try makeStore()
        let queue = try DatabaseQueue(path: store.path)
        func waiting() throws -> Int { try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM searchPending") ?? -1 } }
        try store.applyLiveMessages((1...450).map { message($0, in: personal, "live words \($0)") })
        #expect(try waiting() == 450, "the live write indexed nothing")
        try store.applyServerMessages([message(1_000, in: group, "history words")])
        #expect(try waiting() == 251, "another write indexed one batch of the backlog, not all of it")
        store.settleLiveIndexing()
        #expect(try waiting() == 0)
        #expect(try find(store, "live").count == 450, "every one found")
        #expect(try find(store, "history") == ["history words"])
        try store.applyLiveMessages([message(451, in: personal, "fresh words")])
        #expect(try find(store, "fresh") == ["fresh words"], "found before the indexer ran")
        #expect(try waiting() == 0)
    }

    @Test func newRowsAreIndexedAsTheirTransactionEnds() throws {
        let store = try makeStore()
        let queue = try DatabaseQueue(path: store.path)
        func waiting() throws -> Int { try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM searchPending") ?? -1 } }
        var edited = message(2, in: personal, "first words")
        edited.text = "second words"
        var deleted = message(3, in: personal, "doomed words")
        deleted.text = ""
        deleted.deletedAt = Date()
        try store.applyServerMessages([message(1, in: personal, "plain words"), message(2, in: personal, "first words"), edited,
                                       message(3, in: personal, "doomed words"), deleted])
        #expect(try waiting() == 0)
        _ = try store.queueMessage(group, localId: LocalID.make(author: me), text: "queued words")
        #expect(try waiting() == 0)
        #expect(Set(try find(store, "words")) == ["plain words", "second words", "queued words"])
        #expect(try find(store, "first").isEmpty && find(store, "doomed").isEmpty)
        // Another writer (an older build, a tool) adds rows: they wait, and are found.
        func addOutside(_ serverId: Int, _ text: String) throws {
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO messages (chatId, localId, serverId, authorId, text, createdAt, updatedAt)
                    VALUES (?, ?, ?, 2, ?, 1795132900, 1795132900)
                    """, arguments: [personal.uuidString, "2+outside\(serverId)", serverId, text])
            }
        }
        try addOutside(90, "outside words")
        #expect(try waiting() == 1)
        #expect(try find(store, "outside") == ["outside words"])
        try addOutside(91, "elsewhere words")
        try store.applyServerMessages([message(4, in: group, "later words")])
        #expect(try waiting() == 0)
        #expect(try find(store, "elsewhere") == ["elsewhere words"])
        // An attachment added by a later write re-indexes its message with `hasfile`.
        var withFile = message(1, in: personal, "plain words")
        withFile.attachments = [MediaInfo(id: UUID(), fileType: "image/png", fileSize: 10)]
        try store.applyServerMessages([withFile])
        #expect(try find(store, "words has:file") == ["plain words"])
    }

    @Test func diacriticsCJKEmojiPhrasesAndPrefixes() throws {
        let store = try makeStore()
        try store.applyServerMessages([
            message(1, in: personal, "Meet at the Café Müller tomorrow"),
            message(2, in: personal, "我们明天去东京吧"),
            message(3, in: personal, "東京タワーで会いましょう"),
            message(4, in: personal, "서울에서 만나요"),
            message(5, in: personal, "great job 👍🏽 team"),
            message(6, in: personal, "the quick brown fox"),
            message(7, in: personal, "quick thinking, brown paper"),
            message(8, in: personal, "internationalization matters"),
        ])
        #expect(try find(store, "cafe") == ["Meet at the Café Müller tomorrow"])
        #expect(try find(store, "MULLER") == ["Meet at the Café Müller tomorrow"])
        #expect(try find(store, "东京") == ["我们明天去东京吧"])
        #expect(try find(store, "明天") == ["我们明天去东京吧"])
        #expect(try find(store, "去东京吧") == ["我们明天去东京吧"])
        #expect(try find(store, "京").count == 2, "京 is in 东京 and in 東京")
        #expect(try find(store, "東京") == ["東京タワーで会いましょう"])
        #expect(try find(store, "タワー") == ["東京タワーで会いましょう"])
        #expect(try find(store, "서울") == ["서울에서 만나요"])
        #expect(try find(store, "吧") == ["我们明天去东京吧"], "the last character of a run")
        #expect(try find(store, "👍") == ["great job 👍🏽 team"], "the base emoji finds the toned one")
        #expect(try find(store, "\"quick brown\"") == ["the quick brown fox"])
        #expect(Set(try find(store, "quick brown")) == ["the quick brown fox", "quick thinking, brown paper"])
        #expect(try find(store, "international*") == ["internationalization matters"])
        #expect(try find(store, "international").isEmpty)
        #expect(try find(store, "东京 👍").isEmpty, "every word must occur")
        // Newest first.
        #expect(try find(store, "quick") == ["quick thinking, brown paper", "the quick brown fox"])
        // FTS syntax typed by a person is just text.
        #expect(try find(store, "AND OR NOT ( quick").isEmpty)
        #expect(try find(store, "fox\"").count <= 1)
    }

    @Test func everyFilterNarrowsTheHits() throws {
        let store = try makeStore()
        try store.applyServerMessages([
            message(1, in: personal, from: 2, "budget draft", day: 10),
            message(2, in: group, from: 3, "budget final", day: 15),
            message(3, in: group, from: 2, "budget numbers", day: 25),
            message(4, in: group, from: 1, "my budget notes", day: 28),
        ])
        var withFile = message(5, in: group, from: 3, "budget sheet attached", day: 29)
        withFile.attachments = [MediaInfo(id: UUID(), fileType: "xlsx", fileSize: 1000, fileExists: true, previewExists: false)]
        try store.applyServerMessages([withFile])
        #expect(try find(store, "budget").count == 5)
        #expect(try find(store, "budget from:carol1") == ["budget sheet attached", "budget final"])
        #expect(try find(store, "budget from:@bobby1") == ["budget numbers", "budget draft"])
        #expect(try find(store, "budget in:\"Trip Planning\"").count == 4)
        #expect(try find(store, "budget in:trip").count == 4, "a title prefix")
        #expect(try find(store, "budget in:@bobby1") == ["budget draft"])
        #expect(try find(store, "budget in:\(personal.uuidString)") == ["budget draft"])
        #expect(try find(store, "budget before:2026-11-15") == ["budget draft"])
        #expect(try find(store, "budget after:2026-11-25") == ["budget sheet attached", "my budget notes", "budget numbers"])
        #expect(try find(store, "budget after:2026-11-11 before:2026-11-26") == ["budget numbers", "budget final"])
        #expect(try find(store, "has:file") == ["budget sheet attached"])
        #expect(try find(store, "from:carol1 has:file in:trip") == ["budget sheet attached"])
        #expect(try find(store, "budget", chat: personal) == ["budget draft"])
        // Mistakes are sentences.
        #expect(throws: SearchQueryError.self) { try find(store, "budget from:nobody9") }
        #expect(throws: SearchQueryError.self) { try find(store, "budget in:Nowhere") }
        #expect(throws: SearchQueryError.self) { try SearchQuery.parse("before:yesterday").get() }
        #expect(throws: SearchQueryError.self) { try SearchQuery.parse("   ").get() }
    }

    @Test func aCacheFromBeforeTheIndexIsIndexedInTheBackground() throws {
        // A cache written by the previous version: schema v4, no index.
        let path = NSTemporaryDirectory() + "search-\(UUID().uuidString)/cache.sqlite"
        do {
            let store = try makeStoreAtPath(path)
            try store.applyServerMessages((1...2_500).map { message(MessageID($0), in: personal, "old message \($0) searchable") })
        }
        try dropIndex(path)
        let store = try ChatStore(path: path, me: me)
        let before = try store.searchIndexProgress()
        #expect(before == SearchIndexProgress(done: 0, total: 2_500))
        #expect(try store.search(try SearchQuery.parse("searchable").get()).indexProgress?.isComplete == false)
        // New messages are found at once; the old ones as the backfill goes.
        try store.applyServerMessages([message(3_000, in: personal, "new searchable")])
        #expect(try find(store, "new") == ["new searchable"])
        var steps: [SearchIndexProgress] = []
        while let progress = try store.backfillSearchIndex(batch: 1_000) { steps.append(progress) }
        #expect(steps.count == 3 && steps.last?.isComplete == true)
        #expect(try find(store, "searchable").count == 2_501)
        #expect(try store.search(try SearchQuery.parse("searchable").get()).indexProgress == nil)
    }

    func makeStoreAtPath(_ path: String) throws -> ChatStore {
        let store = try ChatStore(path: path, me: me)
        try store.upsertUsers([alice, bob, carol])
        try store.upsertChat(ChatInfo(id: personal, title: nil, isPersonal: true, owner: alice, allUsers: [alice, bob]))
        return store
    }

    /// Turns a cache back into one from before the index (as v4 left it).
    func dropIndex(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                DROP TRIGGER messagesQueuedForIndex; DROP TRIGGER messagesIndexedOnUpdate; DROP TRIGGER messagesIndexedOnDelete;
                DROP TRIGGER attachmentsQueuedForIndex; DROP TABLE messageSearch; DROP TABLE searchBackfill; DROP TABLE searchPending;
                DELETE FROM grdb_migrations WHERE identifier IN ('v5: full-text search', 'v6: search index fed at commit');
                """)
        }
    }
}
