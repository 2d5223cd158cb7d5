import ChatAPI
import Foundation
import GRDB

/// Read queries shared by one-off reads and observations.
enum ChatQueries {
    /// The order of a conversation: server messages by id, then queued ones in the order written.
    static let messageOrder = "(serverId IS NULL), serverId, rowId"

    static func message(_ db: Database, chat: ChatID, localId: String) throws -> CachedMessage? {
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT \(messageColumns) FROM messages WHERE chatId = ? AND localId = ?"), arguments: [chat.uuidString, localId])
        return try hydrate(db, rows).first
    }

    /// The newest `limit` messages of a chat (older than `beforeServerId` if given), oldest first.
    static func window(_ db: Database, chat: ChatID, limit: Int, beforeServerId: MessageID?) throws -> [CachedMessage] {
        let rows: [Row]
        if let beforeServerId {
            rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT \(messageColumns) FROM messages WHERE chatId = ? AND serverId < ? ORDER BY serverId DESC LIMIT ?"),
                arguments: [chat.uuidString, beforeServerId, limit]
            )
        } else {
            // Two index-ordered reads (queued messages last in the conversation, then the newest
            // server messages) instead of one sort over the whole chat.
            let pending = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT \(messageColumns) FROM messages WHERE chatId = ? AND serverId IS NULL ORDER BY rowId DESC LIMIT ?"),
                arguments: [chat.uuidString, limit]
            )
            let sent = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT \(messageColumns) FROM messages WHERE chatId = ? AND serverId IS NOT NULL ORDER BY serverId DESC LIMIT ?"),
                arguments: [chat.uuidString, max(0, limit - pending.count)]
            )
            rows = pending + sent
        }
        return try hydrate(db, rows.reversed())
    }

    static func hydrate(_ db: Database, _ rows: [Row]) throws -> [CachedMessage] {
        guard !rows.isEmpty else { return [] }
        var messages = rows.compactMap { messageRow($0) }
        let chat = messages[0].chatId.uuidString
        let localIds = messages.map(\.localId)
        var attachments: [String: [CachedAttachment]] = [:]
        // Cached statements (one per list length, which repeats): compiling a statement runs
        // GRDB's authorizer over every column, which was most of the chat list's cost.
        for row in try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM attachments WHERE chatId = ? AND localId IN (\(databaseQuestionMarks(count: localIds.count))) ORDER BY position"),
            arguments: StatementArguments([chat] + localIds)
        ) {
            attachments[row["localId"], default: []].append(attachment(row))
        }
        let serverIds = messages.compactMap(\.serverId)
        var readers: [MessageID: [UserID]] = [:]
        if !serverIds.isEmpty {
            for row in try Row.fetchAll(
                db.cachedStatement(sql: "SELECT serverId, userId FROM readMarks WHERE serverId IN (\(databaseQuestionMarks(count: serverIds.count))) ORDER BY createdAt"),
                arguments: StatementArguments(serverIds)
            ) {
                readers[row[0], default: []].append(row[1])
            }
        }
        for index in messages.indices {
            messages[index].attachments = attachments[messages[index].localId] ?? []
            if let id = messages[index].serverId { messages[index].readBy = readers[id] ?? [] }
        }
        return messages
    }

    /// The columns `messageRow` reads, by position: looking columns up by name lowercases
    /// the name on every access, which was a tenth of reading a conversation.
    static let messageColumns = "chatId, localId, serverId, authorId, text, createdAt, updatedAt, editedAt, deletedAt, isVisible, state, failureReason"

    /// A message from `messageColumns` starting at column `first`; nil where they are NULL (an
    /// outer join that found no message).
    static func messageRow(_ row: Row, from first: Int = 0) -> CachedMessage? {
        guard let chat = (row[first] as String?).flatMap(UUID.init(uuidString:)) else { return nil }
        func date(_ index: Int) -> Date? { (row[first + index] as Double?).map(Date.init(timeIntervalSince1970:)) }
        return CachedMessage(
            chatId: chat, localId: row[first + 1], serverId: row[first + 2], authorId: row[first + 3], text: row[first + 4],
            createdAt: date(5) ?? .distantPast, updatedAt: date(6) ?? .distantPast,
            editedAt: date(7), deletedAt: date(8), isVisible: row[first + 9],
            state: DeliveryState(rawValue: row[first + 10]) ?? .sent, failureReason: row[first + 11],
            attachments: [], readBy: []
        )
    }

    static func attachment(_ row: Row) -> CachedAttachment {
        CachedAttachment(
            position: row["position"], mediaId: (row["mediaId"] as String?).flatMap(UUID.init(uuidString:)),
            fileType: row["fileType"], fileSize: row["fileSize"], fileExists: row["fileExists"], previewExists: row["previewExists"],
            localPath: row["localPath"], transferDone: row["transferDone"], transferTotal: row["transferTotal"],
            transferState: TransferState(rawValue: row["transferState"]) ?? .none
        )
    }

    /// The chat list: archived or not, last activity first, with counts derived locally. One
    /// query for the chats and their last messages, then one each for those messages'
    /// attachments and read marks (a query per chat was most of a cold start).
    static func chatList(_ db: Database, me: UserID, archived: Bool?) throws -> [ChatSummary] {
        let filter = archived.map { "WHERE c.isArchived = \($0 ? 1 : 0)" } ?? ""
        let lastColumns = messageColumns.split(separator: ",").map { "m." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT s.id, s.title, s.isPersonal, s.ownerId, s.isMuted, s.isArchived, s.isBlocked, s.lastActivity, s.imagesJSON,
                    s.unreadCount, s.queuedCount, s.failedCount, s.members, \(lastColumns)
                FROM (
                    SELECT c.*,
                        (SELECT count(*) FROM messages AS m WHERE m.chatId = c.id AND m.serverId > c.lastReadId
                            AND m.authorId != ? AND m.deletedAt IS NULL) AS unreadCount,
                        (SELECT count(*) FROM outbox AS o WHERE o.chatId = c.id AND o.isFailed = 0) AS queuedCount,
                        (SELECT count(*) FROM outbox AS o WHERE o.chatId = c.id AND o.isFailed = 1) AS failedCount,
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
            arguments: [me]
        )
        let lastMessages = try hydrateAcrossChats(db, rows.compactMap { messageRow($0, from: 13) })
        var lastByChat: [ChatID: CachedMessage] = [:]
        for message in lastMessages { lastByChat[message.chatId] = message }
        return rows.compactMap { row in
            guard let id = UUID(uuidString: row[0]) else { return nil }
            let images = (row[8] as String?).flatMap { try? JSONDecoder.chatAPI().decode([MediaInfo].self, from: Data($0.utf8)) }
            return ChatSummary(
                id: id, title: row[1], isPersonal: row[2], ownerId: row[3], isMuted: row[4],
                isArchived: row[5], isBlocked: row[6],
                memberIds: ((row[12] as String?) ?? "").split(separator: ",").compactMap { UserID($0) }.sorted(),
                lastMessage: lastByChat[id], lastActivity: Date(timeIntervalSince1970: row[7]),
                unreadCount: row[9], queuedCount: row[10], failedCount: row[11],
                images: images ?? []
            )
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

    // MARK: Observation

    /// The chat list, now and after every change that affects it.
    public func observeChatList(archived: Bool? = false) -> AsyncValueObservation<[ChatSummary]> {
        let me = self.me
        return ValueObservation.tracking { db in try ChatQueries.chatList(db, me: me, archived: archived) }
            .removeDuplicates()
            .values(in: pool)
    }

    /// Every known user, now and after every change.
    public func observeUsers() -> AsyncValueObservation<[UserID: UserInfo]> {
        ValueObservation.tracking { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT * FROM users").map(ChatStore.userInfo).map { ($0.id, $0) })
        }
        .removeDuplicates()
        .values(in: pool)
    }

    /// The known history ranges of one chat, newest first, now and after every change.
    public func observeKnownRanges(_ chat: ChatID) -> AsyncValueObservation<[HistoryRange]> {
        ValueObservation.tracking { db in
            try Row.fetchAll(db, sql: "SELECT low, high FROM historyRanges WHERE chatId = ? ORDER BY high DESC", arguments: [chat.uuidString])
                .map { HistoryRange(low: $0["low"], high: $0["high"]) }
        }
        .removeDuplicates()
        .values(in: pool)
    }

    /// A window of one conversation (the newest `limit` messages), now and after every change.
    public func observeMessages(_ chat: ChatID, limit: Int = 100) -> AsyncValueObservation<[CachedMessage]> {
        ValueObservation.tracking { db in try ChatQueries.window(db, chat: chat, limit: limit, beforeServerId: nil) }
            .removeDuplicates()
            .values(in: pool)
    }
}
