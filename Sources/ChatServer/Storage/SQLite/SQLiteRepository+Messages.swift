import ChatAPI
import Foundation
import GRDB

extension SQLiteRepository {
    func insertMessage(_ new: NewMessage) async throws -> (message: StoredMessage, created: Bool) {
        try await pool.write { db in try Self.insertMessage(db, new) }
    }

    /// The insert, idempotent by the author's `localId`, in the writer's open transaction.
    static func insertMessage(_ db: Database, _ new: NewMessage) throws -> (message: StoredMessage, created: Bool) {
        if let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM messages WHERE chatId = ? AND authorId = ? AND localId = ?"),
            arguments: [new.chatId.uuidString, new.authorId, new.localId]
        ) {
            return (try Self.hydrate(db, [RowDecoding.message(row)])[0], false)
        }
        let now = new.now.timeIntervalSince1970
        try db.cachedStatement(
            sql: """
                INSERT INTO messages (chatId, authorId, localId, text, isVisible, createdAt, updatedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [new.chatId.uuidString, new.authorId, new.localId, new.text, new.isVisible, now, now]
        )
        let id = MessageID(db.lastInsertedRowID)
        if let media = new.attachment {
            try db.cachedStatement(
                sql: """
                    INSERT INTO attachments (id, messageId, fileType, fileSize, previewWidth, previewHeight, createdAt, fileName)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(
                arguments: [media.id.uuidString, id, media.fileType, media.fileSize, media.previewWidth, media.previewHeight, now, media.fileName]
            )
        }
        // A new message brings the chat back to the devices it was removed from.
        try db.cachedStatement(
            sql: "UPDATE chatSettings SET isRemovedOnDevice = 0 WHERE chatId = ? AND isRemovedOnDevice = 1").execute(
            arguments: [new.chatId.uuidString]
        )
        return (StoredMessage(new, id: id), true)
    }

    func message(chatId: ChatID, id: MessageID) async throws -> StoredMessage? {
        try await pool.read { db in
            try Self.fetchMessage(db, chatId: chatId, id: id)
        }
    }

    func messages(chatId: ChatID, before: MessageID?, count: Int) async throws -> [StoredMessage] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM messages WHERE chatId = ? AND id < ? ORDER BY id DESC LIMIT ?"),
                arguments: [chatId.uuidString, before ?? Int.max, count]
            )
            return try Self.hydrate(db, rows.map(RowDecoding.message))
        }
    }

    func lastMessages(chatIds: [ChatID]) async throws -> [ChatID: StoredMessage] {
        guard !chatIds.isEmpty else { return [:] }
        return try await pool.read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                sql: """
                    SELECT * FROM messages WHERE id IN (
                        SELECT max(id) FROM messages WHERE chatId IN (\(databaseQuestionMarks(count: chatIds.count))) GROUP BY chatId)
                    """),
                arguments: StatementArguments(chatIds.map(\.uuidString))
            )
            let messages = try Self.hydrate(db, rows.map(RowDecoding.message))
            return Dictionary(messages.map { ($0.chatId, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }

    func updateMessage(chatId: ChatID, id: MessageID, change: MessageChange) async throws -> StoredMessage {
        try await pool.write { db in
            let now = change.now.timeIntervalSince1970
            if let text = change.text {
                try db.cachedStatement(
                    sql: "UPDATE messages SET text = ?, editedAt = ? WHERE id = ? AND chatId = ? AND text IS NOT ?").execute(
                    arguments: [text, now, id, chatId.uuidString, text]
                )
            }
            if let isVisible = change.isVisible {
                try db.cachedStatement(sql: "UPDATE messages SET isVisible = ? WHERE id = ?").execute( arguments: [isVisible, id])
            }
            if let fileExists = change.fileExists {
                try db.cachedStatement(sql: "UPDATE attachments SET fileExists = ? WHERE messageId = ?").execute( arguments: [fileExists, id])
            }
            if let previewExists = change.previewExists {
                try db.cachedStatement(sql: "UPDATE attachments SET previewExists = ? WHERE messageId = ?").execute( arguments: [previewExists, id])
            }
            try db.cachedStatement(sql: "UPDATE messages SET updatedAt = ? WHERE id = ?").execute( arguments: [now, id])
            guard let message = try Self.fetchMessage(db, chatId: chatId, id: id) else { throw StorageError.notFound }
            return message
        }
    }

    func deleteMessage(chatId: ChatID, id: MessageID, now: Date) async throws -> (message: StoredMessage, removedFiles: [String]) {
        try await pool.write { db in
            let media = try Self.media(db, sql: """
                SELECT a.id, a.fileType FROM attachments AS a JOIN messages AS m ON m.id = a.messageId
                WHERE a.messageId = ? AND m.chatId = ?
                """, arguments: [id, chatId.uuidString])
            try db.cachedStatement(
                sql: "UPDATE messages SET text = '', deletedAt = ?, updatedAt = ? WHERE id = ? AND chatId = ? AND deletedAt IS NULL").execute(
                arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970, id, chatId.uuidString]
            )
            guard let message = try Self.fetchMessage(db, chatId: chatId, id: id) else { throw StorageError.notFound }
            try db.cachedStatement(sql: "DELETE FROM attachments WHERE messageId = ?").execute( arguments: [id])
            var deleted = message
            deleted.attachments = []
            return (deleted, try Self.forgetFiles(db, of: media))
        }
    }

    func clearMessages(chatId: ChatID) async throws -> [String] {
        try await pool.write { db in
            let media = try Self.media(db, sql: """
                SELECT a.id, a.fileType FROM attachments AS a JOIN messages AS m ON m.id = a.messageId WHERE m.chatId = ?
                """, arguments: [chatId.uuidString])
            try db.cachedStatement(sql: "DELETE FROM messages WHERE chatId = ?").execute( arguments: [chatId.uuidString])
            return try Self.forgetFiles(db, of: media)
        }
    }

    func addReadMark(messageId: MessageID, userId: UserID, now: Date) async throws -> Bool {
        try await pool.write { db in
            try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO readMarks (id, messageId, userId, createdAt) VALUES (?, ?, ?, ?)").execute(
                arguments: [UUID().uuidString, messageId, userId, now.timeIntervalSince1970]
            )
            return db.changesCount > 0
        }
    }

    func attachmentAuthor(mediaId: MediaID) async throws -> UserID? {
        try await pool.read { db in
            try UserID.fetchOne(
                db.cachedStatement(
                sql: "SELECT m.authorId FROM attachments AS a JOIN messages AS m ON m.id = a.messageId WHERE a.id = ?"),
                arguments: [mediaId.uuidString]
            )
        }
    }

    func uploader(mediaId: MediaID) async throws -> UserID? {
        try await pool.read { db in
            try UserID.fetchOne(db.cachedStatement(sql: "SELECT uploaderId FROM uploads WHERE mediaId = ?"), arguments: [mediaId.uuidString])
        }
    }

    func claimUpload(mediaId: MediaID, uploaderId: UserID, now: Date) async throws -> UserID {
        try await pool.write { db in
            try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO uploads (mediaId, uploaderId, createdAt) VALUES (?, ?, ?)").execute(
                arguments: [mediaId.uuidString, uploaderId, now.timeIntervalSince1970]
            )
            return try UserID.fetchOne(
                db.cachedStatement(sql: "SELECT uploaderId FROM uploads WHERE mediaId = ?"), arguments: [mediaId.uuidString]
            ) ?? uploaderId
        }
    }

    func recordStoredFile(mediaId: MediaID, fileName: String, bytes: Int) async throws {
        try await pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO storedFiles (fileName, mediaId, bytes) VALUES (?, ?, ?)
                ON CONFLICT(fileName) DO UPDATE SET bytes = excluded.bytes
                """).execute(arguments: [fileName, mediaId.uuidString, bytes])
        }
    }

    func uploadedBytes(userId: UserID) async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db.cachedStatement(sql: """
                SELECT coalesce(sum(s.bytes), 0) FROM storedFiles AS s JOIN uploads AS u ON u.mediaId = s.mediaId WHERE u.uploaderId = ?
                """), arguments: [userId]) ?? 0
        }
    }

    func declaredFileSize(mediaId: MediaID) async throws -> Int? {
        try await pool.read { db in
            try Int.fetchOne(db.cachedStatement(sql: """
                SELECT fileSize FROM attachments WHERE id = ?1 AND fileSize > 0
                UNION ALL SELECT fileSize FROM chatImages WHERE id = ?1 AND fileSize > 0 LIMIT 1
                """), arguments: [mediaId.uuidString])
        }
    }

    func sweepUnreferencedUploads(claimedBefore: Date) async throws -> [String] {
        try await pool.write { db in
            let ids = try String.fetchAll(db.cachedStatement(sql: """
                SELECT mediaId FROM uploads WHERE createdAt < ?
                    AND mediaId NOT IN (SELECT id FROM attachments) AND mediaId NOT IN (SELECT id FROM chatImages)
                """), arguments: [claimedBefore.timeIntervalSince1970])
            var names: [String] = []
            for id in ids {
                names += try String.fetchAll(db.cachedStatement(sql: "SELECT fileName FROM storedFiles WHERE mediaId = ?"), arguments: [id])
                try db.cachedStatement(sql: "DELETE FROM storedFiles WHERE mediaId = ?").execute(arguments: [id])
                try db.cachedStatement(sql: "DELETE FROM uploads WHERE mediaId = ?").execute(arguments: [id])
            }
            return names
        }
    }

    func mayReadFile(mediaId: MediaID, userId: UserID) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: """
                    SELECT EXISTS (SELECT 1 FROM uploads WHERE mediaId = ?1 AND uploaderId = ?2)
                        OR EXISTS (SELECT 1 FROM attachments AS a
                                   JOIN messages AS m ON m.id = a.messageId
                                   JOIN chatMembers AS cm ON cm.chatId = m.chatId
                                   WHERE a.id = ?1 AND cm.userId = ?2)
                        OR EXISTS (SELECT 1 FROM chatImages AS i
                                   JOIN chatMembers AS cm ON cm.chatId = i.chatId
                                   WHERE i.id = ?1 AND cm.userId = ?2)
                    """),
                arguments: [mediaId.uuidString, userId]
            ) ?? false
        }
    }

    // MARK: Helpers (run inside a read or write)

    /// `(id, fileType)` pairs of media rows.
    static func media(_ db: Database, sql: String, arguments: StatementArguments) throws -> [(id: String, fileType: String)] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { ($0[0], $0[1]) }
    }

    /// Forgets who uploaded `media` and which files were stored for them, in the caller's
    /// transaction; answers the file names to remove from disk once it has committed (the
    /// recorded ones, and the attachment's own name for files stored before they were recorded).
    static func forgetFiles(_ db: Database, of media: [(id: String, fileType: String)]) throws -> [String] {
        var names = Set<String>()
        for item in media {
            names.insert("\(item.id.uppercased()).\(item.fileType)")
            names.formUnion(try String.fetchAll(
                db.cachedStatement(sql: "SELECT fileName FROM storedFiles WHERE mediaId = ?"), arguments: [item.id]
            ))
            try db.cachedStatement(sql: "DELETE FROM storedFiles WHERE mediaId = ?").execute(arguments: [item.id])
            try db.cachedStatement(sql: "DELETE FROM uploads WHERE mediaId = ?").execute(arguments: [item.id])
        }
        return names.sorted()
    }

    private static func fetchMessage(_ db: Database, chatId: ChatID, id: MessageID) throws -> StoredMessage? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM messages WHERE id = ? AND chatId = ?"), arguments: [id, chatId.uuidString]
        ) else { return nil }
        return try hydrate(db, [RowDecoding.message(row)]).first
    }

    /// Adds attachments and read marks to messages with two queries, whatever their number.
    static func hydrate(_ db: Database, _ messages: [StoredMessage]) throws -> [StoredMessage] {
        guard !messages.isEmpty else { return messages }
        let ids = messages.map(\.id)
        let marks = databaseQuestionMarks(count: ids.count)
        var attachments: [MessageID: [StoredMedia]] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM attachments WHERE messageId IN (\(marks)) ORDER BY createdAt"), arguments: StatementArguments(ids)
        ) {
            attachments[row["messageId"], default: []].append(try RowDecoding.media(row))
        }
        var readMarks: [MessageID: [StoredReadMark]] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM readMarks WHERE messageId IN (\(marks)) ORDER BY createdAt"), arguments: StatementArguments(ids)
        ) {
            readMarks[row["messageId"], default: []].append(
                StoredReadMark(id: try RowDecoding.uuid(row, "id"), userId: row["userId"], createdAt: RowDecoding.date(row["createdAt"] as Double))
            )
        }
        return messages.map { message in
            var message = message
            message.attachments = attachments[message.id] ?? []
            message.readMarks = readMarks[message.id] ?? []
            return message
        }
    }
}
