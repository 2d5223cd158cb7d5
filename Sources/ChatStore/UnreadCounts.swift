import ChatAPI
import GRDB

/// Each chat's unread count, kept in `chats.unreadCount` by triggers instead of counted by the
/// chat list: counting read every unread message of every chat on every list refresh (400 ms
/// on a cache of 1,000,000 unread messages, twice at each start). A message counts when it has
/// a server id above its chat's `lastReadId`, is not deleted, and is not the cache owner's
/// (`cacheOwner`, written by `ChatStore.init`). Every change to those columns, by any writer,
/// adjusts the count by one; a moved read mark recounts its chat (from the mark on: small).
enum UnreadCounts {
    static let owner = "(SELECT me FROM cacheOwner)"

    static func counts(_ m: String, chat c: String) -> String {
        "\(m).serverId IS NOT NULL AND \(m).deletedAt IS NULL AND \(m).serverId > \(c).lastReadId AND \(m).authorId != \(owner)"
    }

    static let recountSQL = """
        UPDATE chats SET unreadCount = (SELECT count(*) FROM messages AS m WHERE m.chatId = chats.id AND \(counts("m", chat: "chats")))
        """

    static func create(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE chats ADD COLUMN unreadCount INTEGER NOT NULL DEFAULT 0;
            CREATE TABLE cacheOwner (me INTEGER NOT NULL);
            CREATE TRIGGER unreadOnInsert AFTER INSERT ON messages WHEN new.serverId IS NOT NULL AND new.deletedAt IS NULL BEGIN
                UPDATE chats SET unreadCount = unreadCount + 1 WHERE id = new.chatId AND \(counts("new", chat: "chats"));
            END;
            CREATE TRIGGER unreadOnDelete AFTER DELETE ON messages WHEN old.serverId IS NOT NULL AND old.deletedAt IS NULL BEGIN
                UPDATE chats SET unreadCount = unreadCount - 1 WHERE id = old.chatId AND \(counts("old", chat: "chats"));
            END;
            CREATE TRIGGER unreadOnUpdate AFTER UPDATE OF serverId, authorId, deletedAt, chatId ON messages
            WHEN old.serverId IS NOT new.serverId OR old.authorId IS NOT new.authorId OR old.deletedAt IS NOT new.deletedAt
                OR old.chatId IS NOT new.chatId
            BEGIN
                UPDATE chats SET unreadCount = unreadCount - 1 WHERE id = old.chatId AND \(counts("old", chat: "chats"));
                UPDATE chats SET unreadCount = unreadCount + 1 WHERE id = new.chatId AND \(counts("new", chat: "chats"));
            END;
            CREATE TRIGGER unreadOnReadMark AFTER UPDATE OF lastReadId ON chats WHEN old.lastReadId IS NOT new.lastReadId BEGIN
                UPDATE chats SET unreadCount = (SELECT count(*) FROM messages AS m WHERE m.chatId = new.id AND \(counts("m", chat: "new")))
                WHERE id = new.id;
            END;
            """)
    }

    /// Records whose cache this is; the first time (or for someone else) every chat is
    /// recounted, once.
    static func setOwner(_ db: Database, _ me: UserID) throws {
        guard try UserID.fetchOne(db, sql: "SELECT me FROM cacheOwner") != me else { return }
        try db.execute(sql: "DELETE FROM cacheOwner")
        try db.execute(sql: "INSERT INTO cacheOwner (me) VALUES (?)", arguments: [me])
        try db.execute(sql: recountSQL)
    }
}
