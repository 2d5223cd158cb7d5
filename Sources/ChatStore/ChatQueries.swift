import ChatAPI
import Foundation
import GRDB

/// Read queries shared by one-off reads and observations.
enum ChatQueries {
    /// The order of a conversation: server messages by id, then queued ones in the order written.
    static let messageOrder = "(serverId IS NULL), serverId, rowId"

    static func message(_ db: Database, chat: ChatID, localId: String) throws -> CachedMessage? {
        let messages = try ColumnReader.fetchAll(
            db.cachedStatement(sql: "SELECT \(messageColumns) FROM messages WHERE chatId = ? AND localId = ?"),
            arguments: [chat.uuidString, localId]
        ) { messageRow($0, chat: chat) }
        return try hydrate(db, messages).first
    }

    /// The newest `limit` messages of a chat (older than `beforeServerId` if given), oldest first.
    static func window(_ db: Database, chat: ChatID, limit: Int, beforeServerId: MessageID?) throws -> [CachedMessage] {
        let decode = { (reader: ColumnReader) in flaggedRow(reader, chat: chat) }
        let messages: [Flagged]
        if let beforeServerId {
            messages = try ColumnReader.fetchAll(
                db.cachedStatement(sql: "SELECT \(flaggedColumns) FROM messages INDEXED BY messagesByChat WHERE chatId = ? AND serverId < ? ORDER BY serverId DESC LIMIT ?"),
                arguments: [chat.uuidString, beforeServerId, limit], decode
            )
        } else {
            // Two index-ordered reads (queued messages last in the conversation, then the newest
            // server messages) instead of one sort over the whole chat.
            let pending = try ColumnReader.fetchAll(
                db.cachedStatement(sql: "SELECT \(flaggedColumns) FROM messages INDEXED BY messagesByChat WHERE chatId = ? AND serverId IS NULL ORDER BY rowId DESC LIMIT ?"),
                arguments: [chat.uuidString, limit], decode
            )
            let sent = try ColumnReader.fetchAll(
                db.cachedStatement(sql: "SELECT \(flaggedColumns) FROM messages INDEXED BY messagesByChat WHERE chatId = ? AND serverId IS NOT NULL ORDER BY serverId DESC LIMIT ?"),
                arguments: [chat.uuidString, max(0, limit - pending.count)], decode
            )
            messages = pending + sent
        }
        return try hydrate(db, messages.reversed())
    }

    /// Adds attachments and read marks to messages of one chat.
    static func hydrate(_ db: Database, _ messages: [CachedMessage]) throws -> [CachedMessage] {
        try hydrate(db, messages, attachmentsOf: messages.map(\.localId), marksOf: messages.compactMap(\.serverId))
    }

    /// Adds attachments and read marks where the rows said there are some: most messages
    /// have neither, and asking for every message of a window (two IN lists of its length)
    /// was half of reading it, on every change to the open chat.
    static func hydrate(_ db: Database, _ rows: [Flagged]) throws -> [CachedMessage] {
        try hydrate(db, rows.map(\.message), attachmentsOf: rows.filter(\.hasAttachments).map(\.message.localId),
                    marksOf: rows.filter(\.hasReadMarks).compactMap(\.message.serverId))
    }

    private static func hydrate(_ db: Database, _ messages: [CachedMessage], attachmentsOf localIds: [String], marksOf serverIds: [MessageID]) throws -> [CachedMessage] {
        guard !messages.isEmpty else { return [] }
        var messages = messages
        let chat = messages[0].chatId.uuidString
        var attachments: [String: [CachedAttachment]] = [:]
        // Cached statements: compiling a statement runs GRDB's authorizer over every column,
        // which was most of the chat list's cost. One per power-of-two list length, the rest
        // of the list NULLs (which match nothing): one per length kept a statement for every
        // window size on every reader (RSS +15 MB after paging through a long chat).
        if !localIds.isEmpty {
            for row in try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM attachments WHERE chatId = ? AND localId IN (\(databaseQuestionMarks(count: bucket(localIds.count)))) ORDER BY position"),
                arguments: StatementArguments([chat] + padded(localIds))
            ) {
                attachments[row["localId"], default: []].append(attachment(row))
            }
        }
        var readers: [MessageID: [(UserID, Date)]] = [:]
        if !serverIds.isEmpty {
            for row in try Row.fetchAll(
                db.cachedStatement(sql: "SELECT serverId, userId, createdAt FROM readMarks WHERE serverId IN (\(databaseQuestionMarks(count: bucket(serverIds.count)))) ORDER BY createdAt"),
                arguments: StatementArguments(padded(serverIds))
            ) {
                readers[row[0], default: []].append((row[1], Date(timeIntervalSince1970: row[2])))
            }
        }
        for index in messages.indices {
            messages[index].attachments = attachments[messages[index].localId] ?? []
            if let id = messages[index].serverId, let marks = readers[id] {
                messages[index].readBy = marks.map(\.0)
                messages[index].readAt = Dictionary(marks, uniquingKeysWith: { first, _ in first })
            }
        }
        return try addingEarlierReads(db, messages)
    }

    /// A read mark means its reader has read everything before it too (Bob's mark on the middle
    /// of three messages showed ✓ ✓✓ ✓): each reader's newest mark in the chat, at or after the
    /// oldest of `messages`, adds them to the readers of every earlier message. Only the mark
    /// itself has a time (`readAt`). Marks are few (one a read), and the range is from the
    /// window's start, so this reads little.
    static func addingEarlierReads(_ db: Database, _ messages: [CachedMessage]) throws -> [CachedMessage] {
        guard let oldest = messages.compactMap(\.serverId).min(), let chat = messages.first?.chatId else { return messages }
        let newestMarks = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT r.userId, MAX(r.serverId) FROM readMarks AS r JOIN messages AS m ON m.serverId = r.serverId
                WHERE r.serverId >= ? AND m.chatId = ? GROUP BY r.userId
                """),
            arguments: [oldest, chat.uuidString]
        ).map { (reader: $0[0] as UserID, upTo: $0[1] as MessageID) }
        guard !newestMarks.isEmpty else { return messages }
        var messages = messages
        for index in messages.indices {
            guard let id = messages[index].serverId else { continue }
            for mark in newestMarks where mark.upTo > id && !messages[index].readBy.contains(mark.reader) {
                messages[index].readBy.append(mark.reader)
            }
        }
        return messages
    }

    /// A message read with `flaggedColumns`: whether it has attachments and read marks.
    struct Flagged {
        var message: CachedMessage
        var hasAttachments: Bool
        var hasReadMarks: Bool
    }

    /// `messageColumns` (of `messages`, not aliased), then whether the message has attachments
    /// and read marks (an index probe each, inside the read).
    static let flaggedColumns = messageColumns + """
        , EXISTS (SELECT 1 FROM attachments AS a WHERE a.chatId = messages.chatId AND a.localId = messages.localId)\
        , EXISTS (SELECT 1 FROM readMarks AS r WHERE r.serverId = messages.serverId)
        """

    static func flaggedRow(_ row: ColumnReader, chat: ChatID) -> Flagged? {
        messageRow(row, chat: chat).map { Flagged(message: $0, hasAttachments: row.bool(12), hasReadMarks: row.bool(13)) }
    }

    /// The length an `IN` list is compiled for: the next power of two, at least 8.
    static func bucket(_ count: Int) -> Int { max(8, 1 << (Int.bitWidth - (max(1, count) - 1).leadingZeroBitCount)) }

    /// `values` and NULLs up to `bucket(values.count)`.
    static func padded(_ values: [some DatabaseValueConvertible]) -> [(any DatabaseValueConvertible)?] {
        values.map { $0 } + Array(repeating: nil, count: bucket(values.count) - values.count)
    }

    /// The columns `messageRow` reads, by position.
    static let messageColumns = "chatId, localId, serverId, authorId, text, createdAt, updatedAt, editedAt, deletedAt, isVisible, state, failureReason"

    /// A message from `messageColumns` starting at column `first`; nil where they are NULL (an
    /// outer join that found no message). `chat`, when known, saves parsing the id.
    static func messageRow(_ row: ColumnReader, from first: Int32 = 0, chat known: ChatID? = nil) -> CachedMessage? {
        guard let chat = known ?? row.text(first).flatMap(UUID.init(uuidString:)), let localId = row.text(first + 1) else { return nil }
        return CachedMessage(
            chatId: chat, localId: localId, serverId: row.optionalInt(first + 2), authorId: row.int(first + 3), text: row.text(first + 4),
            createdAt: row.date(first + 5) ?? .distantPast, updatedAt: row.date(first + 6) ?? .distantPast,
            editedAt: row.date(first + 7), deletedAt: row.date(first + 8), isVisible: row.bool(first + 9),
            state: row.text(first + 10).flatMap(DeliveryState.init(rawValue:)) ?? .sent, failureReason: row.text(first + 11),
            attachments: [], readBy: []
        )
    }

    static func attachment(_ row: Row) -> CachedAttachment {
        CachedAttachment(
            position: row["position"], mediaId: (row["mediaId"] as String?).flatMap(UUID.init(uuidString:)),
            fileType: row["fileType"], fileSize: row["fileSize"], fileExists: row["fileExists"], previewExists: row["previewExists"],
            localPath: row["localPath"], transferDone: row["transferDone"], transferTotal: row["transferTotal"],
            transferState: TransferState(rawValue: row["transferState"]) ?? .none,
            fileName: row["fileName"], fileExistsKnown: row["fileExistsKnown"] ?? true
        )
    }

    /// The chat list: archived or not, last activity first, with counts derived locally (the
    /// unread count kept by `UnreadCounts`' triggers). One
    /// query for the chats and their last messages, then one each for those messages'
    /// attachments and read marks (a query per chat was most of a cold start).
    static func chatList(_ db: Database, me: UserID, archived: Bool?) throws -> [ChatSummary] {
        let filter = archived.map { "WHERE c.isArchived = \($0 ? 1 : 0)" } ?? ""
        let lastColumns = messageColumns.split(separator: ",").map { "m." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
        struct Listed {
            var summary: ChatSummary
            var last: CachedMessage?
        }
        let listed = try ColumnReader.fetchAll(
            db.cachedStatement(sql: """
                SELECT s.id, s.title, s.isPersonal, s.ownerId, s.isMuted, s.isArchived, s.isBlocked, s.lastActivity, s.imagesJSON,
                    s.unreadCount, s.queuedCount, s.failedCount, s.members, \(lastColumns)
                FROM (
                    SELECT c.*,
                        (SELECT count(*) FROM jobs AS j WHERE j.chatId = c.id AND j.kind = 'post' AND j.isFailed = 0) AS queuedCount,
                        (SELECT count(*) FROM jobs AS j WHERE j.chatId = c.id AND j.kind = 'post' AND j.isFailed = 1) AS failedCount,
                        (SELECT group_concat(userId) FROM chatMembers AS cm WHERE cm.chatId = c.id) AS members,
                        coalesce(
                            (SELECT localId FROM messages AS m WHERE m.chatId = c.id AND m.serverId IS NULL ORDER BY m.rowId DESC LIMIT 1),
                            (SELECT localId FROM messages AS m WHERE m.chatId = c.id AND m.serverId IS NOT NULL ORDER BY m.serverId DESC LIMIT 1)
                        ) AS lastLocalId
                    FROM chats AS c \(filter)
                ) AS s
                LEFT JOIN messages AS m ON m.chatId = s.id AND m.localId = s.lastLocalId
                ORDER BY s.lastActivity DESC, s.id
                """),
            arguments: []
        ) { row -> Listed? in
            guard let id = row.text(0).flatMap(UUID.init(uuidString:)) else { return nil }
            let images = row.text(8).flatMap { try? JSONDecoder.chatAPI().decode([MediaInfo].self, from: Data($0.utf8)) }
            let summary = ChatSummary(
                id: id, title: row.text(1), isPersonal: row.bool(2), ownerId: row.int(3), isMuted: row.bool(4),
                isArchived: row.bool(5), isBlocked: row.bool(6),
                memberIds: (row.text(12) ?? "").split(separator: ",").compactMap { UserID($0) }.sorted(),
                lastMessage: nil, lastActivity: Date(timeIntervalSince1970: row.double(7)),
                unreadCount: row.int(9), queuedCount: row.int(10), failedCount: row.int(11),
                images: images ?? []
            )
            return Listed(summary: summary, last: row.isNull(13) ? nil : messageRow(row, from: 13, chat: id))
        }
        var lastByChat: [ChatID: CachedMessage] = [:]
        for message in try hydrateAcrossChats(db, listed.compactMap(\.last)) { lastByChat[message.chatId] = message }
        return listed.map { item in
            var summary = item.summary
            summary.lastMessage = lastByChat[summary.id]
            return summary
        }
    }

    /// `hydrate` for messages of many chats (the chat list's last messages).
    static func hydrateAcrossChats(_ db: Database, _ messages: [CachedMessage]) throws -> [CachedMessage] {
        guard !messages.isEmpty else { return [] }
        var messages = messages
        struct Key: Hashable { let chat: String, localId: String }
        var attachments: [Key: [CachedAttachment]] = [:]
        for chunk in stride(from: 0, to: messages.count, by: 400) {
            let slice = messages[chunk..<min(messages.count, chunk + 400)]
            let pairs = Array(repeating: "(?, ?)", count: slice.count).joined(separator: ", ")
            for row in try Row.fetchAll(
                db, sql: "SELECT * FROM attachments WHERE (chatId, localId) IN (VALUES \(pairs)) ORDER BY position",
                arguments: StatementArguments(slice.flatMap { [$0.chatId.uuidString, $0.localId] })
            ) {
                attachments[Key(chat: row["chatId"], localId: row["localId"]), default: []].append(attachment(row))
            }
        }
        let serverIds = messages.compactMap(\.serverId)
        var readers: [MessageID: [UserID]] = [:]
        for chunk in stride(from: 0, to: serverIds.count, by: 800) {
            let slice = serverIds[chunk..<min(serverIds.count, chunk + 800)]
            for row in try Row.fetchAll(
                db, sql: "SELECT serverId, userId FROM readMarks WHERE serverId IN (\(databaseQuestionMarks(count: slice.count))) ORDER BY createdAt",
                arguments: StatementArguments(Array(slice))
            ) {
                readers[row[0], default: []].append(row[1])
            }
        }
        for index in messages.indices {
            messages[index].attachments = attachments[Key(chat: messages[index].chatId.uuidString, localId: messages[index].localId)] ?? []
            if let id = messages[index].serverId { messages[index].readBy = readers[id] ?? [] }
        }
        return messages
    }
}

extension ChatStore {
    public func message(_ chat: ChatID, localId: String) throws -> CachedMessage? {
        try pool.read { db in try ChatQueries.message(db, chat: chat, localId: localId) }
    }

    /// Oldest first: the newest `limit` messages, or those before `beforeServerId`.
    /// The localId of the message with server id `serverId` in `chat`, if cached.
    public func localId(_ chat: ChatID, serverId: MessageID) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT localId FROM messages WHERE chatId = ? AND serverId = ?", arguments: [chat.uuidString, serverId])
        }
    }

    public func messages(_ chat: ChatID, limit: Int = 100, beforeServerId: MessageID? = nil) throws -> [CachedMessage] {
        try pool.read { db in try ChatQueries.window(db, chat: chat, limit: limit, beforeServerId: beforeServerId) }
    }

    public func messageCount(_ chat: ChatID) throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM messages WHERE chatId = ?", arguments: [chat.uuidString]) ?? 0 }
    }

    /// `archived`: true for the archive, false for the main list, nil for both.
    public func chatList(archived: Bool? = false) throws -> [ChatSummary] {
        try pool.read { db in try ChatQueries.chatList(db, me: me, archived: archived) }
    }

    public func chat(_ id: ChatID) throws -> ChatSummary? {
        try chatList(archived: nil).first { $0.id == id }
    }
}

/// The tables each observed query reads (see `ChatStore+Observation.swift`).
enum ObservedTables {
    static let chatList: Set<String> = ["chats", "chatMembers", "messages", "attachments", "jobs", "users", "drafts", "readMarks"]
    static let window: Set<String> = ["messages", "attachments", "readMarks"]
}
