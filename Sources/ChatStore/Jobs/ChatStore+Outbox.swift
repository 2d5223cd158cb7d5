import ChatAPI
import Foundation
import GRDB

/// A file to send with a queued message.
public struct OutgoingFile: Sendable, Hashable, Codable {
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
    /// Writes an outgoing message to the cache and its post to the queue in one transaction,
    /// synced to disk before any network call: from here on it survives crashes, restarts and
    /// offline periods.
    @discardableResult
    public func queueMessage(_ chat: ChatID, localId: String, text: String?, isVisible: Bool = true,
                             file: OutgoingFile? = nil, now: Date = Date()) throws -> CachedMessage {
        try writeDurably { db in
            try Self.insertQueued(db, chat, localId: localId, text: text, isVisible: isVisible, file: file, now: now, me: me)
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
        try insertJob(db, .post, chat: chatText, localId: localId, payload: try file.map(payloadJSON), now: now)
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

    /// The messages waiting to be posted, failed ones included, in queue order.
    public func outboxItems() throws -> [OutboxItem] { try jobs().compactMap(\.post) }

    /// The server has the message: store its copy, end its post, and if it carries a file,
    /// queue the file's upload, all in one transaction.
    public func outboxDelivered(_ item: OutboxItem, as message: MessageInfo) throws {
        try write { db in
            try Self.applyServerMessage(db, message, me: self.me)
            try db.execute(sql: "DELETE FROM jobs WHERE seq = ?", arguments: [item.seq])
            if let path = item.filePath, let type = item.fileType, let media = message.attachments?.first {
                let upload = UploadPayload(mediaId: media.id, serverId: message.id, filePath: path, fileType: type, stage: .upload)
                let alreadyQueued = try Bool.fetchOne(
                    db, sql: "SELECT count(*) > 0 FROM jobs WHERE kind = 'upload' AND chatId = ? AND localId = ?",
                    arguments: [item.chatId.uuidString, item.localId]) ?? false
                if !alreadyQueued {
                    try Self.insertJob(db, .upload, chat: item.chatId.uuidString, localId: item.localId, payload: try Self.payloadJSON(upload),
                                       lane: JobKind.upload.lane(chat: nil, media: media.id.uuidString), now: Date())
                }
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

    /// Puts a failed message back in the queue.
    public func retryOutbox(_ chat: ChatID, localId: String) throws {
        try write { db in
            try Self.requeueFailedJobs(db, where: "kind = 'post' AND chatId = ? AND localId = ?", [chat.uuidString, localId])
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

    /// Drops a message that has not reached the server (and, by its key, its post).
    public func discardQueued(_ chat: ChatID, localId: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM messages WHERE chatId = ? AND localId = ? AND serverId IS NULL", arguments: [chat.uuidString, localId])
        }
    }
}
