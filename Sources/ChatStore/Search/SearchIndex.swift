import ChatAPI
import Foundation
import GRDB

/// The full-text index of the messages (SQLite FTS5), kept in step with the messages table by
/// triggers, so every insert, edit, delete, clear and chat deletion changes it in the same
/// transaction (new rows through `searchPending`, below). Each row's rowid is a time key
/// (seconds << 20 | rowId's low 20 bits): FTS5 walks rowids in order, so "newest first, 50
/// hits" stops after 50 instead of sorting every match, and before:/after: are rowid ranges.
/// `scope` holds the chat (`c<hex>`), the author (`u<id>`) and `hasfile`, so filters are index
/// lookups too. A new message is a plain insert (its attachments come after it and re-index
/// it); its key is new, since no other message has its rowId's low 20 bits and its second
/// unless a million messages share that second.
enum SearchIndex {
    static let table = "messageSearch"

    static let indexableFunction = DatabaseFunction("tc_indexable", argumentCount: 1, pure: true) { values in
        SearchText.indexable(String.fromDatabaseValue(values[0]) ?? "")
    }

    /// A message row's key in the index (`m` names the row: `new`, `old`, or a table alias).
    static func key(_ m: String) -> String { "((CAST(\(m).createdAt AS INTEGER) << 20) | (\(m).rowId & 1048575))" }

    /// What the index holds of a message's text: plain printable ASCII (most text) as it is,
    /// without a call into Swift; the rest through `SearchText.indexable`.
    static func body(_ m: String) -> String {
        "CASE WHEN \(m).text GLOB '*[^ -~]*' THEN tc_indexable(\(m).text) ELSE coalesce(\(m).text, '') END"
    }

    static func scope(_ m: String) -> String { "'c' || replace(\(m).chatId, '-', '') || ' u' || \(m).authorId" }

    static func hasFile(_ m: String) -> String {
        "CASE WHEN EXISTS (SELECT 1 FROM attachments AS a WHERE a.chatId = \(m).chatId AND a.localId = \(m).localId) THEN ' hasfile' ELSE '' END"
    }

    /// Indexes the messages rows that `filter` selects (alias `m`), replacing what was there.
    static func indexSQL(where filter: String) -> String {
        """
        INSERT OR REPLACE INTO \(table) (rowid, body, scope, messageRowId)
        SELECT \(key("m")), \(body("m")), \(scope("m")) || \(hasFile("m")), m.rowId
        FROM messages AS m WHERE m.deletedAt IS NULL AND (\(filter))
        """
    }

    /// New messages, and messages given an attachment, wait in `searchPending` only until the
    /// end of the transaction that wrote them: `ChatStore.write` indexes them all in one
    /// statement before it commits, instead of a trigger indexing each row. SQLite 3.40's FTS5
    /// writes its pending terms to disk at every statement savepoint, so a trigger per insert
    /// wrote one index segment per message, and merging them cost two thirds of every page's
    /// ingest. The queue is a table: a row some other writer adds is indexed by the store's
    /// next write, or by the next search, which indexes whatever waits before it looks.
    /// automerge 16 (default 4): fewer merges of the small per-transaction segments; a search
    /// reads a few more segments (p99 stays under 7 ms on 1,000,000 messages).
    static func queueNewRows(_ db: Database) throws {
        guard try db.tableExists(table) else {
            try db.execute(sql: "CREATE TABLE searchPending (rowId INTEGER PRIMARY KEY)")
            return
        }
        try db.execute(sql: """
            DROP TRIGGER messagesIndexedOnInsert;
            DROP TRIGGER attachmentsIndexed;
            CREATE TABLE searchPending (rowId INTEGER PRIMARY KEY);
            INSERT INTO \(table) (\(table), rank) VALUES ('automerge', 16);
            CREATE TRIGGER messagesQueuedForIndex AFTER INSERT ON messages WHEN new.deletedAt IS NULL BEGIN
                INSERT OR IGNORE INTO searchPending (rowId) VALUES (new.rowId);
            END;
            CREATE TRIGGER attachmentsQueuedForIndex AFTER INSERT ON attachments BEGIN
                INSERT OR IGNORE INTO searchPending (rowId)
                SELECT rowId FROM messages WHERE chatId = new.chatId AND localId = new.localId;
            END;
            """)
    }

    /// The statements that index what waits in `searchPending` (a deleted message is skipped:
    /// its row is gone or has `deletedAt`). CROSS JOIN keeps the few waiting rows outside:
    /// left to itself the planner scans every message.
    static let indexPendingSQL = """
        INSERT OR REPLACE INTO \(table) (rowid, body, scope, messageRowId)
        SELECT \(key("m")), \(body("m")), \(scope("m")) || \(hasFile("m")), m.rowId
        FROM searchPending AS p CROSS JOIN messages AS m ON m.rowId = p.rowId WHERE m.deletedAt IS NULL
        """

    /// Runs after every write: cached statements (compiling them each time was a twentieth of
    /// the client's CPU in a burst's profile).
    static func indexPending(_ db: Database) throws {
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM searchPending)")) == true else { return }
        try db.cachedStatement(sql: indexPendingSQL).execute()
        try db.cachedStatement(sql: "DELETE FROM searchPending").execute()
    }

    /// The `limit` longest-waiting messages indexed (the live indexer's batch); answers whether
    /// more wait.
    static func indexPending(_ db: Database, limit: Int) throws -> Bool {
        let arguments: StatementArguments = [limit]
        try db.cachedStatement(sql: indexOldestPendingSQL).execute(arguments: arguments)
        try db.cachedStatement(sql: "DELETE FROM searchPending WHERE rowId IN (\(oldestPending))").execute(arguments: arguments)
        return try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM searchPending)")) == true
    }

    /// The longest-waiting messages, up to a limit given as the statement's argument.
    private static let oldestPending = "SELECT rowId FROM searchPending ORDER BY rowId LIMIT ?"
    private static let indexOldestPendingSQL = indexPendingSQL.replacingOccurrences(of: "FROM searchPending AS p", with: "FROM (\(oldestPending)) AS p")

    static func create(_ db: Database) throws {
        do {
            // columnsize=0: no per-row sizes (nothing ranks by bm25), one write less a message.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE \(table) USING fts5(body, scope, messageRowId UNINDEXED,
                    tokenize = 'unicode61 remove_diacritics 2', columnsize = 0)
                """)
        } catch {
            // A SQLite without FTS5: everything else works; search says why it cannot.
            try db.execute(sql: "CREATE TABLE searchUnavailable (reason TEXT)")
            try db.execute(sql: "INSERT INTO searchUnavailable VALUES (?)", arguments: ["\(error)"])
            return
        }
        try db.execute(sql: """
            CREATE TRIGGER messagesIndexedOnInsert AFTER INSERT ON messages WHEN new.deletedAt IS NULL BEGIN
                INSERT INTO \(table) (rowid, body, scope, messageRowId)
                VALUES (\(key("new")), \(body("new")), \(scope("new")), new.rowId);
            END;
            CREATE TRIGGER messagesIndexedOnUpdate AFTER UPDATE OF text, deletedAt, createdAt, authorId ON messages
            WHEN old.text IS NOT new.text OR old.deletedAt IS NOT new.deletedAt OR old.createdAt IS NOT new.createdAt
                OR old.authorId IS NOT new.authorId
            BEGIN
                DELETE FROM \(table) WHERE rowid = \(key("old"));
                \(indexSQL(where: "m.rowId = new.rowId"));
            END;
            CREATE TRIGGER messagesIndexedOnDelete AFTER DELETE ON messages BEGIN
                DELETE FROM \(table) WHERE rowid = \(key("old"));
            END;
            CREATE TRIGGER attachmentsIndexed AFTER INSERT ON attachments BEGIN
                \(indexSQL(where: "m.chatId = new.chatId AND m.localId = new.localId"));
            END;
            """)
        // What the cache held before the index: filled in the background, newest first.
        try db.execute(sql: "CREATE TABLE searchBackfill (nextRowId INTEGER NOT NULL, total INTEGER NOT NULL)")
        let highest = try Int.fetchOne(db, sql: "SELECT coalesce(max(rowId), 0) FROM messages") ?? 0
        let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM messages") ?? 0
        try db.execute(sql: "INSERT INTO searchBackfill VALUES (?, ?)", arguments: [highest, total])
    }
}

extension ChatStore {
    /// Indexes every message that waits to be: rows another writer added (a search does this
    /// first).
    public func indexWaitingMessages() throws {
        guard try pool.read({ db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM searchPending)") }) == true else { return }
        try pool.write { db in try SearchIndex.indexPending(db) }
    }

    /// Why search cannot work here (a SQLite without FTS5), or nil.
    public func searchUnavailableReason() throws -> String? {
        try pool.read { db in
            guard try db.tableExists("searchUnavailable") else { return nil }
            return "Search needs SQLite's FTS5, which this system's libsqlite3 lacks (\(try String.fetchOne(db, sql: "SELECT reason FROM searchUnavailable") ?? "")); install one with FTS5 (Debian's has it)."
        }
    }

    /// Indexes one batch of what the cache held before the index existed; nil once done (or
    /// with no index). Run in the background until it answers nil.
    public func backfillSearchIndex(batch: Int = 5_000) throws -> SearchIndexProgress? {
        try write { db in
            guard try db.tableExists("searchBackfill"),
                  let row = try Row.fetchOne(db, sql: "SELECT nextRowId, total FROM searchBackfill") else { return nil }
            let next: Int = row[0]
            let total: Int = row[1]
            guard next > 0 else { return nil }
            let low = max(0, next - batch)
            try db.execute(sql: SearchIndex.indexSQL(where: "m.rowId > \(low) AND m.rowId <= \(next)"))
            try db.execute(sql: "UPDATE searchBackfill SET nextRowId = ?", arguments: [low])
            let left = try Int.fetchOne(db, sql: "SELECT count(*) FROM messages WHERE rowId <= ?", arguments: [low]) ?? 0
            return SearchIndexProgress(done: max(0, total - left), total: total)
        }
    }

    public func searchIndexProgress() throws -> SearchIndexProgress? {
        try pool.read { db in
            guard try db.tableExists("searchBackfill"),
                  let row = try Row.fetchOne(db, sql: "SELECT nextRowId, total FROM searchBackfill") else { return nil }
            let next: Int = row[0]
            let total: Int = row[1]
            guard next > 0 else { return SearchIndexProgress(done: total, total: total) }
            let left = try Int.fetchOne(db, sql: "SELECT count(*) FROM messages WHERE rowId <= ?", arguments: [next]) ?? 0
            return SearchIndexProgress(done: max(0, total - left), total: total)
        }
    }

    /// The newest `limit` messages matching `query`, in `chat` (besides any `in:`), newest
    /// first; `older` pages on from a hit's index key.
    public func search(_ query: SearchQuery, chat: ChatID? = nil, limit: Int = 50, timeZone: TimeZone = .current) throws -> SearchResults {
        if let reason = try searchUnavailableReason() { throw SearchUnavailable(message: reason) }
        try indexWaitingMessages()
        return try pool.read { db in
            var scope: [String] = []
            if let chat { scope.append("scope:" + SearchQuery.quoted("c" + chat.uuidString.replacingOccurrences(of: "-", with: ""))) }
            if let name = query.chat {
                let chats = try Self.resolveChats(db, name)
                guard !chats.isEmpty else { throw SearchQueryError("No chat called \(name) here.") }
                scope.append("(" + chats.map { "scope:" + SearchQuery.quoted("c" + $0.uuidString.replacingOccurrences(of: "-", with: "")) }.joined(separator: " OR ") + ")")
            }
            if let username = query.from {
                guard let id = try UserID.fetchOne(db, sql: "SELECT id FROM users WHERE lower(username) = lower(?)", arguments: [username]) else {
                    throw SearchQueryError("No one called \(username) here.")
                }
                scope.append("scope:" + SearchQuery.quoted("u\(id)"))
            }
            if query.hasFile { scope.append("scope:hasfile") }
            let expression = ([query.bodyExpression].compactMap { $0 } + scope).joined(separator: " AND ")
            guard !expression.isEmpty else { throw SearchQueryError("Type something to search for.") }
            var bounds = ""
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            if let before = query.before, let date = calendar.date(from: before) {
                bounds += " AND rowid < \(Int(date.timeIntervalSince1970) << 20)"
            }
            if let after = query.after, let date = calendar.date(from: after) {
                bounds += " AND rowid >= \(Int(date.timeIntervalSince1970) << 20)"
            }
            let rowIds = try Int.fetchAll(
                db, sql: "SELECT messageRowId FROM \(SearchIndex.table) WHERE \(SearchIndex.table) MATCH ?\(bounds) ORDER BY rowid DESC LIMIT ?",
                arguments: [expression, limit]
            )
            var hits: [CachedMessage] = []
            if !rowIds.isEmpty {
                let found = try ColumnReader.fetchAll(
                    db.makeStatement(sql: "SELECT rowId, \(ChatQueries.messageColumns) FROM messages WHERE rowId IN (\(databaseQuestionMarks(count: rowIds.count)))"),
                    arguments: StatementArguments(rowIds)
                ) { reader -> (Int, CachedMessage)? in
                    ChatQueries.messageRow(reader, from: 1).map { (reader.int(0), $0) }
                }
                let byRow = Dictionary(found, uniquingKeysWith: { a, _ in a })
                hits = try ChatQueries.hydrateAcrossChats(db, rowIds.compactMap { byRow[$0] })
            }
            let progress = try Self.backfillProgress(db)
            let partly = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM chats WHERE NOT EXISTS (SELECT 1 FROM historyRanges WHERE chatId = chats.id AND low = 0)
                """) ?? 0
            return SearchResults(hits: hits, indexProgress: progress, partlyCachedChats: partly)
        }
    }

    static func backfillProgress(_ db: Database) throws -> SearchIndexProgress? {
        guard let row = try Row.fetchOne(db, sql: "SELECT nextRowId, total FROM searchBackfill"), (row[0] as Int) > 0 else { return nil }
        let left = try Int.fetchOne(db, sql: "SELECT count(*) FROM messages WHERE rowId <= ?", arguments: [row[0] as Int]) ?? 0
        return SearchIndexProgress(done: max(0, (row[1] as Int) - left), total: row[1])
    }

    /// `in:` names a chat by id, `@username` (a personal chat), or title (exact, else a prefix).
    static func resolveChats(_ db: Database, _ name: String) throws -> [ChatID] {
        if let id = UUID(uuidString: name) { return [id] }
        let bare = name.hasPrefix("@") ? String(name.dropFirst()) : name
        let personal = try String.fetchAll(db, sql: """
            SELECT c.id FROM chats AS c JOIN chatMembers AS cm ON cm.chatId = c.id JOIN users AS u ON u.id = cm.userId
            WHERE c.isPersonal = 1 AND (lower(u.username) = lower(?) OR lower(u.name) = lower(?))
            """, arguments: [bare, bare])
        if !personal.isEmpty || name.hasPrefix("@") { return personal.compactMap(UUID.init(uuidString:)) }
        let exact = try String.fetchAll(db, sql: "SELECT id FROM chats WHERE lower(title) = lower(?)", arguments: [name])
        if !exact.isEmpty { return exact.compactMap(UUID.init(uuidString:)) }
        let escaped = name.replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        return try String.fetchAll(db, sql: "SELECT id FROM chats WHERE lower(title) LIKE lower(?) || '%' ESCAPE '\\'", arguments: [escaped])
            .compactMap(UUID.init(uuidString:))
    }
}

public struct SearchUnavailable: Error, Sendable {
    public var message: String
}
