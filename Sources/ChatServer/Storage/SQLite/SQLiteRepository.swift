import ChatAPI
import Foundation
import GRDB

/// `ChatRepository` on SQLite through GRDB: one `DatabasePool` in WAL mode with foreign keys.
/// Every method is one transaction; a committed write survives a killed process.
final class SQLiteRepository: ChatRepository {
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and migrates it.
    init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // WAL with NORMAL loses nothing on a process crash; only power loss could cost the
            // last transactions, and it keeps commits fast.
            try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute()
        }
        // The database holds every message: only its owner may read it. SQLite gives the WAL
        // and shared-memory files the database file's mode.
        PrivateFiles.createFile(atPath: path)
        pool = try DatabasePool(path: path, configuration: configuration)
        try SQLiteSchema.migrator.migrate(pool)
        for suffix in ["", "-wal", "-shm"] { PrivateFiles.restrict(path + suffix) }
    }

    /// Media ids still referred to (attachments, chat images, uploads), upper-case, read at start-up before the server serves anything.
    func referencedMediaIdsNow() throws -> Set<String> {
        try pool.read { db in
            Set(try String.fetchAll(db, sql: """
                SELECT id FROM attachments UNION SELECT id FROM chatImages UNION SELECT mediaId FROM uploads
                """).map { $0.uppercased() })
        }
    }

    func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    static func isUniqueViolation(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
    }
}

// MARK: - Users and sessions

extension SQLiteRepository {
    func createUser(name: String, username: String, passwordHash: String, now: Date) async throws -> StoredUser {
        do {
            return try await pool.write { db in
                try db.cachedStatement(
                    sql: "INSERT INTO users (name, username, passwordHash, createdAt) VALUES (?, ?, ?, ?)").execute(
                    arguments: [name, username, passwordHash, now.timeIntervalSince1970]
                )
                return StoredUser(
                    id: UserID(db.lastInsertedRowID), name: name, username: username,
                    passwordHash: passwordHash, about: nil, lastSeen: nil, createdAt: now
                )
            }
        } catch where Self.isUniqueViolation(error) {
            throw StorageError.usernameTaken
        }
    }

    func user(id: UserID) async throws -> StoredUser? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE id = ?"), arguments: [id]).map(RowDecoding.user)
        }
    }

    func user(username: String) async throws -> StoredUser? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE username = ?"), arguments: [username]).map(RowDecoding.user)
        }
    }

    func users(ids: [UserID]) async throws -> [UserID: StoredUser] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        return try await pool.read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM users WHERE id IN (\(databaseQuestionMarks(count: unique.count)))"),
                arguments: StatementArguments(unique)
            )
            return Dictionary(uniqueKeysWithValues: rows.map(RowDecoding.user).map { ($0.id, $0) })
        }
    }

    func searchUsers(matching text: String, limit: Int) async throws -> [StoredUser] {
        let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        return try await pool.read { db in
            // LIKE is case-insensitive for ASCII; lower() on both sides covers the rest well enough.
            try Row.fetchAll(
                db.cachedStatement(
                sql: """
                    SELECT * FROM users
                    WHERE lower(name) LIKE lower(?) ESCAPE '\\' OR lower(username) LIKE lower(?) ESCAPE '\\'
                    ORDER BY username COLLATE NOCASE LIMIT ?
                    """),
                arguments: [pattern, pattern, limit]
            ).map(RowDecoding.user)
        }
    }

    func updateUser(id: UserID, name: String?, about: String?) async throws -> StoredUser {
        try await pool.write { db in
            if let name { try db.cachedStatement(sql: "UPDATE users SET name = ? WHERE id = ?").execute( arguments: [name, id]) }
            if let about { try db.cachedStatement(sql: "UPDATE users SET about = ? WHERE id = ?").execute( arguments: [about, id]) }
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE id = ?"), arguments: [id]) else {
                throw StorageError.notFound
            }
            return RowDecoding.user(row)
        }
    }

    func updatePasswordHash(userId: UserID, hash: String) async throws {
        try await pool.write { db in
            try db.cachedStatement(sql: "UPDATE users SET passwordHash = ? WHERE id = ?").execute( arguments: [hash, userId])
        }
    }

    func touchLastSeen(userId: UserID, at: Date) async throws {
        try await pool.write { db in
            try db.cachedStatement(sql: "UPDATE users SET lastSeen = ? WHERE id = ?").execute( arguments: [at.timeIntervalSince1970, userId])
        }
    }

    func contacts(of userId: UserID) async throws -> [UserID] {
        try await pool.read { db in
            try UserID.fetchAll(
                db.cachedStatement(
                sql: """
                    SELECT DISTINCT other.userId FROM chatMembers AS mine
                    JOIN chatMembers AS other ON other.chatId = mine.chatId
                    WHERE mine.userId = ?
                    UNION SELECT ?
                    """),
                arguments: [userId, userId]
            )
        }
    }

    func upsertSession(userId: UserID, device: DeviceInfo, tokenHash: String, ipAddress: String?, now: Date) async throws -> StoredSession {
        try await pool.write { db in
            let existing = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM sessions WHERE userId = ? AND deviceId = ?"),
                arguments: [userId, device.id.uuidString]
            )
            let id = try existing.map { try RowDecoding.uuid($0, "id") } ?? UUID()
            let createdAt = existing.map { RowDecoding.date($0["createdAt"] as Double) } ?? now
            try db.cachedStatement(
                sql: """
                    INSERT INTO sessions (id, userId, tokenHash, ipAddress, createdAt, updatedAt,
                                          deviceId, deviceName, deviceModel, deviceToken, transport)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET tokenHash = excluded.tokenHash, ipAddress = excluded.ipAddress,
                        updatedAt = excluded.updatedAt, deviceName = excluded.deviceName,
                        deviceModel = excluded.deviceModel, deviceToken = excluded.deviceToken,
                        transport = excluded.transport
                    """).execute(
                arguments: [
                    id.uuidString, userId, tokenHash, ipAddress, createdAt.timeIntervalSince1970,
                    now.timeIntervalSince1970, device.id.uuidString, device.name, device.model, device.token,
                    device.transport,
                ]
            )
            return StoredSession(id: id, userId: userId, ipAddress: ipAddress, createdAt: createdAt, updatedAt: now, device: device)
        }
    }

    func session(tokenHash: String) async throws -> StoredSession? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM sessions WHERE tokenHash = ?"), arguments: [tokenHash])
                .map(RowDecoding.session)
        }
    }

    func sessions(userId: UserID) async throws -> [StoredSession] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM sessions WHERE userId = ? ORDER BY createdAt"), arguments: [userId])
                .map(RowDecoding.session)
        }
    }

    func deleteSession(id: UUID) async throws {
        try await pool.write { db in
            try db.cachedStatement(sql: "DELETE FROM sessions WHERE id = ?").execute( arguments: [id.uuidString])
        }
    }

    func endSession(id: UUID, userId: UserID) async throws -> Bool {
        try await pool.write { db in
            try db.cachedStatement(sql: "DELETE FROM sessions WHERE id = ? AND userId = ?").execute(arguments: [id.uuidString, userId])
            return db.changesCount > 0
        }
    }

    func touchSession(id: UUID, now: Date) async throws {
        try await pool.write { db in
            try db.cachedStatement(sql: "UPDATE sessions SET updatedAt = max(updatedAt, ?) WHERE id = ?")
                .execute(arguments: [now.timeIntervalSince1970, id.uuidString])
        }
    }

    func trimSessions(userId: UserID, keep: Int, usedBefore: Date?) async throws -> [UUID] {
        try await pool.write { db in
            let ids = try String.fetchAll(
                db.cachedStatement(sql: """
                    SELECT id FROM (SELECT id FROM sessions WHERE userId = ? ORDER BY updatedAt DESC, createdAt DESC LIMIT -1 OFFSET ?)
                    UNION SELECT id FROM sessions WHERE userId = ? AND updatedAt < ?
                    """),
                arguments: [userId, keep, userId, usedBefore?.timeIntervalSince1970 ?? -Double.infinity]
            )
            for id in ids { try db.cachedStatement(sql: "DELETE FROM sessions WHERE id = ?").execute(arguments: [id]) }
            return ids.compactMap(UUID.init(uuidString:))
        }
    }

    func deleteSessions(userId: UserID, except: UUID) async throws -> [UUID] {
        try await pool.write { db in
            let ids = try String.fetchAll(
                db.cachedStatement(sql: "SELECT id FROM sessions WHERE userId = ? AND id <> ?"), arguments: [userId, except.uuidString]
            )
            try db.cachedStatement(sql: "DELETE FROM sessions WHERE userId = ? AND id <> ?").execute(arguments: [userId, except.uuidString])
            return ids.compactMap(UUID.init(uuidString:))
        }
    }

    func updateDevice(sessionId: UUID, name: String, token: String?, now: Date) async throws {
        try await pool.write { db in
            try db.cachedStatement(
                sql: "UPDATE sessions SET deviceName = ?, deviceToken = coalesce(?, deviceToken), updatedAt = ? WHERE id = ?").execute(
                arguments: [name, token, now.timeIntervalSince1970, sessionId.uuidString]
            )
        }
    }
}
