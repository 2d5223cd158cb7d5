import ChatAPI
import Foundation
import Logging
import PostgresNIO

extension PostgresRepository {
    func insertMessage(_ new: NewMessage) async throws -> (message: StoredMessage, created: Bool) {
        guard new.attachment == nil else { return try await insertMessageWithAttachment(new) }
        // Text only: one statement (its own transaction, one round trip). The chat comes back to
        // the devices it was removed from only when the message is new.
        let now = new.now.timeIntervalSince1970
        let inserted = try await read { [self] connection in
            try await connection.column("""
                WITH inserted AS (
                    INSERT INTO messages (chatId, authorId, localId, text, isVisible, createdAt, updatedAt)
                    VALUES (\(new.chatId), \(new.authorId), \(new.localId), \(new.text), \(new.isVisible), \(now), \(now))
                    ON CONFLICT (chatId, authorId, localId) DO NOTHING RETURNING id
                ), restored AS (
                    UPDATE chatSettings SET isRemovedOnDevice = false
                    WHERE chatId = \(new.chatId) AND isRemovedOnDevice AND EXISTS (SELECT 1 FROM inserted)
                )
                SELECT id FROM inserted
                """, as: Int.self, logger: logger)
        }
        if let id = inserted.first { return (StoredMessage(new, id: id), true) }
        return try await read { [self] connection in
            guard let row = try await connection.firstRow("""
                SELECT * FROM messages WHERE chatId = \(new.chatId) AND authorId = \(new.authorId) AND localId = \(new.localId)
                """, logger: logger)
            else { throw StorageError.notFound }
            return (try await Self.hydrate([PostgresRows.message(row)], on: connection, logger: logger)[0], false)
        }
    }

    private func insertMessageWithAttachment(_ new: NewMessage) async throws -> (message: StoredMessage, created: Bool) {
        try await transaction { [self] connection in
            let now = new.now.timeIntervalSince1970
            // ON CONFLICT makes a racing retry wait for the first insert and then do nothing.
            let inserted = try await connection.column("""
                INSERT INTO messages (chatId, authorId, localId, text, isVisible, createdAt, updatedAt)
                VALUES (\(new.chatId), \(new.authorId), \(new.localId), \(new.text), \(new.isVisible), \(now), \(now))
                ON CONFLICT (chatId, authorId, localId) DO NOTHING RETURNING id
                """, as: Int.self, logger: logger)
            guard let id = inserted.first else {
                guard let row = try await connection.firstRow("""
                    SELECT * FROM messages WHERE chatId = \(new.chatId) AND authorId = \(new.authorId) AND localId = \(new.localId)
                    """, logger: logger)
                else { throw StorageError.notFound }
                return (try await Self.hydrate([PostgresRows.message(row)], on: connection, logger: logger)[0], false)
            }
            if let media = new.attachment {
                try await connection.query("""
                    INSERT INTO attachments (id, messageId, fileType, fileSize, previewWidth, previewHeight, createdAt, fileName)
                    VALUES (\(media.id), \(id), \(media.fileType), \(media.fileSize), \(media.previewWidth), \(media.previewHeight),
                            \(now), \(media.fileName))
                    """, logger: logger)
            }
            // A new message brings the chat back to the devices it was removed from.
            try await connection.query(
                "UPDATE chatSettings SET isRemovedOnDevice = false WHERE chatId = \(new.chatId) AND isRemovedOnDevice", logger: logger
            )
            return (StoredMessage(new, id: id), true)
        }
    }

    func message(chatId: ChatID, id: MessageID) async throws -> StoredMessage? {
        try await read { [self] connection in try await Self.fetchMessage(chatId: chatId, id: id, on: connection, logger: logger) }
    }

    func messages(chatId: ChatID, before: MessageID?, count: Int) async throws -> [StoredMessage] {
        try await read { [self] connection in
            let rows = try await connection.rows(
                "SELECT * FROM messages WHERE chatId = \(chatId) AND id < \(before ?? Int.max) ORDER BY id DESC LIMIT \(count)", logger: logger
            )
            return try await Self.hydrate(rows.map(PostgresRows.message), on: connection, logger: logger)
        }
    }

    func lastMessages(chatIds: [ChatID]) async throws -> [ChatID: StoredMessage] {
        guard !chatIds.isEmpty else { return [:] }
        return try await read { [self] connection in
            let rows = try await connection.rows("""
                SELECT * FROM messages WHERE id IN (SELECT max(id) FROM messages WHERE chatId = ANY(\(chatIds)) GROUP BY chatId)
                """, logger: logger)
            let messages = try await Self.hydrate(rows.map(PostgresRows.message), on: connection, logger: logger)
            return Dictionary(messages.map { ($0.chatId, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }

    func updateMessage(chatId: ChatID, id: MessageID, change: MessageChange) async throws -> StoredMessage {
        try await transaction { [self] connection in
            let now = change.now.timeIntervalSince1970
            if let text = change.text {
                try await connection.query("""
                    UPDATE messages SET text = \(text), editedAt = \(now) WHERE id = \(id) AND chatId = \(chatId) AND text IS DISTINCT FROM \(text)
                    """, logger: logger)
            }
            if let isVisible = change.isVisible {
                try await connection.query("UPDATE messages SET isVisible = \(isVisible) WHERE id = \(id)", logger: logger)
            }
            if let fileExists = change.fileExists {
                try await connection.query("UPDATE attachments SET fileExists = \(fileExists) WHERE messageId = \(id)", logger: logger)
            }
            if let previewExists = change.previewExists {
                try await connection.query("UPDATE attachments SET previewExists = \(previewExists) WHERE messageId = \(id)", logger: logger)
            }
            try await connection.query("UPDATE messages SET updatedAt = \(now) WHERE id = \(id)", logger: logger)
            guard let message = try await Self.fetchMessage(chatId: chatId, id: id, on: connection, logger: logger) else {
                throw StorageError.notFound
            }
            return message
        }
    }

    func deleteMessage(chatId: ChatID, id: MessageID, now: Date) async throws -> (message: StoredMessage, removedFiles: [String]) {
        try await transaction { [self] connection in
            let media = try await Self.media(on: connection, logger: logger, """
                SELECT a.id, a.fileType FROM attachments AS a JOIN messages AS m ON m.id = a.messageId
                WHERE a.messageId = \(id) AND m.chatId = \(chatId)
                """)
            let seconds = now.timeIntervalSince1970
            try await connection.query("""
                UPDATE messages SET text = '', deletedAt = \(seconds), updatedAt = \(seconds)
                WHERE id = \(id) AND chatId = \(chatId) AND deletedAt IS NULL
                """, logger: logger)
            guard let message = try await Self.fetchMessage(chatId: chatId, id: id, on: connection, logger: logger) else {
                throw StorageError.notFound
            }
            try await connection.query("DELETE FROM attachments WHERE messageId = \(id)", logger: logger)
            var deleted = message
            deleted.attachments = []
            return (deleted, try await Self.forgetFiles(of: media, on: connection, logger: logger))
        }
    }

    func clearMessages(chatId: ChatID) async throws -> [String] {
        try await transaction { [self] connection in
            let media = try await Self.media(on: connection, logger: logger, """
                SELECT a.id, a.fileType FROM attachments AS a JOIN messages AS m ON m.id = a.messageId WHERE m.chatId = \(chatId)
                """)
            try await connection.query("DELETE FROM messages WHERE chatId = \(chatId)", logger: logger)
            return try await Self.forgetFiles(of: media, on: connection, logger: logger)
        }
    }

    func addReadMark(messageId: MessageID, userId: UserID, now: Date) async throws -> Bool {
        try await read { [self] connection in
            !(try await connection.column("""
                INSERT INTO readMarks (id, messageId, userId, createdAt) VALUES (\(UUID()), \(messageId), \(userId), \(now.timeIntervalSince1970))
                ON CONFLICT (messageId, userId) DO NOTHING RETURNING 1
                """, as: Int32.self, logger: logger)).isEmpty
        }
    }

    func attachmentAuthor(mediaId: MediaID) async throws -> UserID? {
        try await read { [self] connection in
            try await connection.column(
                "SELECT m.authorId FROM attachments AS a JOIN messages AS m ON m.id = a.messageId WHERE a.id = \(mediaId)", as: Int.self, logger: logger
            ).first
        }
    }

    func uploader(mediaId: MediaID) async throws -> UserID? {
        try await read { [self] connection in try await connection.column("SELECT uploaderId FROM uploads WHERE mediaId = \(mediaId)", as: Int.self, logger: logger).first }
    }

    func claimUpload(mediaId: MediaID, uploaderId: UserID, now: Date) async throws -> UserID {
        try await read { [self] connection in
            // A racing first upload waits for the other insert, does nothing, then reads its owner.
            try await connection.query("""
                INSERT INTO uploads (mediaId, uploaderId, createdAt) VALUES (\(mediaId), \(uploaderId), \(now.timeIntervalSince1970))
                ON CONFLICT DO NOTHING
                """, logger: logger)
            return try await connection.column("SELECT uploaderId FROM uploads WHERE mediaId = \(mediaId)", as: Int.self, logger: logger).first
                ?? uploaderId
        }
    }

    func recordStoredFile(mediaId: MediaID, fileName: String, bytes: Int) async throws {
        try await read { [self] connection in
            try await connection.query("""
                INSERT INTO storedFiles (fileName, mediaId, bytes) VALUES (\(fileName), \(mediaId), \(bytes))
                ON CONFLICT (fileName) DO UPDATE SET bytes = excluded.bytes
                """, logger: logger)
        }
    }

    func uploadedBytes(userId: UserID) async throws -> Int {
        try await read { [self] connection in
            try await connection.column("""
                SELECT coalesce(sum(s.bytes), 0)::BIGINT FROM storedFiles AS s JOIN uploads AS u ON u.mediaId = s.mediaId
                WHERE u.uploaderId = \(userId)
                """, as: Int.self, logger: logger).first ?? 0
        }
    }

    func declaredFileSize(mediaId: MediaID) async throws -> Int? {
        try await read { [self] connection in
            try await connection.column("""
                SELECT fileSize FROM attachments WHERE id = \(mediaId) AND fileSize > 0
                UNION ALL SELECT fileSize FROM chatImages WHERE id = \(mediaId) AND fileSize > 0 LIMIT 1
                """, as: Int.self, logger: logger).first
        }
    }

    func sweepUnreferencedUploads(claimedBefore: Date) async throws -> [String] {
        try await transaction { [logger] connection in
            let ids = try await connection.column("""
                DELETE FROM uploads WHERE createdAt < \(claimedBefore.timeIntervalSince1970)
                    AND mediaId NOT IN (SELECT id FROM attachments) AND mediaId NOT IN (SELECT id FROM chatImages)
                RETURNING mediaId
                """, as: UUID.self, logger: logger)
            var names: [String] = []
            for id in ids {
                names += try await connection.column("DELETE FROM storedFiles WHERE mediaId = \(id) RETURNING fileName", as: String.self, logger: logger)
            }
            return names
        }
    }

    func mayReadFile(mediaId: MediaID, userId: UserID) async throws -> Bool {
        try await read { [self] connection in
            try await connection.column("""
                SELECT EXISTS (SELECT 1 FROM uploads WHERE mediaId = \(mediaId) AND uploaderId = \(userId))
                    OR EXISTS (SELECT 1 FROM attachments AS a
                               JOIN messages AS m ON m.id = a.messageId
                               JOIN chatMembers AS cm ON cm.chatId = m.chatId
                               WHERE a.id = \(mediaId) AND cm.userId = \(userId))
                    OR EXISTS (SELECT 1 FROM chatImages AS i
                               JOIN chatMembers AS cm ON cm.chatId = i.chatId
                               WHERE i.id = \(mediaId) AND cm.userId = \(userId))
                """, as: Bool.self, logger: logger).first ?? false
        }
    }

    // MARK: Helpers (run inside the caller's transaction)

    /// `(id, fileType)` pairs of media rows.
    static func media(on connection: PostgresConnection, logger: Logger, _ query: PostgresQuery) async throws -> [(id: UUID, fileType: String)] {
        try await connection.rows(query, logger: logger).map { (try $0[0].decode(UUID.self), try $0[1].decode(String.self)) }
    }

    /// As `SQLiteRepository.forgetFiles`: forgets uploads and stored files of `media`; answers
    /// the file names to remove from disk once the transaction has committed.
    static func forgetFiles(of media: [(id: UUID, fileType: String)], on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        var names = Set<String>()
        for item in media {
            names.insert("\(item.id.uuidString).\(item.fileType)")
            names.formUnion(try await connection.column(
                "DELETE FROM storedFiles WHERE mediaId = \(item.id) RETURNING fileName", as: String.self, logger: logger
            ))
            try await connection.query("DELETE FROM uploads WHERE mediaId = \(item.id)", logger: logger)
        }
        return names.sorted()
    }

    static func fetchMessage(chatId: ChatID, id: MessageID, on connection: PostgresConnection, logger: Logger) async throws -> StoredMessage? {
        guard let row = try await connection.firstRow("SELECT * FROM messages WHERE id = \(id) AND chatId = \(chatId)", logger: logger) else {
            return nil
        }
        return try await hydrate([PostgresRows.message(row)], on: connection, logger: logger).first
    }

    /// Adds attachments and read marks to messages with two queries, whatever their number.
    static func hydrate(_ messages: [StoredMessage], on connection: PostgresConnection, logger: Logger) async throws -> [StoredMessage] {
        guard !messages.isEmpty else { return messages }
        let ids = messages.map(\.id)
        var attachments: [MessageID: [StoredMedia]] = [:]
        for row in try await connection.rows("SELECT * FROM attachments WHERE messageId = ANY(\(ids)) ORDER BY createdAt", logger: logger) {
            attachments[try row["messageid"].decode(Int.self), default: []].append(try PostgresRows.media(row))
        }
        var readMarks: [MessageID: [StoredReadMark]] = [:]
        for row in try await connection.rows("SELECT * FROM readMarks WHERE messageId = ANY(\(ids)) ORDER BY createdAt", logger: logger) {
            readMarks[try row["messageid"].decode(Int.self), default: []].append(StoredReadMark(
                id: try row["id"].decode(UUID.self), userId: try row["userid"].decode(Int.self),
                createdAt: PostgresRows.date(try row["createdat"].decode(Double.self))
            ))
        }
        return messages.map { message in
            var message = message
            message.attachments = attachments[message.id] ?? []
            message.readMarks = readMarks[message.id] ?? []
            return message
        }
    }
}
