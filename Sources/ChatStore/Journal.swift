import ChatAPI
import Foundation
import GRDB

/// What happened, in the order this cache learnt it: the durable feed of `termchat watch` and
/// `termchat rpc`. Rows are written inside the transaction that makes the change, by whichever
/// process makes it (the TUI, `watch`, `send`…), and only when the cache's state changes: a
/// second process applying the same event finds nothing to change and writes nothing (a new
/// message is kept once by a unique index), so each thing happens once in the journal however
/// many engines run on the account.
///
/// What counts as news: a message created after the journal began (history paged in later is
/// not news), an edit, delete or read mark of a message already cached; a chat's creation,
/// rename, members and departure once the cache has read the whole chat list once (its
/// first list is the baseline, not news).
public struct JournalEntry: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case message, edit, delete, read
        case chatCreated = "chat_created", chatRenamed = "chat_renamed", members
        case chatLeft = "chat_left", chatDeleted = "chat_deleted", chatRemoved = "chat_removed"
    }

    /// Increases by one per entry; a reader resumes after the last it handled.
    public var cursor: Int64
    public var kind: Kind
    public var chatId: ChatID
    public var messageId: MessageID?
    public var localId: String?
    /// The author (message, edit, delete), the reader (read).
    public var userId: UserID?
    /// The message's text (message, edit), the chat's new title (chat_renamed, chat_created),
    /// or its last title (chat_left, chat_deleted, chat_removed).
    public var text: String?
    public var added: [UserID]
    public var removed: [UserID]
    public var at: Date
}

/// Why a chat left the cache, for the journal.
public enum ChatDeparture: Sendable {
    /// This user left it, or removed it from this device.
    case left
    /// It was deleted (by anyone).
    case deleted
    /// This user was removed from it, or the server no longer shows it.
    case removed

    var kind: JournalEntry.Kind {
        switch self {
        case .left: .chatLeft
        case .deleted: .chatDeleted
        case .removed: .chatRemoved
        }
    }
}

enum Journal {
    /// Entries kept; older ones go when the chat list is read again (a reader that far behind
    /// is told what it missed). Only the oldest go, so a new entry's `seq` (the rowid, one
    /// past the largest) always rises without AUTOINCREMENT's extra write per entry; one
    /// chat's entries are read from a cursor by the primary key, so no index by chat is kept.
    static let kept: Int64 = 50_000

    static func create(_ db: Database, now: Date) throws {
        try db.execute(sql: """
            CREATE TABLE journal (
                seq INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                chatId TEXT NOT NULL,
                serverId INTEGER,
                localId TEXT,
                userId INTEGER,
                text TEXT,
                added TEXT NOT NULL DEFAULT '',
                removed TEXT NOT NULL DEFAULT '',
                at REAL NOT NULL
            );
            CREATE UNIQUE INDEX journalEachMessageOnce ON journal (serverId) WHERE kind = 'message';
            CREATE TABLE journalState (startedAt REAL NOT NULL, primed INTEGER NOT NULL DEFAULT 0);
            """)
        // Whole seconds, one early: the wire's times have no fraction, so a message sent in the
        // second the journal began would otherwise be older than it.
        try db.execute(sql: "INSERT INTO journalState (startedAt) VALUES (?)", arguments: [now.timeIntervalSince1970.rounded(.down) - 1])
    }

    /// When the journal began: messages created before it are history, not news.
    static func startedAt(_ db: Database) throws -> Double {
        try Double.fetchOne(db.cachedStatement(sql: "SELECT startedAt FROM journalState")) ?? .infinity
    }

    static func isPrimed(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT primed FROM journalState")) ?? false
    }

    /// The whole chat list has been read: from now on chat changes are news. Old entries go.
    static func prime(_ db: Database) throws {
        try db.execute(sql: "UPDATE journalState SET primed = 1 WHERE primed = 0")
        try db.execute(sql: "DELETE FROM journal WHERE seq <= (SELECT max(seq) FROM journal) - ?", arguments: [kept])
    }

    static func record(_ db: Database, _ kind: JournalEntry.Kind, chat: String, serverId: MessageID? = nil, localId: String? = nil,
                       userId: UserID? = nil, text: String? = nil, added: [UserID] = [], removed: [UserID] = [], at: Double) throws {
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO journal (kind, chatId, serverId, localId, userId, text, added, removed, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [kind.rawValue, chat, serverId, localId, userId, text,
                                     added.map(String.init).joined(separator: ","), removed.map(String.init).joined(separator: ","), at])
    }

    // MARK: Chats

    /// A chat's title and members, before and after a change, to journal what differs.
    struct ChatSnapshot: Equatable {
        var title: String?
        var members: Set<UserID>
    }

    static func snapshot(_ db: Database, _ chat: String) throws -> ChatSnapshot? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT title FROM chats WHERE id = ?"), arguments: [chat]) else { return nil }
        let members = try UserID.fetchAll(db.cachedStatement(sql: "SELECT userId FROM chatMembers WHERE chatId = ?"), arguments: [chat])
        return ChatSnapshot(title: row["title"], members: Set(members))
    }

    /// Journals what a write did to a chat (created, renamed, members), when chat changes are news.
    static func recordChatChange(_ db: Database, chat: String, before: ChatSnapshot?, after: ChatSnapshot?, at: Double) throws {
        guard let after, before != after else { return }
        guard let before else {
            return try record(db, .chatCreated, chat: chat, text: after.title, added: after.members.sorted(), at: at)
        }
        if before.title != after.title { try record(db, .chatRenamed, chat: chat, text: after.title, at: at) }
        if before.members != after.members {
            try record(db, .members, chat: chat, added: after.members.subtracting(before.members).sorted(),
                       removed: before.members.subtracting(after.members).sorted(), at: at)
        }
    }

    /// Every chat's title and members in two reads: a whole chat list read again (100,000
    /// chats at each catch-up) took four queries a chat one by one (`termchat sync` 10.6 → 14–20 s).
    static func snapshots(_ db: Database) throws -> [String: ChatSnapshot] {
        var result: [String: ChatSnapshot] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, title FROM chats") {
            result[row["id"]] = ChatSnapshot(title: row["title"], members: [])
        }
        for row in try Row.fetchAll(db, sql: "SELECT chatId, userId FROM chatMembers") {
            result[row["chatId"] as String]?.members.insert(row["userId"])
        }
        return result
    }

    /// Wraps a write to some chats' rows: what changed in them is journaled (once primed).
    static func trackingChats<T>(_ db: Database, _ chats: [String], now: Double, _ write: () throws -> T) throws -> T {
        guard try isPrimed(db) else { return try write() }
        // A few chats (an event, a rename): a snapshot each; a whole list: all of them at once.
        let many = chats.count > 50
        var before: [String: ChatSnapshot?] = [:]
        if many {
            before = try snapshots(db)
        } else {
            for chat in chats { before[chat] = try snapshot(db, chat) }
        }
        let result = try write()
        let after: [String: ChatSnapshot]? = many ? try snapshots(db) : nil
        for chat in chats {
            let current = if let after { after[chat] } else { try snapshot(db, chat) }
            try recordChatChange(db, chat: chat, before: before[chat] ?? nil, after: current, at: now)
        }
        return result
    }

    // MARK: Reading

    static func entry(_ row: Row) -> JournalEntry? {
        guard let kind = JournalEntry.Kind(rawValue: row["kind"]), let chat = UUID(uuidString: row["chatId"]) else { return nil }
        func ids(_ text: String) -> [UserID] { text.split(separator: ",").compactMap { UserID($0) } }
        return JournalEntry(
            cursor: row["seq"], kind: kind, chatId: chat, messageId: row["serverId"], localId: row["localId"], userId: row["userId"],
            text: row["text"], added: ids(row["added"]), removed: ids(row["removed"]), at: Date(timeIntervalSince1970: row["at"])
        )
    }
}

extension ChatStore {
    /// Entries after `cursor`, oldest first (of one chat, with `chat`).
    public func journal(after cursor: Int64, chat: ChatID? = nil, limit: Int = 500) throws -> [JournalEntry] {
        try pool.read { db in
            let rows = if let chat {
                try Row.fetchAll(db, sql: "SELECT * FROM journal WHERE chatId = ? AND seq > ? ORDER BY seq LIMIT ?",
                                 arguments: [chat.uuidString, cursor, limit])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [cursor, limit])
            }
            return rows.compactMap(Journal.entry)
        }
    }

    /// The newest entry's cursor (0 when empty): where a reader that wants only what comes next starts.
    public func journalCursor() throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM journal") ?? 0 }
    }

    /// The oldest cursor still held, if any: a reader resuming before it missed entries.
    public func journalOldest() throws -> Int64? {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT min(seq) FROM journal") }
    }
}
