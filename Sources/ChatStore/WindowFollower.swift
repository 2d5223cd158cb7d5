import ChatAPI
import Foundation
import GRDB
import Synchronization

/// Keeps one window of a chat up to date by reading only the rows each transaction changed.
/// A burst into the open chat commits ~50 times a second; reading the whole window again each
/// time (121 messages, their attachments and read marks) was most of the cost of a live
/// message. The follower registers as a transaction observer, notes which message rows a
/// commit touched, and on `update(done:)` reads those rows and merges them into the window it holds.
/// Whatever it cannot merge safely (a delete, a read mark, a row older than the window, a
/// window not at the newest message) is a full read, so the result is always what
/// `ChatStore.window(_:at:)` would answer.
public final class WindowFollower: Sendable {
    public let chat: ChatID
    public let position: WindowPosition
    private let store: ChatStore
    private let tracker = ChangeTracker()
    private let current = Mutex<ConversationWindow?>(nil)

    /// Follows `chat`'s window at `position`; `changed` is called with the writer's connection
    /// (on the writer's queue, which waits for it) after each commit that touched the window's
    /// tables.
    public init(store: ChatStore, chat: ChatID, at position: WindowPosition, changed: @escaping @Sendable (Database) -> Void = { _ in }) {
        self.store = store
        self.chat = chat
        self.position = position
        tracker.changed = changed
    }

    /// Starts noticing commits; call it before the first update (a change committed between
    /// the two is then read again, not lost). It waits for the writer without holding a thread:
    /// a long write (a catch-up of 100,000 chats) must not stall whoever opened the chat. Held
    /// weakly by the pool: the observer goes with the follower.
    public func start() async throws {
        let tracker = self.tracker
        try await store.pool.writeWithoutTransaction { db in db.add(transactionObserver: tracker, extent: .observerLifetime) }
    }

    /// `start()` on the caller's thread (the benchmark and tests, which update with `updateNow`).
    public func startNow() {
        store.pool.add(transactionObserver: tracker, extent: .observerLifetime)
    }

    /// The window now, answered to `done` on a reader's queue (an observation reads this way:
    /// see `ObservationDriver`): read whole the first time, then with the changes since the
    /// last call merged in; nil when nothing it shows changed. Calls must not overlap.
    func update(done: @escaping @Sendable (Result<ConversationWindow?, any Error>) -> Void) {
        guard let pending = pending() else {
            done(.success(nil))
            return
        }
        let (chat, position) = (self.chat, self.position)
        store.pool.asyncRead { database in
            done(Result {
                let window = try Self.read(database.get(), pending.previous, pending.changes, chat: chat, position: position)
                return self.keep(window, after: pending.previous)
            })
        }
    }

    /// `update(done:)` on `db`: the connection that just committed, whose page cache still
    /// holds what the commit touched (an observation reads each commit this way).
    func update(_ db: Database) throws -> ConversationWindow? {
        guard let pending = pending() else { return nil }
        let window = try Self.read(db, pending.previous, pending.changes, chat: chat, position: position)
        return keep(window, after: pending.previous)
    }

    /// The update after a commit, as an observation makes it, on the caller's thread: on the
    /// writer's connection (the benchmark times one event this way).
    public func updateNow() throws -> ConversationWindow? {
        try store.pool.writeWithoutTransaction { db in try update(db) }
    }

    /// What changed since the last update and the window it changed; nil when there is nothing
    /// to read (a window already read, and no commit since).
    private func pending() -> (changes: ChangeTracker.Changes, previous: ConversationWindow?)? {
        let changes = tracker.take()
        let previous = current.withLock { $0 }
        return previous != nil && changes.isEmpty ? nil : (changes, previous)
    }

    /// The window as of the last update.
    public func latest() -> ConversationWindow? {
        current.withLock { $0 }
    }

    private func keep(_ window: ConversationWindow, after previous: ConversationWindow?) -> ConversationWindow? {
        current.withLock { $0 = window }
        return window == previous ? nil : window
    }

    private static func read(_ db: Database, _ previous: ConversationWindow?, _ changes: ChangeTracker.Changes, chat: ChatID,
                             position: WindowPosition) throws -> ConversationWindow {
        if let previous, let merged = try merged(db, previous, changes, chat: chat, position: position) { return merged }
        return try ChatQueries.windowWithHistory(db, chat: chat, at: position)
    }

    /// `window` with the changed rows read and merged in, or nil when only a full read is safe.
    static func merged(_ db: Database, _ window: ConversationWindow, _ changes: ChangeTracker.Changes, chat: ChatID,
                       position: WindowPosition) throws -> ConversationWindow? {
        guard position == .newest, !changes.needsFullRead else { return nil }
        var window = window
        if changes.rangesChanged { window.known = try ChatQueries.knownRanges(db, chat: chat) }
        guard !changes.messageRows.isEmpty else { return window }
        let rows = Array(changes.messageRows)
        let flagged = try ColumnReader.fetchAll(
            db.cachedStatement(sql: """
                SELECT \(ChatQueries.flaggedColumns) FROM messages
                WHERE rowId IN (\(databaseQuestionMarks(count: ChatQueries.bucket(rows.count)))) AND +chatId = ?
                """),
            // `+chatId`: looked up by row id; given the choice SQLite walked the chat's index
            // (every message of the chat) to filter the few rows.
            arguments: StatementArguments(ChatQueries.padded(rows) + [chat.uuidString])
        ) { ChatQueries.flaggedRow($0, chat: chat) }
        guard !flagged.isEmpty else { return window }
        let oldestShown = window.messages.first { $0.serverId != nil }?.serverId
        var messages = window.messages
        var positions = Dictionary(messages.enumerated().map { ($1.localId, $0) }, uniquingKeysWith: { first, _ in first })
        for message in try ChatQueries.hydrate(db, flagged) {
            if let index = positions[message.localId] {
                messages[index] = message
                continue
            }
            // Older than the window's oldest (history filled in): where it goes, and what the
            // window's `previous` becomes, is the full read's to say.
            if let id = message.serverId {
                if let oldestShown, id < oldestShown { return nil }
                if oldestShown == nil, !window.reachesOldest { return nil }
            }
            positions[message.localId] = messages.count
            messages.append(message)
        }
        // The full read's order: sent messages by server id, then queued ones as written (rows
        // only grow, so a new queued row comes after the queued rows already shown).
        let sent = messages.filter { $0.serverId != nil }.sorted { $0.serverId! < $1.serverId! }
        let queued = messages.filter { $0.serverId == nil }
        messages = sent + queued
        let size = ConversationWindow.newestSize
        if messages.count > size {
            window.previous = messages[messages.count - size - 1]
            window.reachesOldest = false
            messages.removeFirst(messages.count - size)
        }
        window.messages = messages
        return window
    }
}

/// Notes which rows of the window's tables each transaction touched, for `WindowFollower`.
/// GRDB calls it on the writer's queue, one transaction at a time; what it noted is handed
/// over under a lock.
final class ChangeTracker: TransactionObserver, Sendable {
    struct Changes {
        var messageRows: Set<Int64> = []
        var rangesChanged = false
        /// A delete, or a change to attachments or read marks (a read mark changes the readers
        /// of every earlier message): read the window whole.
        var needsFullRead = false

        var isEmpty: Bool { messageRows.isEmpty && !rangesChanged && !needsFullRead }

        mutating func merge(_ other: Changes) {
            messageRows.formUnion(other.messageRows)
            rangesChanged = rangesChanged || other.rangesChanged
            needsFullRead = needsFullRead || other.needsFullRead
        }
    }

    private struct State {
        var inTransaction = Changes()
        var committed = Changes()
        var changed: @Sendable (Database) -> Void = { _ in }
    }

    private let state = Mutex(State())

    var changed: @Sendable (Database) -> Void {
        get { state.withLock { $0.changed } }
        set { state.withLock { $0.changed = newValue } }
    }

    func take() -> Changes {
        state.withLock { state in
            defer { state.committed = Changes() }
            return state.committed
        }
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        switch eventKind {
        case .insert(let table), .delete(let table), .update(let table, _):
            return table == "messages" || table == "attachments" || table == "readMarks" || table == "historyRanges"
        }
    }

    func databaseDidChange(with event: DatabaseEvent) {
        let table = event.tableName
        let kind = event.kind
        let rowID = event.rowID
        state.withLock { state in
            switch table {
            case "messages" where kind != .delete: state.inTransaction.messageRows.insert(rowID)
            case "historyRanges": state.inTransaction.rangesChanged = true
            default: state.inTransaction.needsFullRead = true
            }
        }
    }

    /// What another process wrote (`ChatStore.noticeChangesByOtherProcesses`): unknown rows.
    func databaseDidChange() {
        state.withLock { $0.inTransaction.needsFullRead = true }
    }

    func databaseDidCommit(_ db: Database) {
        let changed = state.withLock { state -> (@Sendable (Database) -> Void)? in
            guard !state.inTransaction.isEmpty else { return nil }
            state.committed.merge(state.inTransaction)
            state.inTransaction = Changes()
            return state.changed
        }
        changed?(db)
    }

    func databaseDidRollback(_ db: Database) {
        state.withLock { $0.inTransaction = Changes() }
    }
}
