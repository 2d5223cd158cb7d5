import ChatAPI
import Foundation
import GRDB

extension SQLiteRepository {
    func findOrCreateChat(
        newId: ChatID, title: String?, isPersonal: Bool, ownerId: UserID, members: Set<UserID>, now: Date
    ) async throws -> (chat: StoredChat, created: Bool) {
        let memberList = Array(members)
        return try await pool.write { db in
            let marks = databaseQuestionMarks(count: memberList.count)
            var arguments: StatementArguments = [isPersonal, ownerId, memberList.count]
            arguments += StatementArguments(memberList)
            arguments += [memberList.count]
            let existing = try Row.fetchOne(
                db.cachedStatement(
                sql: """
                    SELECT c.* FROM chats AS c
                    WHERE c.isPersonal = ?
                      AND c.id IN (SELECT chatId FROM chatMembers WHERE userId = ?)
                      AND (SELECT count(*) FROM chatMembers WHERE chatId = c.id) = ?
                      AND (SELECT count(*) FROM chatMembers WHERE chatId = c.id AND userId IN (\(marks))) = ?
                    ORDER BY c.createdAt LIMIT 1
                    """),
                arguments: arguments
            )
            if let existing {
                let chat = try RowDecoding.chat(existing)
                // Finding a chat again brings it back to the caller's device (seed: "Remove chat from device").
                try db.cachedStatement(
                    sql: "UPDATE chatSettings SET isRemovedOnDevice = 0 WHERE chatId = ? AND userId = ?").execute(
                    arguments: [chat.id.uuidString, ownerId]
                )
                return (chat, false)
            }
            try db.cachedStatement(
                sql: "INSERT INTO chats (id, title, isPersonal, ownerId, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)").execute(
                arguments: [newId.uuidString, title, isPersonal, ownerId, now.timeIntervalSince1970, now.timeIntervalSince1970]
            )
            for member in memberList {
                try db.cachedStatement(
                    sql: "INSERT INTO chatMembers (chatId, userId, joinedAt) VALUES (?, ?, ?)").execute(
                    arguments: [newId.uuidString, member, now.timeIntervalSince1970]
                )
            }
            let chat = StoredChat(id: newId, title: title, isPersonal: isPersonal, ownerId: ownerId, createdAt: now, updatedAt: now)
            return (chat, true)
        }
    }

    func chat(id: ChatID) async throws -> StoredChat? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM chats WHERE id = ?"), arguments: [id.uuidString]).map(RowDecoding.chat)
        }
    }

    func memberIds(chatId: ChatID) async throws -> [UserID] {
        try await pool.read { db in
            try UserID.fetchAll(db.cachedStatement(sql: "SELECT userId FROM chatMembers WHERE chatId = ? ORDER BY joinedAt, userId"), arguments: [chatId.uuidString])
        }
    }

    func isMember(chatId: ChatID, userId: UserID) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM chatMembers WHERE chatId = ? AND userId = ?)"),
                arguments: [chatId.uuidString, userId]
            ) ?? false
        }
    }

    func chatIds(forUser userId: UserID) async throws -> [ChatID] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                sql: """
                    SELECT c.id FROM chatMembers AS m
                    JOIN chats AS c ON c.id = m.chatId
                    LEFT JOIN chatSettings AS s ON s.chatId = m.chatId AND s.userId = m.userId
                    WHERE m.userId = ? AND coalesce(s.isRemovedOnDevice, 0) = 0
                    ORDER BY coalesce((SELECT max(createdAt) FROM messages WHERE chatId = c.id), c.updatedAt) DESC
                    """),
                arguments: [userId]
            )
            return try rows.map { try RowDecoding.uuid($0, "id") }
        }
    }

    func settings(chatId: ChatID, userId: UserID) async throws -> StoredChatSettings {
        try await pool.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM chatSettings WHERE chatId = ? AND userId = ?"), arguments: [chatId.uuidString, userId]
            ).map(RowDecoding.settings) ?? StoredChatSettings()
        }
    }

    func settings(chatId: ChatID) async throws -> [UserID: StoredChatSettings] {
        try await pool.read { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM chatSettings WHERE chatId = ?"), arguments: [chatId.uuidString])
            return Dictionary(rows.map { ($0["userId"] as UserID, RowDecoding.settings($0)) }, uniquingKeysWith: { a, _ in a })
        }
    }

    func updateSettings(chatId: ChatID, userId: UserID, change: SettingsChange) async throws -> StoredChatSettings {
        try await pool.write { db in
            try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO chatSettings (chatId, userId) VALUES (?, ?)").execute( arguments: [chatId.uuidString, userId]
            )
            let columns: [(String, Bool?)] = [
                ("isMuted", change.isMuted), ("isArchived", change.isArchived),
                ("isRemovedOnDevice", change.isRemovedOnDevice), ("isBlocked", change.isBlocked),
            ]
            for case let (column, value?) in columns {
                try db.cachedStatement(
                    sql: "UPDATE chatSettings SET \(column) = ? WHERE chatId = ? AND userId = ?").execute(
                    arguments: [value, chatId.uuidString, userId]
                )
            }
            return try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM chatSettings WHERE chatId = ? AND userId = ?"), arguments: [chatId.uuidString, userId]
            ).map(RowDecoding.settings) ?? StoredChatSettings()
        }
    }

    func renameChat(id: ChatID, title: String, now: Date) async throws -> StoredChat {
        try await pool.write { db in
            try db.cachedStatement(
                sql: "UPDATE chats SET title = ?, updatedAt = ? WHERE id = ?").execute(
                arguments: [title, now.timeIntervalSince1970, id.uuidString]
            )
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM chats WHERE id = ?"), arguments: [id.uuidString]) else {
                throw StorageError.notFound
            }
            return try RowDecoding.chat(row)
        }
    }

    func setOwner(chatId: ChatID, ownerId: UserID) async throws {
        try await pool.write { db in
            try db.cachedStatement(sql: "UPDATE chats SET ownerId = ? WHERE id = ?").execute( arguments: [ownerId, chatId.uuidString])
        }
    }

    func addMembers(chatId: ChatID, userIds: [UserID], now: Date) async throws -> [UserID] {
        try await pool.write { db in
            var added: [UserID] = []
            for userId in userIds {
                try db.cachedStatement(
                    sql: "INSERT OR IGNORE INTO chatMembers (chatId, userId, joinedAt) VALUES (?, ?, ?)").execute(
                    arguments: [chatId.uuidString, userId, now.timeIntervalSince1970]
                )
                if db.changesCount > 0 {
                    added.append(userId)
                    try db.cachedStatement(
                        sql: "UPDATE chatSettings SET isRemovedOnDevice = 0 WHERE chatId = ? AND userId = ?").execute(
                        arguments: [chatId.uuidString, userId]
                    )
                }
            }
            return added
        }
    }

    func removeMembers(chatId: ChatID, userIds: [UserID]) async throws -> [UserID] {
        try await pool.write { db in
            var removed: [UserID] = []
            for userId in userIds {
                try db.cachedStatement(
                    sql: "DELETE FROM chatMembers WHERE chatId = ? AND userId = ?").execute( arguments: [chatId.uuidString, userId]
                )
                if db.changesCount > 0 { removed.append(userId) }
            }
            return removed
        }
    }

    func deleteChat(id: ChatID) async throws -> [String] {
        try await pool.write { db in
            let media = try Self.media(db, sql: """
                SELECT a.id, a.fileType FROM attachments AS a JOIN messages AS m ON m.id = a.messageId WHERE m.chatId = ?1
                UNION ALL SELECT id, fileType FROM chatImages WHERE chatId = ?1
                """, arguments: [id.uuidString])
            try db.cachedStatement(sql: "DELETE FROM chats WHERE id = ?").execute( arguments: [id.uuidString])
            return try Self.forgetFiles(db, of: media)
        }
    }

    func chatImages(chatId: ChatID) async throws -> [StoredMedia] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM chatImages WHERE chatId = ? ORDER BY createdAt"), arguments: [chatId.uuidString])
                .map(RowDecoding.media)
        }
    }

    func addChatImage(chatId: ChatID, image: StoredMedia) async throws {
        try await pool.write { db in
            try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO chatImages (id, chatId, fileType, fileSize, previewWidth, previewHeight, createdAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """).execute(
                arguments: [
                    image.id.uuidString, chatId.uuidString, image.fileType, image.fileSize, image.previewWidth,
                    image.previewHeight, image.createdAt.timeIntervalSince1970,
                ]
            )
        }
    }

    func removeChatImage(chatId: ChatID, mediaId: MediaID) async throws -> [String]? {
        try await pool.write { db in
            let media = try Self.media(
                db, sql: "SELECT id, fileType FROM chatImages WHERE chatId = ? AND id = ?", arguments: [chatId.uuidString, mediaId.uuidString]
            )
            guard !media.isEmpty else { return nil }
            try db.cachedStatement(
                sql: "DELETE FROM chatImages WHERE chatId = ? AND id = ?").execute( arguments: [chatId.uuidString, mediaId.uuidString]
            )
            return try Self.forgetFiles(db, of: media)
        }
    }

    func blockUser(chatId: ChatID, userId: UserID, by: UserID, now: Date) async throws {
        try await pool.write { db in
            try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO chatBlockedUsers (chatId, userId, blockedBy, createdAt) VALUES (?, ?, ?, ?)").execute(
                arguments: [chatId.uuidString, userId, by, now.timeIntervalSince1970]
            )
        }
    }

    func unblockUser(chatId: ChatID, userId: UserID) async throws {
        try await pool.write { db in
            try db.cachedStatement(
                sql: "DELETE FROM chatBlockedUsers WHERE chatId = ? AND userId = ?").execute( arguments: [chatId.uuidString, userId]
            )
        }
    }

    func blockedUserIds(chatId: ChatID) async throws -> [UserID] {
        try await pool.read { db in
            try UserID.fetchAll(
                db.cachedStatement(sql: "SELECT userId FROM chatBlockedUsers WHERE chatId = ? ORDER BY createdAt"), arguments: [chatId.uuidString]
            )
        }
    }

    func postingContext(chatId: ChatID, userId: UserID) async throws -> PostingContext? {
        try await pool.read { db in try Self.postingContext(db, chatId: chatId, userId: userId) }
    }

    static func postingContext(_ db: Database, chatId: ChatID, userId: UserID) throws -> PostingContext? {
        guard let chat = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM chats WHERE id = ?"), arguments: [chatId.uuidString])
            .map(RowDecoding.chat)
        else { return nil }
        let flags = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM chatMembers WHERE chatId = ?1 AND userId = ?2),
                    EXISTS (SELECT 1 FROM chatBlockedUsers WHERE chatId = ?1 AND userId = ?2)
                """),
            arguments: [chatId.uuidString, userId]
        )
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM chatSettings WHERE chatId = ?"), arguments: [chatId.uuidString])
        let settings = Dictionary(rows.map { ($0["userId"] as UserID, RowDecoding.settings($0)) }, uniquingKeysWith: { a, _ in a })
        return PostingContext(chat: chat, isMember: flags?[0] ?? false, isBlockedFromPosting: flags?[1] ?? false, settings: settings)
    }

    /// The posting rules' inputs in one statement (what `postingContext(...).checks(for:)`
    /// answers, without reading the chat's row and every member's settings on each post); nil
    /// when there is no such chat.
    static func postingChecks(_ db: Database, chatId: ChatID, userId: UserID) throws -> PostingChecks? {
        try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT
                    EXISTS (SELECT 1 FROM chatMembers WHERE chatId = c.id AND userId = ?2),
                    EXISTS (SELECT 1 FROM chatBlockedUsers WHERE chatId = c.id AND userId = ?2),
                    c.isPersonal AND EXISTS (SELECT 1 FROM chatSettings WHERE chatId = c.id AND userId = ?2 AND isBlocked),
                    c.isPersonal AND EXISTS (SELECT 1 FROM chatSettings WHERE chatId = c.id AND userId <> ?2 AND isBlocked)
                FROM chats AS c WHERE c.id = ?1
                """),
            arguments: [chatId.uuidString, userId]
        ).map { PostingChecks(isMember: $0[0], isBlockedFromPosting: $0[1], blockedByAuthor: $0[2], blockedByOther: $0[3]) }
    }

    /// A text post in one visit to the writer: the checks, the insert and the audience in one
    /// transaction. Taken one by one they were three hops to a database thread and back, each
    /// two thread switches: most of a post's switches, and a third of its latency at low load.
    /// (One instance on SQLite: there is no other instance to notify.)
    func postText(_ message: NewMessage, notifying notification: ClusterNotification?) async throws -> TextPostOutcome? {
        try await pool.write { db in
            guard let checks = try Self.postingChecks(db, chatId: message.chatId, userId: message.authorId) else { return .noSuchChat }
            guard checks.allowPosting else { return .refused(checks) }
            let (stored, created) = try Self.insertMessage(db, message)
            return .stored(stored, created: created, audience: try Self.audience(db, chatId: message.chatId), othersNotified: false)
        }
    }

    func audience(chatId: ChatID) async throws -> [UserID] {
        try await pool.read { db in try Self.audience(db, chatId: chatId) }
    }

    static func audience(_ db: Database, chatId: ChatID) throws -> [UserID] {
        try UserID.fetchAll(
            db.cachedStatement(sql: """
                SELECT m.userId FROM chatMembers AS m
                LEFT JOIN chatSettings AS s ON s.chatId = m.chatId AND s.userId = m.userId
                WHERE m.chatId = ? AND coalesce(s.isBlocked, 0) = 0
                ORDER BY m.joinedAt, m.userId
                """),
            arguments: [chatId.uuidString]
        )
    }

    func isUserBlocked(chatId: ChatID, userId: UserID) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM chatBlockedUsers WHERE chatId = ? AND userId = ?)"),
                arguments: [chatId.uuidString, userId]
            ) ?? false
        }
    }
}
