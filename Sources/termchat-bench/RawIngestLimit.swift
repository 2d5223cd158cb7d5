import ChatAPI
import ChatStore
import Foundation
import GRDBSQLite

/// The most SQLite can ingest into the cache's own schema here: the same rows as
/// `applyServerMessages` writes for new messages (the message, its chat's activity), through
/// prepared C statements, one transaction a page, with the schema's triggers (the search index)
/// firing as they do for the store, and the new messages indexed before each commit, as the
/// store's writes do.
enum RawIngestLimit {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func ingest(_ pages: [[MessageInfo]], into store: ChatStore) throws {
        try store.withRawWriterForBenchmark { db in
            let insert = try prepare(db, """
                INSERT INTO messages (chatId, localId, serverId, authorId, text, createdAt, updatedAt, isVisible, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, 1, 'sent')
                """)
            let touch = try prepare(db, "UPDATE chats SET lastActivity = max(lastActivity, ?) WHERE id = ?")
            defer {
                sqlite3_finalize(insert)
                sqlite3_finalize(touch)
            }
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            for page in pages {
                try exec(db, "BEGIN IMMEDIATE")
                var newest: [String: Double] = [:]
                for message in page {
                    let chat = message.chatId.uuidString
                    sqlite3_bind_text(insert, 1, chat, -1, transient)
                    sqlite3_bind_text(insert, 2, message.localId, -1, transient)
                    sqlite3_bind_int64(insert, 3, Int64(message.id))
                    sqlite3_bind_int64(insert, 4, Int64(message.authorId))
                    sqlite3_bind_text(insert, 5, message.text ?? "", -1, transient)
                    sqlite3_bind_double(insert, 6, message.createdAt.timeIntervalSince1970)
                    sqlite3_bind_double(insert, 7, message.updatedAt.timeIntervalSince1970)
                    try step(db, insert)
                    newest[chat] = max(newest[chat] ?? 0, message.createdAt.timeIntervalSince1970)
                }
                for (chat, activity) in newest {
                    sqlite3_bind_double(touch, 1, activity)
                    sqlite3_bind_text(touch, 2, chat, -1, transient)
                    try step(db, touch)
                }
                try exec(db, ChatStore.indexPendingSQLForBenchmark)
                try exec(db, "COMMIT")
            }
        }
    }

    private static func prepare(_ db: OpaquePointer, _ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw failure(db) }
        return statement
    }

    private static func step(_ db: OpaquePointer, _ statement: OpaquePointer?) throws {
        guard sqlite3_step(statement) == SQLITE_DONE else { throw failure(db) }
        sqlite3_reset(statement)
    }

    private static func exec(_ db: OpaquePointer, _ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw failure(db) }
    }

    private static func failure(_ db: OpaquePointer) -> Failure { Failure(description: String(cString: sqlite3_errmsg(db))) }
}
