import ChatAPI
// The store's API speaks the model's values: whoever imports the store sees them too.
@_exported import ChatModel
import Foundation
import GRDB
import Synchronization

/// The client's local SQLite cache and its queue of work: the single source of truth for the UI.
/// All writes go through this type's methods, each one transaction that keeps the invariants
/// listed in `ClientSchema`.
public final class ChatStore: Sendable {
    let pool: DatabasePool
    /// SQLite's count of commits by other connections, as last seen by the writer.
    let dataVersion: Mutex<Int>
    let checkpointer: BackgroundCheckpointer
    /// The signed-in user: unread counts skip their own messages.
    public let me: UserID
    public let path: String
    /// When the journal began (it never changes): read once, not once per stored batch.
    let journalStartedAt: Double
    /// What observations read after a write's commit, handed on when the write returns.
    let deliveries = CommitDeliveries()
    /// Indexes live messages for search in the background (set once the store is made).
    private let liveIndexer = Mutex<LiveIndexer?>(nil)

    /// Opens (creating if needed) the cache at `path`, in WAL mode.
    public init(path: String, me: UserID) throws {
        // The cache holds every message: its folder is 0700 and its files 0600 (SQLite gives
        // the WAL and shared-memory files the database's mode).
        PrivateFiles.createDirectory(atPath: (path as NSString).deletingLastPathComponent)
        PrivateFiles.createFile(atPath: path)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        // Two readers: a terminal client reads little at once, and each reader is a connection
        // with its own pages and statements (paging through a long chat opened all five).
        configuration.maximumReaderCount = 2
        let checkpointer = BackgroundCheckpointer(path: path)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Small page caches (SQLite's default is 2 MB each): paging through a long chat went
            // through every reader of the pool, and each kept its full cache (RSS +15 MB after
            // 100,000 messages). A larger cache buys nothing here: the chat list reads one or two
            // pages per chat, more pages than any cache holds, in the same order every time (an
            // LRU cache then never hits), and a window of messages is a few pages. What a
            // connection reads again is in the OS's cache anyway (a copy, no disk).
            try db.execute(sql: db.configuration.readonly ? "PRAGMA cache_size = -128" : "PRAGMA cache_size = -256")
            // The index's triggers call it, on every connection that writes.
            db.add(function: SearchIndex.indexableFunction)
            // Readers never commit, so only the writer's hook ever fires.
            checkpointer.install(on: db)
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        self.checkpointer = checkpointer
        try ClientSchema.migrator.migrate(pool)
        try pool.write { db in try UnreadCounts.setOwner(db, me) }
        for suffix in ["-wal", "-shm"] { PrivateFiles.restrict(path + suffix) }
        dataVersion = Mutex(try pool.writeWithoutTransaction { try Self.readDataVersion($0) })
        journalStartedAt = try pool.read { db in try Journal.startedAt(db) }
        self.me = me
        self.path = path
        liveIndexer.withLock { $0 = LiveIndexer { [weak self] in (try? self?.indexWaitingBatch()) ?? false } }
    }

    /// Every write transaction of the store: the messages it added are indexed for search
    /// before it commits, in the same transaction (see `SearchIndex.queueNewRows`), or with
    /// `indexLater` soon after, in the background (see `LiveIndexer`). What its commit changed
    /// reaches the observations' handlers together, when it returns.
    func write<T>(indexLater: Bool = false, _ updates: (Database) throws -> T) throws -> T {
        defer { deliveries.release() }
        let backlog = !indexLater && searchIndexingWaits
        let result = try pool.write { db in
            deliveries.hold()
            let result = try updates(db)
            if backlog {
                _ = try SearchIndex.indexPending(db, limit: LiveIndexer.batch)
            } else if !indexLater {
                try SearchIndex.indexPending(db)
            }
            return result
        }
        if indexLater || backlog { indexSoon() }
        return result
    }

    /// Whether live messages wait for the background indexer: a write then indexes one batch
    /// of what waits, not all of it (see `LiveIndexer.isWaiting`).
    var searchIndexingWaits: Bool {
        liveIndexer.withLock { $0 }?.isWaiting ?? false
    }

    /// What waits is indexed in the background, in the next pause.
    func indexSoon() {
        liveIndexer.withLock { $0 }?.messagesWait()
    }

    /// Waits until the live messages written so far are indexed in the background.
    func settleLiveIndexing() {
        liveIndexer.withLock { $0 }?.settle()
    }

    /// Indexes up to `limit` waiting messages in one transaction; answers whether more wait.
    func indexWaitingBatch(limit: Int = LiveIndexer.batch) throws -> Bool {
        try pool.write { db in try SearchIndex.indexPending(db, limit: limit) }
    }

    // MARK: Users

    public func upsertUsers(_ users: [UserInfo]) throws {
        try write { db in try Self.upsertUsers(db, users) }
    }

    static func upsertUsers(_ db: Database, _ users: [UserInfo]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO users (id, name, username, about, lastSeen) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET name = excluded.name, username = excluded.username,
                about = coalesce(excluded.about, about), lastSeen = coalesce(excluded.lastSeen, lastSeen)
            """)
        for user in users {
            try statement.execute(arguments: [user.id, user.name, user.username, user.about, user.lastSeen?.timeIntervalSince1970])
        }
    }

    public func user(_ id: UserID) throws -> UserInfo? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(Self.userInfo)
        }
    }

    /// A person already known to the cache, by username (any case).
    public func user(named username: String) throws -> UserInfo? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE lower(username) = lower(?)", arguments: [username]).map(Self.userInfo)
        }
    }

    public func users(_ ids: [UserID]) throws -> [UserID: UserInfo] {
        try pool.read { db in try Self.users(db, ids) }
    }

    static func users(_ db: Database, _ ids: [UserID]) throws -> [UserID: UserInfo] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM users WHERE id IN (\(databaseQuestionMarks(count: unique.count)))", arguments: StatementArguments(unique)
        )
        return Dictionary(uniqueKeysWithValues: rows.map(userInfo).map { ($0.id, $0) })
    }

    static func userInfo(_ row: Row) -> UserInfo {
        UserInfo(id: row["id"], name: row["name"], username: row["username"], about: row["about"],
                 lastSeen: (row["lastSeen"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    // MARK: Chats

    /// Stores chats as the server described them. With `replacingAll`, chats the server no
    /// longer lists (deleted, left, removed from this device) are dropped from the cache.
    /// What changed in the chats (created, renamed, members, gone) is journaled; the first
    /// full list is the journal's baseline.
    public func upsertChats(_ chats: [ChatInfo], replacingAll: Bool = false, now: Date = Date()) throws {
        try write { db in
            let ids = chats.map(\.id.uuidString)
            try Journal.trackingChats(db, ids, now: now.timeIntervalSince1970) {
                let queued = try Self.chatsWithQueuedChanges(db)
                for chat in chats {
                    try Self.upsertChat(db, chat, me: self.me)
                    if queued.contains(chat.id.uuidString) { try Self.showQueuedChanges(db, chat: chat.id) }
                }
            }
            if replacingAll {
                let keep = Set(ids)
                for id in try String.fetchAll(db, sql: "SELECT id FROM chats") where !keep.contains(id) {
                    try Self.deleteChat(db, id, because: .removed, now: now)
                }
                try Journal.prime(db)
            }
        }
    }

    public func upsertChat(_ chat: ChatInfo, now: Date = Date()) throws {
        try write { db in
            try Journal.trackingChats(db, [chat.id.uuidString], now: now.timeIntervalSince1970) {
                try Self.upsertChat(db, chat, me: self.me)
                try Self.showQueuedChanges(db, chat: chat.id)
            }
        }
    }

    /// Chats with changes queued and not failed.
    static func chatsWithQueuedChanges(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT DISTINCT chatId FROM jobs WHERE kind = 'change' AND isFailed = 0 AND chatId IS NOT NULL"))
    }

    /// What queued changes showed in advance stays shown until the server has them: the
    /// server's description of a chat that does not have them yet (a list read again) would
    /// otherwise undo a mute, a rename or a block the person made and sees queued.
    static func showQueuedChanges(_ db: Database, chat: ChatID) throws {
        let payloads = try String.fetchAll(
            db.cachedStatement(sql: "SELECT payload FROM jobs WHERE chatId = ? AND kind = 'change' AND isFailed = 0 ORDER BY seq"),
            arguments: [chat.uuidString])
        for payload in payloads {
            guard let intent = try? JSONDecoder().decode(Intent.self, from: Data(payload.utf8)) else { continue }
            var flags: [(column: String, value: Bool)] = []
            switch intent {
            case .rename(let title):
                try db.execute(sql: "UPDATE chats SET title = ? WHERE id = ?", arguments: [title, chat.uuidString])
            case .settings(let request):
                if let muted = request.isMuted { flags.append(("isMuted", muted)) }
                if let archived = request.isArchived { flags.append(("isArchived", archived)) }
            case .blockChat(let blocked):
                flags.append(("isBlocked", blocked))
            default:
                break
            }
            for flag in flags {
                try db.execute(sql: "UPDATE chats SET \(flag.column) = ? WHERE id = ?", arguments: [flag.value, chat.uuidString])
            }
        }
    }

    static func upsertChat(_ db: Database, _ chat: ChatInfo, me: UserID) throws {
        var users = [chat.owner] + (chat.allUsers ?? []) + (chat.addedUsers ?? []) + (chat.removedUsers ?? [])
        if let last = chat.lastMessage { users += last.readMarks?.map(\.user) ?? [] }
        try upsertUsers(db, users)
        let images = chat.images.flatMap { try? JSONEncoder.chatAPI().encode($0) }.map { String(decoding: $0, as: UTF8.self) }
        // Cached statements: a chat list can hold 100,000 chats.
        try db.cachedStatement(
            sql: """
                INSERT INTO chats (id, title, isPersonal, ownerId, isMuted, isArchived, isBlocked, imagesJSON)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET title = excluded.title, isPersonal = excluded.isPersonal,
                    ownerId = excluded.ownerId, isMuted = excluded.isMuted, isArchived = excluded.isArchived,
                    isBlocked = excluded.isBlocked, imagesJSON = excluded.imagesJSON
                """
        ).execute(arguments: [chat.id.uuidString, chat.title, chat.isPersonal, chat.owner.id, chat.isMuted, chat.isArchived, chat.isBlocked, images])
        if let all = chat.allUsers {
            try db.cachedStatement(sql: "DELETE FROM chatMembers WHERE chatId = ?").execute(arguments: [chat.id.uuidString])
            for user in all {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO chatMembers (chatId, userId) VALUES (?, ?)").execute(arguments: [chat.id.uuidString, user.id])
            }
        } else {
            for user in chat.addedUsers ?? [] {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO chatMembers (chatId, userId) VALUES (?, ?)").execute(arguments: [chat.id.uuidString, user.id])
            }
        }
        for user in chat.removedUsers ?? [] {
            try db.execute(sql: "DELETE FROM chatMembers WHERE chatId = ? AND userId = ?", arguments: [chat.id.uuidString, user.id])
        }
        if let last = chat.lastMessage { try applyServerMessage(db, last, me: me, journalsNewMessages: false) }
    }

    /// Changes this user's own flags locally (after the server accepted them).
    public func setFlags(_ chat: ChatID, isMuted: Bool? = nil, isArchived: Bool? = nil, isBlocked: Bool? = nil) throws {
        try write { db in
            for (column, value) in [("isMuted", isMuted), ("isArchived", isArchived), ("isBlocked", isBlocked)] {
                guard let value else { continue }
                try db.execute(sql: "UPDATE chats SET \(column) = ? WHERE id = ?", arguments: [value, chat.uuidString])
            }
        }
    }

    /// Drops a chat from the cache, journaling why (with its last title) once primed.
    public func deleteChat(_ id: ChatID, because departure: ChatDeparture, now: Date = Date()) throws {
        try write { db in try Self.deleteChat(db, id.uuidString, because: departure, now: now) }
    }

    static func deleteChat(_ db: Database, _ id: String, because departure: ChatDeparture, now: Date) throws {
        if try Journal.isPrimed(db), let before = try Journal.snapshot(db, id) {
            try Journal.record(db, departure.kind, chat: id, text: before.title, at: now.timeIntervalSince1970)
        }
        try db.execute(sql: "DELETE FROM chats WHERE id = ?", arguments: [id])
    }

    public func chatIds() throws -> [ChatID] {
        try pool.read { db in try String.fetchAll(db, sql: "SELECT id FROM chats").compactMap(UUID.init(uuidString:)) }
    }

    public func memberIds(_ chat: ChatID) throws -> [UserID] {
        try pool.read { db in
            try UserID.fetchAll(db, sql: "SELECT userId FROM chatMembers WHERE chatId = ? ORDER BY userId", arguments: [chat.uuidString])
        }
    }

    // MARK: Drafts and sync state

    public func saveDraft(_ chat: ChatID, text: String, now: Date = Date()) throws {
        try write { db in
            if text.isEmpty {
                try db.execute(sql: "DELETE FROM drafts WHERE chatId = ?", arguments: [chat.uuidString])
            } else {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO drafts (chatId, text, updatedAt) VALUES (?, ?, ?)",
                    arguments: [chat.uuidString, text, now.timeIntervalSince1970]
                )
            }
        }
    }

    public func draft(_ chat: ChatID) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT text FROM drafts WHERE chatId = ?", arguments: [chat.uuidString]) }
    }
}
