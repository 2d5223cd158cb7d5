import ChatAPI
import Foundation
import GRDB

/// A file to send with a queued message.
public struct OutgoingFile: Sendable, Hashable {
    public var path: String
    public var fileType: String
    public var fileSize: Int

    public init(path: String, fileType: String, fileSize: Int) {
        self.path = path
        self.fileType = fileType
        self.fileSize = fileSize
    }
}

extension ChatStore {
    /// Writes an outgoing message to the cache and the outbox in one transaction, before any
    /// network call: from here on it survives crashes, restarts and offline periods.
    @discardableResult
    public func queueMessage(_ chat: ChatID, localId: String, text: String?, isVisible: Bool = true,
                             file: OutgoingFile? = nil, now: Date = Date()) throws -> CachedMessage {
        // The outbox is the one thing the cache holds that the server does not: this commit is
        // synced to disk (synchronous = FULL) before "queued" is said, so a crash or a power
        // cut cannot lose it. Everything else commits with NORMAL.
        let indexLater = searchIndexingWaits
        defer { if indexLater { indexSoon() } }
        return try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
            var queued: CachedMessage?
            try db.inTransaction {
                queued = try Self.insertQueued(db, chat, localId: localId, text: text, isVisible: isVisible, file: file, now: now, me: me)
                if indexLater {
                    _ = try SearchIndex.indexPending(db, limit: LiveIndexer.batch)
                } else {
                    try SearchIndex.indexPending(db)
                }
                return .commit
            }
            guard let queued else { throw DatabaseError(message: "queued message vanished") }
            return queued
        }
    }

    static func insertQueued(_ db: Database, _ chat: ChatID, localId: String, text: String?, isVisible: Bool,
                             file: OutgoingFile?, now: Date, me: UserID) throws -> CachedMessage {
        let chatText = chat.uuidString
        try db.execute(
            sql: """
                INSERT INTO messages (chatId, localId, authorId, text, createdAt, updatedAt, isVisible, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'queued')
                """,
            arguments: [chatText, localId, me, text, now.timeIntervalSince1970, now.timeIntervalSince1970, isVisible]
        )
        try db.execute(
            sql: "INSERT INTO outbox (chatId, localId, filePath, fileType, fileSize) VALUES (?, ?, ?, ?, ?)",
            arguments: [chatText, localId, file?.path, file?.fileType, file?.fileSize]
        )
        if let file {
            try db.execute(
                sql: """
                    INSERT INTO attachments (chatId, localId, position, fileType, fileSize, localPath, transferTotal, transferState, fileName)
                    VALUES (?, ?, 0, ?, ?, ?, ?, 'uploading', ?)
                    """,
                arguments: [chatText, localId, file.fileType, file.fileSize, file.path, file.fileSize, (file.path as NSString).lastPathComponent]
            )
        }
        try db.execute(sql: "UPDATE chats SET lastActivity = max(lastActivity, ?) WHERE id = ?", arguments: [now.timeIntervalSince1970, chatText])
        guard let message = try ChatQueries.message(db, chat: chat, localId: localId) else { throw DatabaseError(message: "queued message vanished") }
        return message
    }

    /// Items due for delivery: for each chat only its oldest queued item (per-chat order), and
    /// only once its retry time has come. Failed items wait for the user.
    public func dueOutboxItems(now: Date = Date()) throws -> [OutboxItem] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.*, m.text, m.isVisible FROM outbox AS o
                    JOIN messages AS m ON m.chatId = o.chatId AND m.localId = o.localId
                    WHERE o.seq IN (SELECT min(seq) FROM outbox GROUP BY chatId)
                      AND o.isFailed = 0 AND o.nextAttemptAt <= ?
                    ORDER BY o.seq
                    """,
                arguments: [now.timeIntervalSince1970]
            ).compactMap(Self.outboxItem)
        }
    }

    /// When the next waiting (not failed) item becomes due, if any.
    public func nextOutboxAttempt() throws -> Date? {
        try pool.read { db in
            try Double.fetchOne(db, sql: "SELECT min(nextAttemptAt) FROM outbox WHERE isFailed = 0").map(Date.init(timeIntervalSince1970:))
        }
    }

    public func outboxItems() throws -> [OutboxItem] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.*, m.text, m.isVisible FROM outbox AS o
                    JOIN messages AS m ON m.chatId = o.chatId AND m.localId = o.localId ORDER BY o.seq
                    """
            ).compactMap(Self.outboxItem)
        }
    }

    static func outboxItem(_ row: Row) -> OutboxItem? {
        guard let chat = UUID(uuidString: row["chatId"]) else { return nil }
        return OutboxItem(
            seq: row["seq"], chatId: chat, localId: row["localId"], text: row["text"], isVisible: row["isVisible"],
            attempts: row["attempts"], nextAttemptAt: Date(timeIntervalSince1970: row["nextAttemptAt"]),
            filePath: row["filePath"], fileType: row["fileType"], fileSize: row["fileSize"], lastError: row["lastError"]
        )
    }

    /// The server has the message: store its copy, leave the outbox, and if it carries a file,
    /// hand the file to an upload job, all in one transaction.
    public func outboxDelivered(_ item: OutboxItem, as message: MessageInfo) throws {
        try write { db in
            try Self.applyServerMessage(db, message, me: self.me)
            try db.execute(sql: "DELETE FROM outbox WHERE chatId = ? AND localId = ?", arguments: [item.chatId.uuidString, item.localId])
            if let path = item.filePath, let type = item.fileType, let media = message.attachments?.first {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO uploadJobs (mediaId, chatId, localId, serverId, filePath, fileType)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [media.id.uuidString, item.chatId.uuidString, item.localId, message.id, path, type]
                )
                try db.execute(
                    sql: """
                        UPDATE attachments SET localPath = ?, transferState = 'uploading', transferTotal = ?
                        WHERE chatId = ? AND localId = ? AND position = 0
                        """,
                    arguments: [path, item.fileSize ?? media.fileSize, item.chatId.uuidString, item.localId]
                )
            }
        }
    }

    /// A retryable failure (offline, 5xx): try again at `nextAttemptAt`.
    public func outboxRetryLater(_ item: OutboxItem, error: String, nextAttemptAt: Date) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE outbox SET attempts = attempts + 1, lastError = ?, nextAttemptAt = ? WHERE chatId = ? AND localId = ?",
                arguments: [error, nextAttemptAt.timeIntervalSince1970, item.chatId.uuidString, item.localId]
            )
        }
    }

    /// A final refusal (4xx): the message waits for the user to retry, edit or discard it.
    public func outboxFailed(_ chat: ChatID, localId: String, reason: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET isFailed = 1, lastError = ? WHERE chatId = ? AND localId = ?", arguments: [reason, chat.uuidString, localId])
            try db.execute(
                sql: "UPDATE messages SET state = 'failed', failureReason = ? WHERE chatId = ? AND localId = ? AND serverId IS NULL",
                arguments: [reason, chat.uuidString, localId]
            )
        }
    }

    /// Puts a failed message back in the queue.
    public func retryOutbox(_ chat: ChatID, localId: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE outbox SET isFailed = 0, attempts = 0, nextAttemptAt = 0, lastError = NULL WHERE chatId = ? AND localId = ?",
                arguments: [chat.uuidString, localId]
            )
            try db.execute(
                sql: "UPDATE messages SET state = 'queued', failureReason = NULL WHERE chatId = ? AND localId = ? AND serverId IS NULL",
                arguments: [chat.uuidString, localId]
            )
        }
    }

    /// Changes the text of a message that has not reached the server yet.
    public func editQueued(_ chat: ChatID, localId: String, text: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE messages SET text = ? WHERE chatId = ? AND localId = ? AND serverId IS NULL",
                arguments: [text, chat.uuidString, localId]
            )
        }
    }

    /// Drops a message that has not reached the server (and its outbox row).
    public func discardQueued(_ chat: ChatID, localId: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM messages WHERE chatId = ? AND localId = ? AND serverId IS NULL", arguments: [chat.uuidString, localId])
        }
    }

    /// After reconnecting: everything waiting on a backoff is due now.
    public func makeOutboxDueNow() throws {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET nextAttemptAt = 0 WHERE isFailed = 0")
            try db.execute(sql: "UPDATE uploadJobs SET nextAttemptAt = 0")
        }
    }

    // MARK: Upload jobs

    public func dueUploadJobs(now: Date = Date()) throws -> [UploadJob] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM uploadJobs WHERE nextAttemptAt <= ? ORDER BY rowid", arguments: [now.timeIntervalSince1970])
                .compactMap(Self.uploadJob)
        }
    }

    public func uploadJobs() throws -> [UploadJob] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM uploadJobs ORDER BY rowid").compactMap(Self.uploadJob) }
    }

    public func nextUploadAttempt() throws -> Date? {
        try pool.read { db in
            try Double.fetchOne(db, sql: "SELECT min(nextAttemptAt) FROM uploadJobs").map(Date.init(timeIntervalSince1970:))
        }
    }

    static func uploadJob(_ row: Row) -> UploadJob? {
        guard let media = UUID(uuidString: row["mediaId"]), let chat = UUID(uuidString: row["chatId"]),
              let stage = UploadJob.Stage(rawValue: row["stage"]) else { return nil }
        return UploadJob(
            mediaId: media, chatId: chat, localId: row["localId"], serverId: row["serverId"], filePath: row["filePath"],
            fileType: row["fileType"], stage: stage, attempts: row["attempts"], nextAttemptAt: Date(timeIntervalSince1970: row["nextAttemptAt"])
        )
    }

    public func transferProgress(_ chat: ChatID, localId: String, done: Int64, total: Int64, state: TransferState) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE attachments SET transferDone = ?, transferTotal = ?, transferState = ?
                    WHERE chatId = ? AND localId = ? AND position = 0
                    """,
                arguments: [done, total, state.rawValue, chat.uuidString, localId]
            )
        }
    }

    public func uploadJobUploaded(_ job: UploadJob) throws {
        try write { db in
            try db.execute(sql: "UPDATE uploadJobs SET stage = 'markExists', attempts = 0 WHERE mediaId = ?", arguments: [job.mediaId.uuidString])
            try db.execute(
                sql: "UPDATE attachments SET transferState = 'uploaded', transferDone = transferTotal WHERE chatId = ? AND localId = ? AND position = 0",
                arguments: [job.chatId.uuidString, job.localId]
            )
        }
    }

    /// The server knows the file exists: store its copy of the message and end the job.
    public func uploadJobFinished(_ job: UploadJob, message: MessageInfo) throws {
        try write { db in
            try Self.applyServerMessage(db, message, me: self.me)
            try db.execute(sql: "DELETE FROM uploadJobs WHERE mediaId = ?", arguments: [job.mediaId.uuidString])
        }
    }

    public func uploadJobRetryLater(_ job: UploadJob, error: String, nextAttemptAt: Date) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE uploadJobs SET attempts = attempts + 1, lastError = ?, nextAttemptAt = ? WHERE mediaId = ?",
                arguments: [error, nextAttemptAt.timeIntervalSince1970, job.mediaId.uuidString]
            )
        }
    }

    /// A final failure (file gone, refused): the attachment shows as failed.
    public func uploadJobFailed(_ job: UploadJob, reason: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM uploadJobs WHERE mediaId = ?", arguments: [job.mediaId.uuidString])
            try db.execute(
                sql: "UPDATE attachments SET transferState = 'failed' WHERE chatId = ? AND localId = ? AND position = 0",
                arguments: [job.chatId.uuidString, job.localId]
            )
            try db.execute(
                sql: "UPDATE messages SET failureReason = ? WHERE chatId = ? AND localId = ?",
                arguments: [reason, job.chatId.uuidString, job.localId]
            )
        }
    }

    /// Records where a downloaded attachment was saved.
    public func attachmentDownloaded(_ chat: ChatID, localId: String, position: Int, path: String, size: Int64) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE attachments SET localPath = ?, transferDone = ?, transferTotal = ?, transferState = 'downloaded'
                    WHERE chatId = ? AND localId = ? AND position = ?
                    """,
                arguments: [path, size, size, chat.uuidString, localId, position]
            )
        }
    }
}
