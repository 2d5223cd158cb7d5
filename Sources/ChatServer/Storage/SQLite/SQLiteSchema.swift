import GRDB

/// The server database's migrations. Dates are stored as REAL seconds since 1970, ids of
/// UUID kind as upper-case text, booleans as integers.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    passwordHash TEXT NOT NULL,
                    about TEXT,
                    lastSeen REAL,
                    createdAt REAL NOT NULL
                );
                CREATE TABLE sessions (
                    id TEXT PRIMARY KEY,
                    userId INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    tokenHash TEXT NOT NULL UNIQUE,
                    ipAddress TEXT,
                    createdAt REAL NOT NULL,
                    updatedAt REAL NOT NULL,
                    deviceId TEXT NOT NULL,
                    deviceName TEXT NOT NULL,
                    deviceModel TEXT NOT NULL,
                    deviceToken TEXT NOT NULL,
                    transport TEXT NOT NULL,
                    UNIQUE(userId, deviceId)
                );
                CREATE TABLE chats (
                    id TEXT PRIMARY KEY,
                    title TEXT,
                    isPersonal INTEGER NOT NULL,
                    ownerId INTEGER NOT NULL REFERENCES users(id),
                    createdAt REAL NOT NULL,
                    updatedAt REAL NOT NULL
                );
                CREATE TABLE chatMembers (
                    chatId TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                    userId INTEGER NOT NULL REFERENCES users(id),
                    joinedAt REAL NOT NULL,
                    PRIMARY KEY (chatId, userId)
                ) WITHOUT ROWID;
                CREATE INDEX chatMembersByUser ON chatMembers(userId, chatId);
                CREATE TABLE chatSettings (
                    chatId TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                    userId INTEGER NOT NULL REFERENCES users(id),
                    isMuted INTEGER NOT NULL DEFAULT 0,
                    isArchived INTEGER NOT NULL DEFAULT 0,
                    isRemovedOnDevice INTEGER NOT NULL DEFAULT 0,
                    isBlocked INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (chatId, userId)
                ) WITHOUT ROWID;
                CREATE TABLE chatBlockedUsers (
                    chatId TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                    userId INTEGER NOT NULL REFERENCES users(id),
                    blockedBy INTEGER NOT NULL REFERENCES users(id),
                    createdAt REAL NOT NULL,
                    PRIMARY KEY (chatId, userId)
                ) WITHOUT ROWID;
                CREATE TABLE chatImages (
                    id TEXT PRIMARY KEY,
                    chatId TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                    fileType TEXT NOT NULL,
                    fileSize INTEGER NOT NULL,
                    previewWidth INTEGER,
                    previewHeight INTEGER,
                    createdAt REAL NOT NULL
                );
                CREATE INDEX chatImagesByChat ON chatImages(chatId);
                CREATE TABLE messages (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    chatId TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                    authorId INTEGER NOT NULL REFERENCES users(id),
                    localId TEXT NOT NULL,
                    text TEXT,
                    isVisible INTEGER NOT NULL DEFAULT 1,
                    createdAt REAL NOT NULL,
                    updatedAt REAL NOT NULL,
                    editedAt REAL,
                    deletedAt REAL,
                    UNIQUE (chatId, authorId, localId)
                );
                CREATE INDEX messagesByChat ON messages(chatId, id);
                CREATE TABLE attachments (
                    id TEXT PRIMARY KEY,
                    messageId INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
                    fileType TEXT NOT NULL,
                    fileSize INTEGER NOT NULL,
                    previewWidth INTEGER,
                    previewHeight INTEGER,
                    createdAt REAL NOT NULL,
                    fileExists INTEGER NOT NULL DEFAULT 0,
                    previewExists INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX attachmentsByMessage ON attachments(messageId);
                CREATE TABLE readMarks (
                    id TEXT PRIMARY KEY,
                    messageId INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
                    userId INTEGER NOT NULL REFERENCES users(id),
                    createdAt REAL NOT NULL,
                    UNIQUE (messageId, userId)
                );
                CREATE TABLE uploads (
                    mediaId TEXT PRIMARY KEY,
                    uploaderId INTEGER NOT NULL REFERENCES users(id),
                    createdAt REAL NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: attachment file names") { db in
            try db.execute(sql: "ALTER TABLE attachments ADD COLUMN fileName TEXT")
        }
        migrator.registerMigration("v3: stored files") { db in
            try db.execute(sql: """
                CREATE TABLE storedFiles (
                    fileName TEXT PRIMARY KEY,
                    mediaId TEXT NOT NULL
                );
                CREATE INDEX storedFilesByMedia ON storedFiles(mediaId);
                """)
        }
        migrator.registerMigration("v4: stored file sizes") { db in
            // Files stored before count as 0 bytes against their uploader's quota.
            try db.execute(sql: "ALTER TABLE storedFiles ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0")
        }
        return migrator
    }
}
