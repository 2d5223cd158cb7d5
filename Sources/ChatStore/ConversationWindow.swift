import ChatAPI
import Foundation
import GRDB

extension ChatQueries {
    /// A window at `position`: keyset reads on (chatId, serverId) in both directions, never an
    /// offset, so a window deep in a long chat costs what one at its end does. The index is
    /// named: on a large cache SQLite's planner chose the unique index on serverId alone for
    /// `ORDER BY serverId`, and scanned every other chat's messages across a gap (8.5 s a read
    /// deep in the benchmark's 100,000-message chat).
    static func window(_ db: Database, chat: ChatID, at position: WindowPosition) throws -> ConversationWindow {
        let decode = { (reader: ColumnReader) in flaggedRow(reader, chat: chat) }
        let id = chat.uuidString
        switch position {
        case .newest:
            let size = ConversationWindow.newestSize
            let messages = try window(db, chat: chat, limit: size + 1, beforeServerId: nil)
            // One more than shown tells whether anything older is cached.
            let reachesOldest = messages.count <= size
            return ConversationWindow(position, messages: Array(messages.suffix(size)), previous: reachesOldest ? nil : messages.first,
                                      reachesNewest: true, reachesOldest: reachesOldest)
        case .oldest:
            let size = ConversationWindow.newestSize
            let sent = try ColumnReader.fetchAll(
                db.cachedStatement(sql: "SELECT \(flaggedColumns) FROM messages INDEXED BY messagesByChat WHERE chatId = ? AND serverId IS NOT NULL ORDER BY serverId LIMIT ?"),
                arguments: [id, size + 1], decode
            )
            let reachesNewest = sent.count <= size
            let pending = reachesNewest ? try queued(db, chat: chat) : []
            return ConversationWindow(position, messages: try hydrate(db, Array(sent.prefix(size)) + pending), reachesNewest: reachesNewest,
                                      reachesOldest: true)
        case .around(let anchor):
            let side = ConversationWindow.sideSize
            let older = try ColumnReader.fetchAll(
                db.cachedStatement(sql: "SELECT \(flaggedColumns) FROM messages INDEXED BY messagesByChat WHERE chatId = ? AND serverId <= ? ORDER BY serverId DESC LIMIT ?"),
                arguments: [id, anchor, side + 1], decode
            )
            let newer = try ColumnReader.fetchAll(
                db.cachedStatement(sql: "SELECT \(flaggedColumns) FROM messages INDEXED BY messagesByChat WHERE chatId = ? AND serverId > ? ORDER BY serverId LIMIT ?"),
                arguments: [id, anchor, side + 1], decode
            )
            let reachesNewest = newer.count <= side
            let pending = reachesNewest ? try queued(db, chat: chat) : []
            let messages = try hydrate(db, older.prefix(side + 1).reversed() + newer.prefix(side) + pending)
            let reachesOldest = older.count <= side
            return ConversationWindow(position, messages: Array(messages.dropFirst(reachesOldest ? 0 : 1)), previous: reachesOldest ? nil : messages.first,
                                      reachesNewest: reachesNewest, reachesOldest: reachesOldest)
        }
    }

    static func windowWithHistory(_ db: Database, chat: ChatID, at position: WindowPosition) throws -> ConversationWindow {
        var window = try window(db, chat: chat, at: position)
        window.known = try knownRanges(db, chat: chat)
        return window
    }

    /// The chat's known history ranges, newest first.
    static func knownRanges(_ db: Database, chat: ChatID) throws -> [HistoryRange] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT low, high FROM historyRanges WHERE chatId = ? ORDER BY high DESC"), arguments: [chat.uuidString])
            .map { HistoryRange(low: $0["low"], high: $0["high"]) }
    }

    /// Messages not yet on the server, in the order written: the conversation's last.
    static func queued(_ db: Database, chat: ChatID) throws -> [Flagged] {
        try ColumnReader.fetchAll(
            db.cachedStatement(sql: "SELECT \(flaggedColumns) FROM messages INDEXED BY messagesByChat WHERE chatId = ? AND serverId IS NULL ORDER BY rowId"),
            arguments: [chat.uuidString]
        ) { flaggedRow($0, chat: chat) }
    }
}

extension ChatStore {
    /// The window at `position` with the chat's known history, once.
    public func window(_ chat: ChatID, at position: WindowPosition) throws -> ConversationWindow {
        try pool.read { db in try ChatQueries.windowWithHistory(db, chat: chat, at: position) }
    }

    /// The first of the `count` newest messages of other people (not deleted), by server id;
    /// nil while the cache holds fewer than `count` of them.
    public func firstUnread(_ chat: ChatID, count: Int) throws -> CachedMessage? {
        guard count > 0 else { return nil }
        return try pool.read { db in
            let localId = try String.fetchOne(
                db, sql: """
                    SELECT localId FROM messages INDEXED BY messagesByChat WHERE chatId = ? AND authorId != ? AND deletedAt IS NULL AND serverId IS NOT NULL
                    ORDER BY serverId DESC LIMIT 1 OFFSET ?
                    """,
                arguments: [chat.uuidString, me, count - 1]
            )
            return try localId.flatMap { try ChatQueries.message(db, chat: chat, localId: $0) }
        }
    }

    /// The oldest message the cache holds of other people (the unread line's place when the
    /// chat's start has fewer unread than counted).
    public func oldestFromOthers(_ chat: ChatID) throws -> CachedMessage? {
        try pool.read { db in
            let localId = try String.fetchOne(
                db, sql: "SELECT localId FROM messages INDEXED BY messagesByChat WHERE chatId = ? AND authorId != ? AND deletedAt IS NULL AND serverId IS NOT NULL ORDER BY serverId LIMIT 1",
                arguments: [chat.uuidString, me]
            )
            return try localId.flatMap { try ChatQueries.message(db, chat: chat, localId: $0) }
        }
    }
}
