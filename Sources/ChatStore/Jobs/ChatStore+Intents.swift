import ChatAPI
import Foundation
import GRDB

/// A change a person asked for, besides sending a message: queued durably, delivered in order
/// by the engine as a change in the one queue, failed with the server's reason when refused.
public enum Intent: Codable, Equatable, Sendable {
    case editMessage(localId: String, text: String)
    case deleteMessage(localId: String)
    case settings(ChatSettingsRequest)
    case rename(String)
    case setImage(media: MediaID, path: String, fileType: String, fileSize: Int)
    case removeImage(MediaID)
    case addUsers([UserID])
    case removeUsers([UserID])
    case blockChat(Bool)
    case blockUser(UserID, Bool)
    case leave
    case clear
    case deleteChat
    case updateProfile(name: String?, about: String?)
    case renameDevice(String)

    /// Whether the chat is gone from this device once the intent is made (left, deleted,
    /// removed): a catch-up before it reaches the server must not bring the chat back.
    public var hidesChat: Bool {
        switch self {
        case .leave, .deleteChat: true
        case .settings(let request): request.isRemovedOnDevice == true
        default: false
        }
    }

    /// The message the intent acts on, which must reach the server first.
    public var targetLocalId: String? {
        switch self {
        case .editMessage(let localId, _), .deleteMessage(let localId): localId
        default: nil
        }
    }
}

extension ChatStore {
    /// Queues an intent as a change; synced to disk (like a post) before it is said to be queued.
    @discardableResult
    public func queueIntent(_ intent: Intent, chat: ChatID?, now: Date = Date()) throws -> Int64 {
        let payload = try Self.payloadJSON(intent)
        return try writeDurably { db in
            try Self.insertJob(db, .change, chat: chat?.uuidString, targetLocalId: intent.targetLocalId, payload: payload, now: now)
        }
    }

    /// Every queued change, failed ones included, in order.
    public func intents() throws -> [PendingIntent] { try jobs().compactMap(\.change) }

    /// Forgets the failed changes (the person has read why).
    public func dismissFailedIntents() throws {
        try write { db in try db.execute(sql: "DELETE FROM jobs WHERE kind = 'change' AND isFailed = 1") }
    }

    /// The changes the server refused, oldest first.
    public func failedIntents() throws -> [PendingIntent] { try intents().filter(\.isFailed) }

    /// A failed change goes again, as if just queued.
    public func retryIntent(_ seq: Int64) throws {
        try write { db in try Self.requeueFailedJobs(db, where: "kind = 'change' AND seq = ?", [seq]) }
    }

    /// A failed change is forgotten.
    public func discardIntent(_ seq: Int64) throws {
        try write { db in try db.execute(sql: "DELETE FROM jobs WHERE kind = 'change' AND seq = ? AND isFailed = 1", arguments: [seq]) }
    }

    /// The number of changes not yet confirmed by the server, for the status line.
    public func pendingIntentCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM jobs WHERE kind = 'change' AND isFailed = 0") ?? 0 }
    }

    // MARK: What an intent shows at once

    /// Whether the message is still only queued (no server id yet).
    public func isQueuedAndWaiting(_ chat: ChatID, localId: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT count(*) > 0 FROM messages AS m JOIN jobs AS j ON j.kind = 'post' AND j.chatId = m.chatId AND j.localId = m.localId
                WHERE m.chatId = ? AND m.localId = ? AND m.serverId IS NULL
                """, arguments: [chat.uuidString, localId]) ?? false
        }
    }

    /// A queued edit shows its new text before the server confirms it.
    public func showEdit(_ chat: ChatID, localId: String, text: String, at date: Date) throws {
        try write { db in
            try db.execute(sql: "UPDATE messages SET text = ?, editedAt = ? WHERE chatId = ? AND localId = ?",
                           arguments: [text, date.timeIntervalSince1970, chat.uuidString, localId])
        }
    }

    /// A queued delete hides the message before the server confirms it.
    public func showDeleted(_ chat: ChatID, localId: String, at date: Date) throws {
        try write { db in
            try db.execute(sql: "UPDATE messages SET text = '', deletedAt = ? WHERE chatId = ? AND localId = ?",
                           arguments: [date.timeIntervalSince1970, chat.uuidString, localId])
        }
    }

    /// A queued rename shows the new title at once.
    public func showTitle(_ chat: ChatID, _ title: String) throws {
        try write { db in
            try Journal.trackingChats(db, [chat.uuidString], now: Date().timeIntervalSince1970) {
                try db.execute(sql: "UPDATE chats SET title = ? WHERE id = ?", arguments: [title, chat.uuidString])
            }
        }
    }
}
