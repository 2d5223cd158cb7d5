import ChatAPI
import Foundation
import PostgresNIO

extension PostgresRepository {
    /// Any fixed number: it names "finding or creating a chat by its members" among advisory
    /// locks, so two requests for the same new chat create one (SQLite's one writer did that).
    static let chatCreationLockKey = 0x7E4C_4A72

    func findOrCreateChat(
        newId: ChatID, title: String?, isPersonal: Bool, ownerId: UserID, members: Set<UserID>, now: Date
    ) async throws -> (chat: StoredChat, created: Bool) {
        let memberList = Array(members)
        return try await transaction { [self] connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.chatCreationLockKey))", logger: logger)
            if let existing = try await connection.firstRow("""
                SELECT c.* FROM chats AS c
                WHERE c.isPersonal = \(isPersonal)
                  AND c.id IN (SELECT chatId FROM chatMembers WHERE userId = \(ownerId))
                  AND (SELECT count(*) FROM chatMembers WHERE chatId = c.id) = \(memberList.count)
                  AND (SELECT count(*) FROM chatMembers WHERE chatId = c.id AND userId = ANY(\(memberList))) = \(memberList.count)
                ORDER BY c.createdAt LIMIT 1
                """, logger: logger) {
                let chat = try PostgresRows.chat(existing)
                // Finding a chat again brings it back to the caller's device (seed: "Remove chat from device").
                try await connection.query(
                    "UPDATE chatSettings SET isRemovedOnDevice = false WHERE chatId = \(chat.id) AND userId = \(ownerId)", logger: logger
                )
                return (chat, false)
            }
            let seconds = now.timeIntervalSince1970
            try await connection.query("""
                INSERT INTO chats (id, title, isPersonal, ownerId, createdAt, updatedAt)
                VALUES (\(newId), \(title), \(isPersonal), \(ownerId), \(seconds), \(seconds))
                """, logger: logger)
            try await connection.query("""
                INSERT INTO chatMembers (chatId, userId, joinedAt) SELECT \(newId), member, \(seconds) FROM unnest(\(memberList)) AS member
                """, logger: logger)
            return (StoredChat(id: newId, title: title, isPersonal: isPersonal, ownerId: ownerId, createdAt: now, updatedAt: now), true)
        }
    }

    func chat(id: ChatID) async throws -> StoredChat? {
        try await read { [self] connection in try await connection.firstRow("SELECT * FROM chats WHERE id = \(id)", logger: logger).map(PostgresRows.chat) }
    }

    func memberIds(chatId: ChatID) async throws -> [UserID] {
        try await read { [self] connection in
            try await connection.column("SELECT userId FROM chatMembers WHERE chatId = \(chatId) ORDER BY joinedAt, userId", as: Int.self, logger: logger)
        }
    }

    func isMember(chatId: ChatID, userId: UserID) async throws -> Bool {
        try await read { [self] connection in
            try await connection.column(
                "SELECT EXISTS (SELECT 1 FROM chatMembers WHERE chatId = \(chatId) AND userId = \(userId))", as: Bool.self, logger: logger
            ).first ?? false
        }
    }

    func chatIds(forUser userId: UserID) async throws -> [ChatID] {
        try await read { [self] connection in
            try await connection.column("""
                SELECT c.id FROM chatMembers AS m
                JOIN chats AS c ON c.id = m.chatId
                LEFT JOIN chatSettings AS s ON s.chatId = m.chatId AND s.userId = m.userId
                WHERE m.userId = \(userId) AND NOT coalesce(s.isRemovedOnDevice, false)
                ORDER BY coalesce((SELECT max(createdAt) FROM messages WHERE chatId = c.id), c.updatedAt) DESC
                """, as: UUID.self, logger: logger)
        }
    }

    func settings(chatId: ChatID, userId: UserID) async throws -> StoredChatSettings {
        try await read { [self] connection in
            try await connection.firstRow("SELECT * FROM chatSettings WHERE chatId = \(chatId) AND userId = \(userId)", logger: logger)
                .map(PostgresRows.settings) ?? StoredChatSettings()
        }
    }

    func settings(chatId: ChatID) async throws -> [UserID: StoredChatSettings] {
        try await read { [self] connection in try await Self.settings(chatId: chatId, on: connection, logger: logger) }
    }

    static func settings(chatId: ChatID, on connection: PostgresConnection, logger: Logger) async throws -> [UserID: StoredChatSettings] {
        let rows = try await connection.rows("SELECT * FROM chatSettings WHERE chatId = \(chatId)", logger: logger)
        return Dictionary(try rows.map { (try $0["userid"].decode(Int.self), try PostgresRows.settings($0)) }, uniquingKeysWith: { a, _ in a })
    }

    func updateSettings(chatId: ChatID, userId: UserID, change: SettingsChange) async throws -> StoredChatSettings {
        try await read { [self] connection in
            let row = try await connection.firstRow("""
                INSERT INTO chatSettings (chatId, userId, isMuted, isArchived, isRemovedOnDevice, isBlocked)
                VALUES (\(chatId), \(userId), coalesce(\(change.isMuted), false), coalesce(\(change.isArchived), false),
                        coalesce(\(change.isRemovedOnDevice), false), coalesce(\(change.isBlocked), false))
                ON CONFLICT (chatId, userId) DO UPDATE SET
                    isMuted = coalesce(\(change.isMuted), chatSettings.isMuted),
                    isArchived = coalesce(\(change.isArchived), chatSettings.isArchived),
                    isRemovedOnDevice = coalesce(\(change.isRemovedOnDevice), chatSettings.isRemovedOnDevice),
                    isBlocked = coalesce(\(change.isBlocked), chatSettings.isBlocked)
                RETURNING *
                """, logger: logger)
            return try row.map(PostgresRows.settings) ?? StoredChatSettings()
        }
    }

    func renameChat(id: ChatID, title: String, now: Date) async throws -> StoredChat {
        try await read { [self] connection in
            guard let row = try await connection.firstRow(
                "UPDATE chats SET title = \(title), updatedAt = \(now.timeIntervalSince1970) WHERE id = \(id) RETURNING *", logger: logger
            ) else { throw StorageError.notFound }
            return try PostgresRows.chat(row)
        }
    }

    func setOwner(chatId: ChatID, ownerId: UserID) async throws {
        try await read { [self] connection in try await connection.query("UPDATE chats SET ownerId = \(ownerId) WHERE id = \(chatId)", logger: logger) }
    }

    func addMembers(chatId: ChatID, userIds: [UserID], now: Date) async throws -> [UserID] {
        try await transaction { [self] connection in
            var added: [UserID] = []
            for userId in userIds {
                let inserted = try await connection.column("""
                    INSERT INTO chatMembers (chatId, userId, joinedAt) VALUES (\(chatId), \(userId), \(now.timeIntervalSince1970))
                    ON CONFLICT DO NOTHING RETURNING userId
                    """, as: Int.self, logger: logger)
                guard !inserted.isEmpty else { continue }
                added.append(userId)
                try await connection.query(
                    "UPDATE chatSettings SET isRemovedOnDevice = false WHERE chatId = \(chatId) AND userId = \(userId)", logger: logger
                )
            }
            return added
        }
    }

    func removeMembers(chatId: ChatID, userIds: [UserID]) async throws -> [UserID] {
        let removed = try await read { [self] connection in
            try await connection.column(
                "DELETE FROM chatMembers WHERE chatId = \(chatId) AND userId = ANY(\(userIds)) RETURNING userId", as: Int.self, logger: logger
            )
        }
        return userIds.filter(Set(removed).contains)  // in the order asked, as on SQLite
    }

    func deleteChat(id: ChatID) async throws -> [String] {
        try await transaction { [self] connection in
            let media = try await Self.media(on: connection, logger: logger, """
                SELECT a.id, a.fileType FROM attachments AS a JOIN messages AS m ON m.id = a.messageId WHERE m.chatId = \(id)
                UNION ALL SELECT id, fileType FROM chatImages WHERE chatId = \(id)
                """)
            try await connection.query("DELETE FROM chats WHERE id = \(id)", logger: logger)
            return try await Self.forgetFiles(of: media, on: connection, logger: logger)
        }
    }

    func chatImages(chatId: ChatID) async throws -> [StoredMedia] {
        try await read { [self] connection in
            try await connection.rows("SELECT * FROM chatImages WHERE chatId = \(chatId) ORDER BY createdAt", logger: logger).map(PostgresRows.media)
        }
    }

    func addChatImage(chatId: ChatID, image: StoredMedia) async throws {
        try await read { [self] connection in
            try await connection.query("""
                INSERT INTO chatImages (id, chatId, fileType, fileSize, previewWidth, previewHeight, createdAt)
                VALUES (\(image.id), \(chatId), \(image.fileType), \(image.fileSize), \(image.previewWidth), \(image.previewHeight),
                        \(image.createdAt.timeIntervalSince1970))
                ON CONFLICT (id) DO UPDATE SET chatId = excluded.chatId, fileType = excluded.fileType, fileSize = excluded.fileSize,
                    previewWidth = excluded.previewWidth, previewHeight = excluded.previewHeight, createdAt = excluded.createdAt
                """, logger: logger)
        }
    }

    func removeChatImage(chatId: ChatID, mediaId: MediaID) async throws -> [String]? {
        try await transaction { [self] connection in
            let media = try await Self.media(on: connection, logger: logger,
                "DELETE FROM chatImages WHERE chatId = \(chatId) AND id = \(mediaId) RETURNING id, fileType")
            guard !media.isEmpty else { return nil }
            return try await Self.forgetFiles(of: media, on: connection, logger: logger)
        }
    }

    func blockUser(chatId: ChatID, userId: UserID, by: UserID, now: Date) async throws {
        try await read { [self] connection in
            try await connection.query("""
                INSERT INTO chatBlockedUsers (chatId, userId, blockedBy, createdAt) VALUES (\(chatId), \(userId), \(by), \(now.timeIntervalSince1970))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
    }

    func unblockUser(chatId: ChatID, userId: UserID) async throws {
        try await read { [self] connection in try await connection.query("DELETE FROM chatBlockedUsers WHERE chatId = \(chatId) AND userId = \(userId)", logger: logger) }
    }

    func blockedUserIds(chatId: ChatID) async throws -> [UserID] {
        try await read { [self] connection in
            try await connection.column("SELECT userId FROM chatBlockedUsers WHERE chatId = \(chatId) ORDER BY createdAt", as: Int.self, logger: logger)
        }
    }

    func isUserBlocked(chatId: ChatID, userId: UserID) async throws -> Bool {
        try await read { [self] connection in
            try await connection.column(
                "SELECT EXISTS (SELECT 1 FROM chatBlockedUsers WHERE chatId = \(chatId) AND userId = \(userId))", as: Bool.self, logger: logger
            ).first ?? false
        }
    }

    func postingContext(chatId: ChatID, userId: UserID) async throws -> PostingContext? {
        // One statement, so one snapshot (as SQLite's read transaction) and one round trip: a
        // row per member's settings (or one row of nulls), each carrying the chat and the flags.
        try await read { [self] connection in
            let rows = try await connection.rows("""
                SELECT c.*,
                    EXISTS (SELECT 1 FROM chatMembers WHERE chatId = c.id AND userId = \(userId)) AS callerIsMember,
                    EXISTS (SELECT 1 FROM chatBlockedUsers WHERE chatId = c.id AND userId = \(userId)) AS callerIsBlocked,
                    s.userId AS settingsUser, s.isMuted, s.isArchived, s.isRemovedOnDevice, s.isBlocked
                FROM chats AS c LEFT JOIN chatSettings AS s ON s.chatId = c.id
                WHERE c.id = \(chatId)
                """, logger: logger)
            guard let first = rows.first else { return nil }
            var settings: [UserID: StoredChatSettings] = [:]
            for row in rows {
                guard let user = try row["settingsuser"].decode(Int?.self) else { continue }
                settings[user] = try PostgresRows.settings(row)
            }
            return PostingContext(
                chat: try PostgresRows.chat(first), isMember: try first["callerismember"].decode(Bool.self),
                isBlockedFromPosting: try first["callerisblocked"].decode(Bool.self), settings: settings
            )
        }
    }

    func audience(chatId: ChatID) async throws -> [UserID] {
        try await read { [self] connection in
            try await connection.column("""
                SELECT m.userId FROM chatMembers AS m
                LEFT JOIN chatSettings AS s ON s.chatId = m.chatId AND s.userId = m.userId
                WHERE m.chatId = \(chatId) AND NOT coalesce(s.isBlocked, false)
                ORDER BY m.joinedAt, m.userId
                """, as: Int.self, logger: logger)
        }
    }
}
