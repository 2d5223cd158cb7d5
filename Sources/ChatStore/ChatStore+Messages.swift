import ChatAPI
import Foundation
import GRDB

extension ChatStore {
    /// Applies server messages in one transaction, matching each to its row by `localId`.
    /// Answers the chats that are not in the cache (their messages were not stored; the
    /// caller fetches the chat and applies again).
    @discardableResult
    public func applyServerMessages(_ messages: [MessageInfo]) throws -> Set<ChatID> {
        try write { db in
            var batch = ApplyBatch()
            batch.journalSince = journalStartedAt
            for message in messages { try Self.applyServerMessage(db, message, me: self.me, batch: &batch) }
            try batch.finish(db)
            return batch.unknownChats
        }
    }

    /// Messages that arrived live, in order, while caught up: applied, and the known history
    /// extended to them, in one transaction (one commit, one wake-up of every observer).
    /// Messages into `reading` (the chat on screen) are read as they land, in the same
    /// transaction: marking them read afterwards was a second commit, and a second wake-up of
    /// every observer, for each one. Answers the chats that are not in the cache, as
    /// `applyServerMessages` does; their messages are neither stored nor counted as known.
    @discardableResult
    public func applyLiveMessages(_ messages: [MessageInfo], reading: ChatID? = nil) throws -> Set<ChatID> {
        try write(indexLater: true) { db in
            var batch = ApplyBatch()
            batch.reading = reading
            batch.journalSince = journalStartedAt
            for message in messages { try Self.applyServerMessage(db, message, me: self.me, batch: &batch) }
            try batch.finish(db)
            // Live messages of one chat arrive in order: together they extend its newest known
            // range from where it ended to the last of them, one range write per chat.
            var spans: [ChatID: (low: MessageID, high: MessageID)] = [:]
            for message in messages where !batch.unknownChats.contains(message.chatId) {
                let span = spans[message.chatId]
                spans[message.chatId] = (min(span?.low ?? message.id, message.id), max(span?.high ?? message.id, message.id))
            }
            for (chat, span) in spans {
                let top = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT high FROM historyRanges WHERE chatId = ? ORDER BY high DESC LIMIT 1"),
                    arguments: [batch.key(chat)]
                ).map { $0[0] as MessageID }
                try Self.addKnownRange(db, chat, low: top.map { min($0, span.low) } ?? span.low, high: span.high)
            }
            return batch.unknownChats
        }
    }

    /// What a batch of server messages changes in `chats`, written once per chat at the end
    /// (a page of 100 used to update its chat row 100 times), and which chats exist.
    struct ApplyBatch {
        struct ChatChange {
            var lastActivity: Double = 0
            var readUpTo: MessageID = 0
            var syncedUpTo: MessageID = 0
        }
        var known: Set<String> = []
        /// When the journal began (read once per batch): newer messages are news.
        var journalSince: Double?
        /// False for a chat list's last messages: a list comes before the pages that hold them,
        /// which journal them in order.
        var journalsNewMessages = true
        /// Read marks by others that are new to the cache, per (chat, reader): the newest message.
        var reads: [String: (chat: String, reader: UserID, message: MessageID, at: Double)] = [:]
        /// Messages, edits and deletes to journal, written in server order at the end (a page
        /// comes newest first).
        var news: [(kind: JournalEntry.Kind, message: MessageInfo, at: Double)] = []
        var unknownChats: Set<ChatID> = []
        var changes: [String: ChatChange] = [:]
        /// The chat on screen: what arrives in it is read.
        var reading: ChatID?
        /// Chat ids as stored (upper-case text); formatting a UUID costs a printf.
        private var keys: [ChatID: String] = [:]

        mutating func key(_ chat: ChatID) -> String {
            if let key = keys[chat] { return key }
            let key = chat.uuidString
            keys[chat] = key
            return key
        }

        mutating func exists(_ db: Database, _ chat: String) throws -> Bool {
            if known.contains(chat) { return true }
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM chats WHERE id = ?)"), arguments: [chat]) == true else {
                return false
            }
            known.insert(chat)
            return true
        }

        mutating func finish(_ db: Database) throws {
            let update = try db.cachedStatement(sql: """
                UPDATE chats SET lastActivity = max(lastActivity, ?), lastReadId = max(lastReadId, ?), readSyncedId = max(readSyncedId, ?)
                WHERE id = ?
                """)
            for (chat, change) in changes {
                try update.execute(arguments: [change.lastActivity, change.readUpTo, change.syncedUpTo, chat])
            }
            for item in news.enumerated().sorted(by: { ($0.element.message.id, $0.offset) < ($1.element.message.id, $1.offset) }).map(\.element) {
                let m = item.message
                try Journal.record(db, item.kind, chat: key(m.chatId), serverId: m.id, localId: m.localId, userId: m.authorId,
                                   text: item.kind == .delete ? nil : m.text, at: item.at)
            }
            // One entry per reader and chat, however many messages the reading marked.
            for read in reads.values {
                try Journal.record(db, .read, chat: read.chat, serverId: read.message, userId: read.reader, at: read.at)
            }
        }

        mutating func journalStart(_ db: Database) throws -> Double {
            if let journalSince { return journalSince }
            let start = try Journal.startedAt(db)
            journalSince = start
            return start
        }
    }

    /// Answers false if the chat is unknown.
    @discardableResult
    static func applyServerMessage(_ db: Database, _ m: MessageInfo, me: UserID, journalsNewMessages: Bool = true) throws -> Bool {
        var batch = ApplyBatch()
        batch.journalsNewMessages = journalsNewMessages
        try applyServerMessage(db, m, me: me, batch: &batch)
        try batch.finish(db)
        return batch.unknownChats.isEmpty
    }

    static func applyServerMessage(_ db: Database, _ m: MessageInfo, me: UserID, batch: inout ApplyBatch) throws {
        let chat = batch.key(m.chatId)
        // Cached statements: this runs once per message of every page and event.
        guard try batch.exists(db, chat) else {
            batch.unknownChats.insert(m.chatId)
            return
        }
        // The row of this localId, and any other row holding this server id, in one lookup.
        var existingServerId: MessageID??
        var existingEdit: (editedAt: Double?, deletedAt: Double?)?
        var otherLocalId: (chat: String, localId: String)?
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT chatId, localId, serverId, editedAt, deletedAt FROM messages WHERE (chatId = ? AND localId = ?) OR serverId = ?"),
            arguments: [chat, m.localId, m.id]
        )
        while let row = try rows.next() {
            let rowChat: String = row[0]
            let rowLocalId: String = row[1]
            if rowChat == chat && rowLocalId == m.localId {
                existingServerId = .some(row[2] as MessageID?)
                existingEdit = (row[3], row[4])
            } else {
                otherLocalId = (rowChat, rowLocalId)
            }
        }
        if let existing = existingServerId, let serverId = existing, serverId != m.id {
            // The upstream stores a retried post twice; the first copy is the message.
            return
        }
        if existingServerId == nil, let other = otherLocalId {
            // Same server message under another localId (a server that rewrites them): keep one row.
            try db.execute(sql: "DELETE FROM messages WHERE chatId = ? AND localId = ?", arguments: [other.chat, other.localId])
        }
        try db.cachedStatement(sql: """
            INSERT INTO messages (chatId, localId, serverId, authorId, text, createdAt, updatedAt, editedAt, deletedAt, isVisible, state)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent')
            ON CONFLICT(chatId, localId) DO UPDATE SET serverId = excluded.serverId, authorId = excluded.authorId,
                text = excluded.text, createdAt = excluded.createdAt, updatedAt = excluded.updatedAt,
                editedAt = excluded.editedAt, deletedAt = excluded.deletedAt, isVisible = excluded.isVisible,
                state = 'sent', failureReason = NULL
            """).execute(arguments: [
                chat, m.localId, m.id, m.authorId, m.text, m.createdAt.timeIntervalSince1970, m.updatedAt.timeIntervalSince1970,
                m.editedAt?.timeIntervalSince1970, m.deletedAt?.timeIntervalSince1970, m.isVisible,
            ])
        try journalMessage(db, m, chat: chat, before: existingServerId, edit: existingEdit, otherRow: otherLocalId != nil, batch: &batch)
        if existingServerId != nil {
            // On the server now: its post leaves the queue (the echo may come before the POST's answer).
            try db.cachedStatement(sql: "DELETE FROM jobs WHERE kind = 'post' AND chatId = ? AND localId = ?").execute(arguments: [chat, m.localId])
        }
        // A new row has no attachments to replace; a message without the key says nothing of
        // them (the upstream's chat list leaves it out), and what is cached stays, unless the
        // message is deleted (then it has none).
        let replacesAttachments = m.attachments.map { existingServerId != nil || !$0.isEmpty } ?? (existingServerId != nil && m.deletedAt != nil)
        if replacesAttachments { try applyAttachments(db, m) }
        // Read marks only grow: nobody unreads a message. A list without someone's mark says
        // nothing of it (the upstream's pages carry no marks, and its update for a read carries
        // the marks from before it); the earliest time seen is kept.
        if let marks = m.readMarks, !marks.isEmpty {
            try upsertUsers(db, marks.map(\.user))
            for mark in marks {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO readMarks (serverId, userId, createdAt) VALUES (?, ?, ?)")
                    .execute(arguments: [m.id, mark.user.id, mark.createdAt.timeIntervalSince1970])
                // A new mark by someone else on a message cached before: news (a first page's marks are not).
                let at = mark.createdAt.timeIntervalSince1970
                if db.changesCount > 0, mark.user.id != me, existingServerId != nil, at >= (try batch.journalStart(db)) {
                    let key = "\(chat) \(mark.user.id)"
                    if (batch.reads[key]?.message ?? .min) < m.id { batch.reads[key] = (chat, mark.user.id, m.id, at) }
                }
            }
        }
        // Writing a message means having read what came before it (locally); only a read mark
        // of ours that the server reports counts as told to the server.
        let markedByMe = m.readMarks?.contains { $0.user.id == me } ?? false
        let readHere = m.authorId == me || markedByMe || m.chatId == batch.reading
        var change = batch.changes[chat] ?? ApplyBatch.ChatChange()
        change.lastActivity = max(change.lastActivity, m.createdAt.timeIntervalSince1970)
        if readHere { change.readUpTo = max(change.readUpTo, m.id) }
        if markedByMe { change.syncedUpTo = max(change.syncedUpTo, m.id) }
        batch.changes[chat] = change
    }

    /// Journals what applying `m` changes: a message created since the journal began (once:
    /// a unique index keeps the first), or a new edit or delete of one the cache had.
    private static func journalMessage(_ db: Database, _ m: MessageInfo, chat: String, before: MessageID??,
                                       edit: (editedAt: Double?, deletedAt: Double?)?, otherRow: Bool, batch: inout ApplyBatch) throws {
        let since = try batch.journalStart(db)
        let created = m.createdAt.timeIntervalSince1970
        if batch.journalsNewMessages, created >= since, m.deletedAt == nil { batch.news.append((.message, m, created)) }
        guard let edit, (before ?? nil) != nil || otherRow else { return }
        if let deleted = m.deletedAt?.timeIntervalSince1970, edit.deletedAt != deleted, deleted >= since {
            batch.news.append((.delete, m, deleted))
        } else if m.deletedAt == nil, let edited = m.editedAt?.timeIntervalSince1970, edit.editedAt != edited, edited >= since {
            batch.news.append((.edit, m, edited))
        }
    }

    private static func applyAttachments(_ db: Database, _ m: MessageInfo) throws {
        let chat = m.chatId.uuidString
        let attachments = m.attachments ?? []
        try db.cachedStatement(sql: "DELETE FROM attachments WHERE chatId = ? AND localId = ? AND position >= ?")
            .execute(arguments: [chat, m.localId, attachments.count])
        for (position, media) in attachments.enumerated() {
            try db.execute(
                sql: """
                    INSERT INTO attachments (chatId, localId, position, mediaId, fileType, fileSize, fileExists, previewExists,
                                             fileName, fileExistsKnown)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(chatId, localId, position) DO UPDATE SET mediaId = excluded.mediaId,
                        fileType = excluded.fileType, fileSize = excluded.fileSize,
                        fileExists = excluded.fileExists, previewExists = excluded.previewExists,
                        fileName = coalesce(excluded.fileName, fileName), fileExistsKnown = excluded.fileExistsKnown
                    """,
                arguments: [chat, m.localId, position, media.id.uuidString, media.fileType, media.fileSize,
                            media.fileExists ?? false, media.previewExists ?? false, media.fileName, media.fileExists != nil]
            )
        }
    }

    /// Removes every message of a chat (after `chatCleared`); the whole history is now known.
    public func clearMessages(_ chat: ChatID) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM messages WHERE chatId = ? AND serverId IS NOT NULL", arguments: [chat.uuidString])
            try db.execute(sql: "DELETE FROM historyRanges WHERE chatId = ?", arguments: [chat.uuidString])
            try db.execute(sql: "INSERT INTO historyRanges (chatId, low, high) VALUES (?, 0, 0)", arguments: [chat.uuidString])
        }
    }

    /// Removes messages of `chat` in `range` that the server no longer has (a re-read page
    /// after an upstream `chatCleared` without a chat id).
    public func removeServerMessages(_ chat: ChatID, in range: ClosedRange<MessageID>, keeping ids: Set<MessageID>) throws {
        try write { db in
            let present = try MessageID.fetchAll(
                db, sql: "SELECT serverId FROM messages WHERE chatId = ? AND serverId BETWEEN ? AND ?",
                arguments: [chat.uuidString, range.lowerBound, range.upperBound]
            )
            for id in present where !ids.contains(id) {
                try db.execute(sql: "DELETE FROM messages WHERE serverId = ?", arguments: [id])
            }
        }
    }
}
