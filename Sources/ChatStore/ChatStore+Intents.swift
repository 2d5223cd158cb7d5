import ChatAPI
import Foundation
import GRDB

/// A change a person asked for, besides sending a message: queued durably, delivered in order
/// by the engine, retried like the outbox, failed with the server's reason when refused.
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

/// A queued intent, as stored.
public struct PendingIntent: Equatable, Sendable {
    public var seq: Int64
    public var chatId: ChatID?
    public var intent: Intent
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var isFailed: Bool
}

extension ChatStore {
    /// Queues an intent; synced to disk (like the outbox) before it is said to be queued.
    @discardableResult
    public func queueIntent(_ intent: Intent, chat: ChatID?, now: Date = Date()) throws -> Int64 {
        let payload = String(decoding: try JSONEncoder().encode(intent), as: UTF8.self)
        return try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
            var seq: Int64 = 0
            try db.inTransaction {
                try db.execute(
                    sql: "INSERT INTO intents (chatId, targetLocalId, payload, createdAt) VALUES (?, ?, ?, ?)",
                    arguments: [chat?.uuidString, intent.targetLocalId, payload, now.timeIntervalSince1970]
                )
                seq = db.lastInsertedRowID
                return .commit
            }
            return seq
        }
    }

    /// Every queued intent, failed ones included, in order.
    public func intents() throws -> [PendingIntent] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM intents ORDER BY seq").compactMap(Self.pendingIntent) }
    }

    /// The intents to attempt now: the first pending one of each chat (and of the account),
    /// due, whose message (if it names one) has reached the server or is gone.
    public func dueIntents(now: Date = Date()) throws -> [PendingIntent] {
        try pool.read { db in
            let heads = try Row.fetchAll(db, sql: """
                SELECT i.* FROM intents AS i
                WHERE i.isFailed = 0 AND i.seq = (
                    SELECT min(j.seq) FROM intents AS j WHERE j.isFailed = 0 AND j.chatId IS i.chatId)
                ORDER BY i.seq
                """).compactMap(Self.pendingIntent)
            return try heads.filter { item in
                guard item.nextAttemptAt <= now else { return false }
                guard let localId = item.intent.targetLocalId, let chat = item.chatId else { return true }
                // Waits for its post: due once the message has a server id, or is gone.
                let waiting = try Bool.fetchOne(db, sql: "SELECT serverId IS NULL FROM messages WHERE chatId = ? AND localId = ?",
                                                arguments: [chat.uuidString, localId]) ?? false
                return !waiting
            }
        }
    }

    /// When the next pending intent is due, if one is waiting on a backoff.
    public func nextIntentAttempt() throws -> Date? {
        try pool.read { db in
            try Double.fetchOne(db, sql: "SELECT min(nextAttemptAt) FROM intents WHERE isFailed = 0").map { Date(timeIntervalSince1970: $0) }
        }
    }

    public func intentDone(_ seq: Int64) throws {
        try write { db in try db.execute(sql: "DELETE FROM intents WHERE seq = ?", arguments: [seq]) }
    }

    public func intentRetryLater(_ seq: Int64, error: String, nextAttemptAt: Date) throws {
        try write { db in
            try db.execute(sql: "UPDATE intents SET attempts = attempts + 1, lastError = ?, nextAttemptAt = ? WHERE seq = ?",
                           arguments: [error, nextAttemptAt.timeIntervalSince1970, seq])
        }
    }

    public func intentFailed(_ seq: Int64, reason: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE intents SET attempts = attempts + 1, isFailed = 1, lastError = ? WHERE seq = ?", arguments: [reason, seq])
        }
    }

    /// Forgets the failed intents (the person has read why).
    public func dismissFailedIntents() throws {
        try write { db in try db.execute(sql: "DELETE FROM intents WHERE isFailed = 1") }
    }

    /// The intents the server refused, oldest first.
    public func failedIntents() throws -> [PendingIntent] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM intents WHERE isFailed = 1 ORDER BY seq").compactMap(Self.pendingIntent)
        }
    }

    /// A failed intent goes again, as if just queued.
    public func retryIntent(_ seq: Int64) throws {
        try write { db in
            try db.execute(sql: "UPDATE intents SET isFailed = 0, attempts = 0, nextAttemptAt = 0, lastError = NULL WHERE seq = ?",
                           arguments: [seq])
        }
    }

    /// A failed intent is forgotten.
    public func discardIntent(_ seq: Int64) throws {
        try write { db in try db.execute(sql: "DELETE FROM intents WHERE seq = ? AND isFailed = 1", arguments: [seq]) }
    }

    /// After reconnecting: every intent waiting on a backoff is due now.
    public func makeIntentsDueNow() throws {
        try write { db in try db.execute(sql: "UPDATE intents SET nextAttemptAt = 0 WHERE isFailed = 0") }
    }

    /// The number of intents not yet confirmed by the server, for the status line.
    public func pendingIntentCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM intents WHERE isFailed = 0") ?? 0 }
    }

    static func pendingIntent(_ row: Row) -> PendingIntent? {
        guard let payload: String = row["payload"],
              let intent = try? JSONDecoder().decode(Intent.self, from: Data(payload.utf8)) else { return nil }
        return PendingIntent(
            seq: row["seq"], chatId: (row["chatId"] as String?).flatMap(UUID.init(uuidString:)), intent: intent,
            attempts: row["attempts"], nextAttemptAt: Date(timeIntervalSince1970: row["nextAttemptAt"]),
            lastError: row["lastError"], isFailed: row["isFailed"]
        )
    }

    // MARK: What an intent shows at once

    /// Whether the message is still only in the outbox (no server id yet).
    public func isQueuedAndWaiting(_ chat: ChatID, localId: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT count(*) > 0 FROM messages AS m JOIN outbox AS o ON o.chatId = m.chatId AND o.localId = m.localId
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
