import Foundation
import GRDB

/// The client cache's migrations. Ids of UUID kind are upper-case text, dates REAL seconds
/// since 1970, booleans integers.
///
/// Invariants kept by `ChatStore`'s methods:
/// - an outgoing message is a `messages` row with `serverId IS NULL` and a post in `jobs`, or a
///   row with `serverId` and no post: never both, never neither (see `JobQueueSchema`);
/// - `(chatId, localId)` is unique, so an echo or an upstream duplicate updates the one row;
/// - `historyRanges` hold server-id intervals of a chat known to be complete in the cache.
///
/// No table is WITHOUT ROWID: SQLite reports no changes to those, so observations of them
/// (the UI's source of truth) would never update.
enum ClientSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    username TEXT NOT NULL,
                    about TEXT,
                    lastSeen REAL
                );
                CREATE TABLE chats (
                    id TEXT PRIMARY KEY,
                    title TEXT,
                    isPersonal INTEGER NOT NULL,
                    ownerId INTEGER NOT NULL,
                    isMuted INTEGER NOT NULL DEFAULT 0,
                    isArchived INTEGER NOT NULL DEFAULT 0,
                    isBlocked INTEGER NOT NULL DEFAULT 0,
                    lastActivity REAL NOT NULL DEFAULT 0,
                    lastReadId INTEGER NOT NULL DEFAULT 0,
                    readSyncedId INTEGER NOT NULL DEFAULT 0,
                    imagesJSON TEXT
                );
                CREATE INDEX chatsByActivity ON chats(isArchived, lastActivity DESC);
                CREATE TABLE chatMembers (
                    chatId TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                    userId INTEGER NOT NULL,
                    PRIMARY KEY (chatId, userId)
                );
                CREATE TABLE messages (
                    rowId INTEGER PRIMARY KEY AUTOINCREMENT,
                    chatId TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                    localId TEXT NOT NULL,
                    serverId INTEGER UNIQUE,
                    authorId INTEGER NOT NULL,
                    text TEXT,
                    createdAt REAL NOT NULL,
                    updatedAt REAL NOT NULL,
                    editedAt REAL,
                    deletedAt REAL,
                    isVisible INTEGER NOT NULL DEFAULT 1,
                    state TEXT NOT NULL DEFAULT 'sent',
                    failureReason TEXT,
                    UNIQUE (chatId, localId)
                );
                CREATE INDEX messagesByChat ON messages(chatId, serverId);
                CREATE TABLE attachments (
                    chatId TEXT NOT NULL,
                    localId TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    mediaId TEXT,
                    fileType TEXT NOT NULL,
                    fileSize INTEGER NOT NULL,
                    fileExists INTEGER NOT NULL DEFAULT 0,
                    previewExists INTEGER NOT NULL DEFAULT 0,
                    localPath TEXT,
                    transferDone INTEGER NOT NULL DEFAULT 0,
                    transferTotal INTEGER NOT NULL DEFAULT 0,
                    transferState TEXT NOT NULL DEFAULT 'none',
                    PRIMARY KEY (chatId, localId, position),
                    FOREIGN KEY (chatId, localId) REFERENCES messages(chatId, localId) ON DELETE CASCADE
                );
                CREATE TABLE readMarks (
                    serverId INTEGER NOT NULL REFERENCES messages(serverId) ON DELETE CASCADE,
                    userId INTEGER NOT NULL,
                    createdAt REAL NOT NULL,
                    PRIMARY KEY (serverId, userId)
                );
                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    chatId TEXT NOT NULL,
                    localId TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    nextAttemptAt REAL NOT NULL DEFAULT 0,
                    lastError TEXT,
                    isFailed INTEGER NOT NULL DEFAULT 0,
                    filePath TEXT,
                    fileType TEXT,
                    fileSize INTEGER,
                    UNIQUE (chatId, localId),
                    FOREIGN KEY (chatId, localId) REFERENCES messages(chatId, localId) ON DELETE CASCADE
                );
                CREATE TABLE uploadJobs (
                    mediaId TEXT PRIMARY KEY,
                    chatId TEXT NOT NULL,
                    localId TEXT NOT NULL,
                    serverId INTEGER NOT NULL,
                    filePath TEXT NOT NULL,
                    fileType TEXT NOT NULL,
                    stage TEXT NOT NULL DEFAULT 'upload',
                    attempts INTEGER NOT NULL DEFAULT 0,
                    nextAttemptAt REAL NOT NULL DEFAULT 0,
                    lastError TEXT
                );
                CREATE TABLE historyRanges (
                    chatId TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                    low INTEGER NOT NULL,
                    high INTEGER NOT NULL,
                    PRIMARY KEY (chatId, low)
                );
                CREATE TABLE drafts (
                    chatId TEXT PRIMARY KEY,
                    text TEXT NOT NULL,
                    updatedAt REAL NOT NULL
                );
                CREATE TABLE syncState (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: attachment names and unknown existence") { db in
            // fileName: [ours] the sender's name for the file. fileExistsKnown: the server said
            // whether the file is uploaded (the upstream never does: then it is "maybe").
            try db.execute(sql: """
                ALTER TABLE attachments ADD COLUMN fileName TEXT;
                ALTER TABLE attachments ADD COLUMN fileExistsKnown INTEGER NOT NULL DEFAULT 1;
                """)
        }
        migrator.registerMigration("v3: durable intents") { db in
            // Every change a person asks for besides sending (edits, deletes, chat settings,
            // members, blocks, profile, device): queued here before any network byte, in
            // order (`seq`), retried like the outbox. A message intent names its message by
            // localId and waits until the message has a server id.
            try db.execute(sql: """
                CREATE TABLE intents (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    chatId TEXT,
                    targetLocalId TEXT,
                    payload TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    nextAttemptAt REAL NOT NULL DEFAULT 0,
                    lastError TEXT,
                    isFailed INTEGER NOT NULL DEFAULT 0,
                    createdAt REAL NOT NULL
                );
                DROP TABLE syncState;
                """)
        }
        migrator.registerMigration("v4: what happened in a chat") { db in
            // Renames, members added, removed or leaving, image changes and clears, as the
            // events told them: drawn as system lines in the conversation, kept with the chat.
            try db.execute(sql: """
                CREATE TABLE chatNotes (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    chatId TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    actorId INTEGER,
                    userIds TEXT NOT NULL DEFAULT '',
                    detail TEXT,
                    createdAt REAL NOT NULL
                );
                CREATE INDEX chatNotesByChat ON chatNotes (chatId, createdAt);
                """)
        }
        migrator.registerMigration("v5: full-text search") { db in
            try SearchIndex.create(db)
        }
        migrator.registerMigration("v6: search index fed at commit") { db in
            try SearchIndex.queueNewRows(db)
        }
        migrator.registerMigration("v7: unread counts kept, not counted") { db in
            try UnreadCounts.create(db)
        }
        migrator.registerMigration("v8: a journal of what happened") { db in
            try Journal.create(db, now: Date())
        }
        migrator.registerMigration("v9: one job queue") { db in
            // Posts, uploads and changes had a table each, with their own attempts, backoff and
            // failure columns and their own delivery loop: one queue now, every item kept.
            try JobQueueSchema.create(db)
            try JobQueueSchema.moveEarlierQueues(db)
        }
        return migrator
    }
}
