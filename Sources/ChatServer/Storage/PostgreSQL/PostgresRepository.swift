import ChatAPI
import Foundation
import Logging
import PostgresNIO

/// `ChatRepository` on PostgreSQL through PostgresNIO's connection pool. Every method is one
/// transaction at READ COMMITTED; where SQLite's single writer made check-then-write safe,
/// this uses a statement that is atomic by itself (`ON CONFLICT`, `RETURNING`) or, for finding
/// a chat by its members, an advisory lock. The pool (`client`) must be running: the server
/// runs it as a service beside the HTTP server.
final class PostgresRepository: ChatRepository {
    let client: PostgresClient
    let logger: Logger

    init(url: PostgresDatabaseURL, logger: Logger) {
        var configuration = url.clientConfiguration
        configuration.options.maximumConnections = 16
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    /// The transaction `atomically` holds open for the task, if any: the methods called inside
    /// it run on its connection (a method's own transaction becomes a savepoint in it).
    struct OpenTransaction: Sendable {
        let repository: ObjectIdentifier
        let connection: PostgresConnection
    }

    @TaskLocal static var openTransaction: OpenTransaction?

    private var currentTransaction: PostgresConnection? {
        Self.openTransaction.flatMap { $0.repository == ObjectIdentifier(self) ? $0.connection : nil }
    }

    /// The body's reads and changes in one transaction (see `ChatRepository.atomically`).
    func atomically<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
        if currentTransaction != nil { return try await body() }
        let id = ObjectIdentifier(self)
        return try await transaction { connection in
            try await Self.$openTransaction.withValue(OpenTransaction(repository: id, connection: connection)) { try await body() }
        }
    }

    /// The body runs within `PostgresDeadline`: a database that cannot be reached ends in an
    /// error (503), not a request left waiting.
    func transaction<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        let (client, logger) = (self.client, self.logger)
        if let connection = currentTransaction { return try await PostgresTransaction.savepoint(on: connection, logger: logger, body) }
        return try await PostgresDeadline.run { try await PostgresTransaction.run(on: client, logger: logger, body) }
    }

    /// One statement, outside any explicit transaction (it is its own), or in the open one.
    func read<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        let client = self.client
        if let connection = currentTransaction { return try await body(connection) }
        return try await PostgresDeadline.run { try await client.withConnection { try await body($0) } }
    }

    /// Media ids still referred to (attachments, chat images, uploads), upper-case.
    func referencedMediaIds() async throws -> Set<String> {
        try await read { [self] connection in
            Set(try await connection.column(
                "SELECT id FROM attachments UNION SELECT id FROM chatImages UNION SELECT mediaId FROM uploads",
                as: UUID.self, logger: logger
            ).map(\.uuidString))
        }
    }

    func ping() async throws {
        _ = try await read { [self] connection in try await connection.column("SELECT 1", as: Int.self, logger: logger) }
    }

    /// SQLSTATE 23505, unique_violation.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }
}

// MARK: - Users and sessions

extension PostgresRepository {
    func createUser(name: String, username: String, passwordHash: String, now: Date) async throws -> StoredUser {
        do {
            return try await read { [self] connection in
                let id = try await connection.column("""
                    INSERT INTO users (name, username, passwordHash, createdAt)
                    VALUES (\(name), \(username), \(passwordHash), \(now.timeIntervalSince1970)) RETURNING id
                    """, as: Int.self, logger: logger)[0]
                return StoredUser(id: id, name: name, username: username, passwordHash: passwordHash, about: nil, lastSeen: nil, createdAt: now)
            }
        } catch where Self.isUniqueViolation(error) {
            throw StorageError.usernameTaken
        }
    }

    func user(id: UserID) async throws -> StoredUser? {
        try await read { [self] connection in try await connection.firstRow("SELECT * FROM users WHERE id = \(id)", logger: logger).map(PostgresRows.user) }
    }

    func user(username: String) async throws -> StoredUser? {
        try await read { [self] connection in
            try await connection.firstRow("SELECT * FROM users WHERE lower(username) = lower(\(username))", logger: logger).map(PostgresRows.user)
        }
    }

    func users(ids: [UserID]) async throws -> [UserID: StoredUser] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        return try await read { [self] connection in
            let users = try await connection.rows("SELECT * FROM users WHERE id = ANY(\(unique))", logger: logger).map(PostgresRows.user)
            return Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0) })
        }
    }

    func searchUsers(matching text: String, limit: Int) async throws -> [StoredUser] {
        let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        return try await read { [self] connection in
            try await connection.rows("""
                SELECT * FROM users
                WHERE lower(name) LIKE lower(\(pattern)) ESCAPE '\\' OR lower(username) LIKE lower(\(pattern)) ESCAPE '\\'
                ORDER BY lower(username) LIMIT \(limit)
                """, logger: logger).map(PostgresRows.user)
        }
    }

    func updateUser(id: UserID, name: String?, about: String?) async throws -> StoredUser {
        try await read { [self] connection in
            guard let row = try await connection.firstRow("""
                UPDATE users SET name = coalesce(\(name), name), about = coalesce(\(about), about) WHERE id = \(id) RETURNING *
                """, logger: logger)
            else { throw StorageError.notFound }
            return try PostgresRows.user(row)
        }
    }

    func updatePasswordHash(userId: UserID, hash: String) async throws {
        try await read { [self] connection in try await connection.query("UPDATE users SET passwordHash = \(hash) WHERE id = \(userId)", logger: logger) }
    }

    func touchLastSeen(userId: UserID, at: Date) async throws {
        try await read { [self] connection in try await connection.query("UPDATE users SET lastSeen = \(at.timeIntervalSince1970) WHERE id = \(userId)", logger: logger) }
    }

    func contacts(of userId: UserID) async throws -> [UserID] {
        try await read { [self] connection in
            try await connection.column("""
                SELECT DISTINCT other.userId FROM chatMembers AS mine
                JOIN chatMembers AS other ON other.chatId = mine.chatId
                WHERE mine.userId = \(userId)
                UNION SELECT \(userId)::BIGINT
                """, as: Int.self, logger: logger)
        }
    }

    func upsertSession(userId: UserID, device: DeviceInfo, tokenHash: String, ipAddress: String?, now: Date) async throws -> StoredSession {
        try await read { [self] connection in
            // One statement: two logins from one device at once end with one session, as on SQLite.
            let row = try await connection.firstRow("""
                INSERT INTO sessions (id, userId, tokenHash, ipAddress, createdAt, updatedAt,
                                      deviceId, deviceName, deviceModel, deviceToken, transport)
                VALUES (\(UUID()), \(userId), \(tokenHash), \(ipAddress), \(now.timeIntervalSince1970), \(now.timeIntervalSince1970),
                        \(device.id), \(device.name), \(device.model), \(device.token), \(device.transport))
                ON CONFLICT (userId, deviceId) DO UPDATE SET tokenHash = excluded.tokenHash, ipAddress = excluded.ipAddress,
                    updatedAt = excluded.updatedAt, deviceName = excluded.deviceName, deviceModel = excluded.deviceModel,
                    deviceToken = excluded.deviceToken, transport = excluded.transport
                RETURNING *
                """, logger: logger)
            guard let row else { throw StorageError.notFound }
            return try PostgresRows.session(row)
        }
    }

    func session(tokenHash: String) async throws -> StoredSession? {
        try await read { [self] connection in try await connection.firstRow("SELECT * FROM sessions WHERE tokenHash = \(tokenHash)", logger: logger).map(PostgresRows.session) }
    }

    func sessions(userId: UserID) async throws -> [StoredSession] {
        try await read { [self] connection in
            try await connection.rows("SELECT * FROM sessions WHERE userId = \(userId) ORDER BY createdAt", logger: logger).map(PostgresRows.session)
        }
    }

    func deleteSession(id: UUID) async throws {
        try await read { [self] connection in try await connection.query("DELETE FROM sessions WHERE id = \(id)", logger: logger) }
    }

    func endSession(id: UUID, userId: UserID) async throws -> Bool {
        try await read { [self] connection in
            try await !connection.column("DELETE FROM sessions WHERE id = \(id) AND userId = \(userId) RETURNING id", as: UUID.self, logger: logger).isEmpty
        }
    }

    func touchSession(id: UUID, now: Date) async throws {
        try await read { [self] connection in
            try await connection.query(
                "UPDATE sessions SET updatedAt = greatest(updatedAt, \(now.timeIntervalSince1970)) WHERE id = \(id)", logger: logger
            )
        }
    }

    func trimSessions(userId: UserID, keep: Int, usedBefore: Date?) async throws -> [UUID] {
        try await read { [self] connection in
            try await connection.column("""
                DELETE FROM sessions WHERE id IN (
                    SELECT id FROM sessions WHERE userId = \(userId) ORDER BY updatedAt DESC, createdAt DESC OFFSET \(keep))
                    OR (userId = \(userId) AND updatedAt < \(usedBefore?.timeIntervalSince1970 ?? -Double.infinity))
                RETURNING id
                """, as: UUID.self, logger: logger)
        }
    }

    func deleteSessions(userId: UserID, except: UUID) async throws -> [UUID] {
        try await read { [self] connection in
            try await connection.column("DELETE FROM sessions WHERE userId = \(userId) AND id <> \(except) RETURNING id", as: UUID.self, logger: logger)
        }
    }

    func updateDevice(sessionId: UUID, name: String, token: String?, now: Date) async throws {
        try await read { [self] connection in
            try await connection.query("""
                UPDATE sessions SET deviceName = \(name), deviceToken = coalesce(\(token), deviceToken), updatedAt = \(now.timeIntervalSince1970)
                WHERE id = \(sessionId)
                """, logger: logger)
        }
    }
}
