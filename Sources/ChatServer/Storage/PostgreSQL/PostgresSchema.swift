import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL database's versioned migrations: the same tables, keys and constraints as
/// `SQLiteSchema` (dates as seconds since 1970, ids of UUID kind as `uuid`, flags as
/// `boolean`). Unquoted names, so PostgreSQL folds them to lower case; `PostgresRows` reads
/// them that way. Each migration is a list of statements (the extended protocol takes one at
/// a time) applied in one transaction with its row in `schemaMigrations`.
enum PostgresSchema {
    struct Migration: Sendable {
        var version: Int
        var name: String
        var statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(version: 1, name: "tables of users, sessions, chats, messages and files", statements: [
            """
            CREATE TABLE users (
                id BIGSERIAL PRIMARY KEY,
                name TEXT NOT NULL,
                username TEXT NOT NULL,
                passwordHash TEXT NOT NULL,
                about TEXT,
                lastSeen DOUBLE PRECISION,
                createdAt DOUBLE PRECISION NOT NULL
            )
            """,
            // As SQLite's COLLATE NOCASE: one account per name whatever its case.
            "CREATE UNIQUE INDEX usersByUsername ON users (lower(username))",
            """
            CREATE TABLE sessions (
                id UUID PRIMARY KEY,
                userId BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                tokenHash TEXT NOT NULL UNIQUE,
                ipAddress TEXT,
                createdAt DOUBLE PRECISION NOT NULL,
                updatedAt DOUBLE PRECISION NOT NULL,
                deviceId UUID NOT NULL,
                deviceName TEXT NOT NULL,
                deviceModel TEXT NOT NULL,
                deviceToken TEXT NOT NULL,
                transport TEXT NOT NULL,
                UNIQUE (userId, deviceId)
            )
            """,
            """
            CREATE TABLE chats (
                id UUID PRIMARY KEY,
                title TEXT,
                isPersonal BOOLEAN NOT NULL,
                ownerId BIGINT NOT NULL REFERENCES users(id),
                createdAt DOUBLE PRECISION NOT NULL,
                updatedAt DOUBLE PRECISION NOT NULL
            )
            """,
            """
            CREATE TABLE chatMembers (
                chatId UUID NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                userId BIGINT NOT NULL REFERENCES users(id),
                joinedAt DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (chatId, userId)
            )
            """,
            "CREATE INDEX chatMembersByUser ON chatMembers (userId, chatId)",
            """
            CREATE TABLE chatSettings (
                chatId UUID NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                userId BIGINT NOT NULL REFERENCES users(id),
                isMuted BOOLEAN NOT NULL DEFAULT false,
                isArchived BOOLEAN NOT NULL DEFAULT false,
                isRemovedOnDevice BOOLEAN NOT NULL DEFAULT false,
                isBlocked BOOLEAN NOT NULL DEFAULT false,
                PRIMARY KEY (chatId, userId)
            )
            """,
            """
            CREATE TABLE chatBlockedUsers (
                chatId UUID NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                userId BIGINT NOT NULL REFERENCES users(id),
                blockedBy BIGINT NOT NULL REFERENCES users(id),
                createdAt DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (chatId, userId)
            )
            """,
            """
            CREATE TABLE chatImages (
                id UUID PRIMARY KEY,
                chatId UUID NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                fileType TEXT NOT NULL,
                fileSize BIGINT NOT NULL,
                previewWidth BIGINT,
                previewHeight BIGINT,
                createdAt DOUBLE PRECISION NOT NULL
            )
            """,
            "CREATE INDEX chatImagesByChat ON chatImages (chatId)",
            """
            CREATE TABLE messages (
                id BIGSERIAL PRIMARY KEY,
                chatId UUID NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                authorId BIGINT NOT NULL REFERENCES users(id),
                localId TEXT NOT NULL,
                text TEXT,
                isVisible BOOLEAN NOT NULL DEFAULT true,
                createdAt DOUBLE PRECISION NOT NULL,
                updatedAt DOUBLE PRECISION NOT NULL,
                editedAt DOUBLE PRECISION,
                deletedAt DOUBLE PRECISION,
                UNIQUE (chatId, authorId, localId)
            )
            """,
            "CREATE INDEX messagesByChat ON messages (chatId, id)",
            """
            CREATE TABLE attachments (
                id UUID PRIMARY KEY,
                messageId BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
                fileType TEXT NOT NULL,
                fileSize BIGINT NOT NULL,
                previewWidth BIGINT,
                previewHeight BIGINT,
                createdAt DOUBLE PRECISION NOT NULL,
                fileExists BOOLEAN NOT NULL DEFAULT false,
                previewExists BOOLEAN NOT NULL DEFAULT false,
                fileName TEXT
            )
            """,
            "CREATE INDEX attachmentsByMessage ON attachments (messageId)",
            """
            CREATE TABLE readMarks (
                id UUID PRIMARY KEY,
                messageId BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
                userId BIGINT NOT NULL REFERENCES users(id),
                createdAt DOUBLE PRECISION NOT NULL,
                UNIQUE (messageId, userId)
            )
            """,
            """
            CREATE TABLE uploads (
                mediaId UUID PRIMARY KEY,
                uploaderId BIGINT NOT NULL REFERENCES users(id),
                createdAt DOUBLE PRECISION NOT NULL
            )
            """,
            "CREATE TABLE storedFiles (fileName TEXT PRIMARY KEY, mediaId UUID NOT NULL)",
            "CREATE INDEX storedFilesByMedia ON storedFiles (mediaId)",
        ]),
        Migration(version: 2, name: "event envelopes too large for a notification", statements: [
            "CREATE TABLE eventOutbox (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL, createdAt DOUBLE PRECISION NOT NULL)",
        ]),
        // Files stored before count as 0 bytes against their uploader's quota.
        Migration(version: 3, name: "stored file sizes", statements: [
            "ALTER TABLE storedFiles ADD COLUMN bytes BIGINT NOT NULL DEFAULT 0",
        ]),
    ]

    /// Applies the migrations not yet applied, in order; answers the versions it applied. Two
    /// instances starting at once take turns (an advisory lock held for the transaction).
    @discardableResult
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await PostgresTransaction.run(on: client, logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(advisoryLockKey))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS schemaMigrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, appliedAt DOUBLE PRECISION NOT NULL)
                """, logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.query("SELECT version FROM schemaMigrations", logger: logger).decode(Int.self) {
                applied.insert(version)
            }
            var done: [Int] = []
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("""
                    INSERT INTO schemaMigrations (version, name, appliedAt)
                    VALUES (\(migration.version), \(migration.name), \(Date().timeIntervalSince1970))
                    """, logger: logger)
                logger.info("applied database migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                done.append(migration.version)
            }
            return done
        }
    }

    /// Checks that the database answers, then migrates it; a failure says which database and
    /// why. One direct connection first: a wrong address or password fails at once, where the
    /// pool would keep retrying.
    @discardableResult
    static func prepare(_ url: PostgresDatabaseURL, client: PostgresClient, logger: Logger) async throws -> [Int] {
        do {
            try await checkConnection(url, logger: logger)
            return try await migrate(client, logger: logger)
        } catch {
            throw Storage.DatabaseUnavailable(url: url, underlying: error)
        }
    }

    /// Connects once and disconnects; throws what stopped it.
    static func checkConnection(_ url: PostgresDatabaseURL, logger: Logger) async throws {
        let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 0, logger: logger)
        try await connection.close()
    }

    /// What went wrong, in a sentence: the server's own message when it sent one.
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return String(describing: error)
    }

    /// Any fixed number: it names "migrating TermChat's schema" among advisory locks.
    static let advisoryLockKey = 0x7E4C_4A71
}
