import ChatAPI
import Foundation
import GRDB

/// Which stretches of each chat's history the cache holds whole.
extension ChatStore {
    /// Records that every message of `chat` with a server id in `low...high` is cached, merging
    /// with ranges it overlaps or touches.
    public func addKnownRange(_ chat: ChatID, low: MessageID, high: MessageID) throws {
        try write { db in try Self.addKnownRange(db, chat, low: low, high: high) }
    }

    static func addKnownRange(_ db: Database, _ chat: ChatID, low: MessageID, high: MessageID) throws {
        var low = min(low, high)
        var high = max(low, high)
        // Cached statements: every live message comes here, and compiling a statement runs
        // GRDB's authorizer (a tenth of the client's CPU in a burst's profile).
        let overlapping = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT low, high FROM historyRanges WHERE chatId = ? AND low <= ? AND high >= ?"),
            arguments: [chat.uuidString, high + 1, low - 1]
        )
        // Already known: nothing is written, so nothing that observes the ranges wakes up.
        if let only = overlapping.first, overlapping.count == 1, (only["low"] as MessageID) <= low, (only["high"] as MessageID) >= high { return }
        for row in overlapping {
            low = min(low, row["low"])
            high = max(high, row["high"])
            try db.cachedStatement(sql: "DELETE FROM historyRanges WHERE chatId = ? AND low = ?")
                .execute(arguments: [chat.uuidString, row["low"] as MessageID])
        }
        try db.cachedStatement(sql: "INSERT INTO historyRanges (chatId, low, high) VALUES (?, ?, ?)").execute(arguments: [chat.uuidString, low, high])
    }

    /// Known ranges, newest first.
    public func knownRanges(_ chat: ChatID) throws -> [HistoryRange] {
        try pool.read { db in try ChatQueries.knownRanges(db, chat: chat) }
    }

    /// The chats that have any message cached (one query, for a catch-up over many chats).
    public func chatsWithCachedMessages() throws -> Set<ChatID> {
        try pool.read { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT chatId FROM messages").compactMap(UUID.init(uuidString:)))
        }
    }

    /// The newest server id cached for `chat`, if any.
    public func newestServerId(_ chat: ChatID) throws -> MessageID? {
        try pool.read { db in
            try MessageID.fetchOne(db, sql: "SELECT max(serverId) FROM messages WHERE chatId = ?", arguments: [chat.uuidString])
        }
    }
}
