import ChatAPI
@testable import ChatStore
import Foundation
import GRDB
import Testing

/// Posts, uploads and changes wait in one queue with one shape: a lane per chat and kind (an
/// upload alone), heads in queue order, the same bookkeeping for every kind.
@Suite struct JobQueueTests {
    let me: UserID = 1
    let chat = UUID()
    let other = UUID()

    func makeStore() throws -> ChatStore {
        let store = try ChatStore(path: NSTemporaryDirectory() + "jobs-\(UUID().uuidString)/cache.sqlite", me: me)
        for id in [chat, other] {
            try store.upsertChat(ChatInfo(id: id, title: "G", isPersonal: false, owner: .alice, allUsers: [.alice, .bob]))
        }
        return store
    }

    func posted(_ id: MessageID, _ localId: String, in chat: ChatID, media: MediaID? = nil) -> MessageInfo {
        let date = Date(timeIntervalSince1970: 1_000_000 + Double(id))
        return MessageInfo(id: id, localId: localId, chatId: chat, authorId: me, text: "file", createdAt: date, updatedAt: date,
                           attachments: media.map { [MediaInfo(id: $0, fileType: "png", fileSize: 3, fileExists: false)] })
    }

    @Test func aFailedPostHoldsItsChatsPostsButNotItsChanges() throws {
        let store = try makeStore()
        let first = try store.queueMessage(chat, localId: LocalID.make(author: me), text: "first")
        _ = try store.queueMessage(chat, localId: LocalID.make(author: me), text: "second")
        try store.queueIntent(.rename("Renamed"), chat: chat)
        try store.queueIntent(.updateProfile(name: "Alice A.", about: nil), chat: nil)
        #expect(try store.dueJobs().map(\.kind) == [.post, .change, .change], "one head per lane, in queue order")

        let head = try #require(try store.jobs().first { $0.post?.localId == first.localId })
        try store.jobFailed(head, reason: "Refused.")
        let due = try store.dueJobs()
        #expect(due.compactMap(\.post).isEmpty, "the second post waits behind the failed first")
        #expect(due.compactMap(\.change).map(\.intent) == [.rename("Renamed"), .updateProfile(name: "Alice A.", about: nil)])

        let rename = try #require(due.first { $0.kind == .change })
        try store.jobFailed(rename, reason: "Not the owner.")
        try store.queueIntent(.settings(ChatSettingsRequest(isMuted: true)), chat: chat)
        #expect(try store.dueJobs().compactMap(\.change).map(\.intent).contains(.settings(ChatSettingsRequest(isMuted: true))),
                "a failed change does not hold the next one")
        #expect(try store.failedIntents().map(\.lastError) == ["Not the owner."])
        #expect(try store.outboxItems().first?.isFailed == true)
    }

    @Test func anEditWaitsForItsPostAndDoesNotCountAsDue() throws {
        let store = try makeStore()
        let message = try store.queueMessage(chat, localId: LocalID.make(author: me), text: "draft")
        let post = try #require(try store.dueJobs().first)
        let later = Date().addingTimeInterval(300)
        try store.jobRetryLater(post, error: "offline", nextAttemptAt: later)
        try store.queueIntent(.editMessage(localId: message.localId, text: "final"), chat: chat)
        #expect(try store.dueJobs().isEmpty, "the edit waits for its post")
        let next = try #require(try store.nextJobAttempt())
        #expect(abs(next.timeIntervalSince(later)) < 0.001, "the post's time, not the waiting edit's")

        try store.outboxDelivered(try #require(try store.outboxItems().first), as: posted(7, message.localId, in: chat))
        #expect(try store.dueJobs().compactMap(\.change).map(\.intent) == [.editMessage(localId: message.localId, text: "final")])
    }

    @Test func aPostedFileBecomesAnUploadOfItsOwnLaneAndLeavesWithItsMessage() throws {
        let store = try makeStore()
        let path = NSTemporaryDirectory() + "jobs-\(UUID().uuidString).png"
        let file = OutgoingFile(path: path, fileType: "png", fileSize: 3)
        let withFile = try store.queueMessage(chat, localId: LocalID.make(author: me), text: "file", file: file)
        _ = try store.queueMessage(chat, localId: LocalID.make(author: me), text: "after")
        let item = try #require(try store.outboxItems().first)
        #expect(item.filePath == path && item.fileType == "png" && item.fileSize == 3)

        let media = UUID()
        try store.outboxDelivered(item, as: posted(8, withFile.localId, in: chat, media: media))
        let upload = try #require(try store.uploadJobs().first)
        #expect(upload.mediaId == media && upload.serverId == 8 && upload.stage == .upload && upload.filePath == path)
        #expect(try store.dueJobs().map(\.kind) == [.post, .upload], "the upload holds up no post")

        try store.uploadJobUploaded(upload)
        #expect(try store.uploadJobs().map(\.stage) == [.markExists], "a restart resumes after the transfer")
        try store.jobRetryLater(.upload(upload), error: "offline", nextAttemptAt: .distantFuture)
        #expect(try store.uploadJobs().first?.attempts == 1)

        // Its message dropped from the cache (its chat deleted here): the job goes with it.
        try store.deleteChat(chat, because: .deleted)
        #expect(try store.jobs().isEmpty)
    }

    /// A cache made by the schema before the one queue (three tables) keeps every queued item.
    @Test func theMigrationKeepsEveryItemOfTheThreeEarlierQueues() throws {
        let path = NSTemporaryDirectory() + "jobs-\(UUID().uuidString)/cache.sqlite"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let media = UUID()
        let queue = try DatabaseQueue(path: path)
        try ClientSchema.migrator.migrate(queue, upTo: "v8: a journal of what happened")
        try queue.write { db in
            let (c, o) = (chat.uuidString, other.uuidString)
            try db.execute(sql: "INSERT INTO chats (id, title, isPersonal, ownerId) VALUES (?, 'G', 0, 1), (?, 'H', 0, 1)", arguments: [c, o])
            for (chatId, localId, serverId, state) in [(c, "p1", nil, "queued"), (c, "p2", nil, "failed"), (o, "p3", nil, "queued"),
                                                       (c, "u1", 40, "sent"), (c, "e1", 41 as Int?, "sent")] {
                let text = ["p1": "waiting", "p2": "refused", "p3": "with a file", "u1": "uploaded half", "e1": "to edit"][localId]
                try db.execute(sql: """
                    INSERT INTO messages (chatId, localId, serverId, authorId, text, createdAt, updatedAt, state) VALUES (?, ?, ?, 1, ?, 10, 10, ?)
                    """, arguments: [chatId, localId, serverId, text, state])
            }
            try db.execute(sql: "INSERT INTO outbox (chatId, localId, attempts, nextAttemptAt, lastError) VALUES (?, 'p1', 3, 2000000000, 'offline')",
                           arguments: [c])
            try db.execute(sql: "INSERT INTO outbox (chatId, localId, isFailed, lastError) VALUES (?, 'p2', 1, 'Refused.')", arguments: [c])
            try db.execute(sql: "INSERT INTO outbox (chatId, localId, filePath, fileType, fileSize) VALUES (?, 'p3', '/tmp/x.png', 'png', 5)",
                           arguments: [o])
            try db.execute(sql: """
                INSERT INTO uploadJobs (mediaId, chatId, localId, serverId, filePath, fileType, stage, attempts)
                VALUES (?, ?, 'u1', 40, '/tmp/y.jpeg', 'jpeg', 'markExists', 2), (?, ?, 'gone', 42, '/tmp/z.jpeg', 'jpeg', 'upload', 0)
                """, arguments: [media.uuidString, c, UUID().uuidString, c])
            for (chatId, intent, target, failed) in [
                (chat.uuidString as String?, Intent.editMessage(localId: "e1", text: "edited"), "e1" as String?, false),
                (chat.uuidString, .rename("New name"), nil, true), (nil, .renameDevice("laptop"), nil, false),
            ] {
                let payload = String(decoding: try JSONEncoder().encode(intent), as: UTF8.self)
                try db.execute(sql: """
                    INSERT INTO intents (chatId, targetLocalId, payload, isFailed, lastError, createdAt) VALUES (?, ?, ?, ?, ?, 5)
                    """, arguments: [chatId, target, payload, failed, failed ? "Not the owner." : nil])
            }
        }
        try queue.close()

        let store = try ChatStore(path: path, me: me)
        let posts = try store.outboxItems()
        #expect(posts.map(\.localId) == ["p1", "p2", "p3"])
        #expect(posts.map(\.text) == ["waiting", "refused", "with a file"])
        #expect(posts[0].attempts == 3 && posts[0].nextAttemptAt == Date(timeIntervalSince1970: 2_000_000_000) && posts[0].lastError == "offline")
        #expect(posts[1].isFailed && posts[1].lastError == "Refused.")
        #expect(posts[2].filePath == "/tmp/x.png" && posts[2].fileType == "png" && posts[2].fileSize == 5)
        let uploads = try store.uploadJobs()
        #expect(uploads.count == 1, "the upload of a message gone from the cache is dropped")
        #expect(uploads.first.map { [$0.mediaId == media, $0.stage == .markExists, $0.attempts == 2, $0.serverId == 40] } == [true, true, true, true])
        let changes = try store.intents()
        #expect(changes.map(\.intent) == [.editMessage(localId: "e1", text: "edited"), .rename("New name"), .renameDevice("laptop")])
        #expect(changes.map(\.isFailed) == [false, true, false] && changes[1].lastError == "Not the owner.")
        #expect(changes.map(\.chatId) == [chat, chat, nil])
        // They go as before: the failed post holds p1's lane back only after p1; the other
        // chat's post, the upload and the pending changes are heads of their own lanes.
        let due = try store.dueJobs(now: Date(timeIntervalSince1970: 2_000_000_001))
        #expect(due.map(\.kind) == [.post, .post, .upload, .change, .change])
        #expect(try store.chatList().first { $0.id == chat }.map { [$0.queuedCount, $0.failedCount] } == [1, 1])
        try store.queueIntent(.leave, chat: other)  // and the migrated queue takes new work
        #expect(try store.intents().count == 4)
    }
}
