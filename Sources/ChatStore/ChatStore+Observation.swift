import ChatAPI
import Foundation
import GRDB
import Synchronization

// MARK: Observation
//
// Every observation names the tables it reads; after a commit that touched one of them, its
// value is read again on a reader (commits that land meanwhile fold into one read) and handed
// on when it differs. Each keeps only its newest value for its consumer: a screen that falls
// behind the commits skips the states in between instead of drawing each of them late.
//
// Not GRDB's ValueObservation: GRDB asks every observer about every statement a write runs,
// and a value observation answers by intersecting database regions (sets of lower-cased table
// names, built each time): in a burst of live messages that was 4 % of the client's CPU for
// four observations. A table observer answers with a set lookup.

extension ChatStore {
    /// The chat list, now and after every change that affects it.
    public func observeChatList(archived: Bool? = false) -> AsyncThrowingStream<[ChatSummary], any Error> {
        let me = self.me
        return observe(ObservedTables.chatList) { db in try ChatQueries.chatList(db, me: me, archived: archived) }
    }

    /// Every known user, now and after every change.
    public func observeUsers() -> AsyncThrowingStream<[UserID: UserInfo], any Error> {
        observe(["users"]) { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT * FROM users").map(ChatStore.userInfo).map { ($0.id, $0) })
        }
    }

    /// The known history ranges of one chat, newest first, now and after every change.
    public func observeKnownRanges(_ chat: ChatID) -> AsyncThrowingStream<[HistoryRange], any Error> {
        observe(["historyRanges"]) { db in try ChatQueries.knownRanges(db, chat: chat) }
    }

    /// The newest `limit` messages of one conversation, now and after every change.
    public func observeMessages(_ chat: ChatID, limit: Int = 100) -> AsyncThrowingStream<[CachedMessage], any Error> {
        observe(ObservedTables.window) { db in try ChatQueries.window(db, chat: chat, limit: limit, beforeServerId: nil) }
    }

    /// A chat's notes, oldest first, now and after every change.
    public func observeNotes(_ chat: ChatID) -> AsyncThrowingStream<[ChatNote], any Error> {
        observe(["chatNotes"]) { db in try Self.notes(db, chat) }
    }

    /// The window of `chat` at `position`, now and after every change to it or to the chat's
    /// known history; only the rows each commit changed are read (see `WindowFollower`).
    public func observeWindow(_ chat: ChatID, at position: WindowPosition) -> AsyncThrowingStream<ConversationWindow, any Error> {
        Self.following { wake in
            let follower = WindowFollower(store: self, chat: chat, at: position, changed: wake)
            return (follower, { try await follower.start() }, { try await follower.update() })
        }
    }

    /// `read` now and after every commit that touched one of `tables`, when its answer changed.
    func observe<Value: Equatable & Sendable>(_ tables: Set<String>, _ read: @escaping @Sendable (Database) throws -> Value)
        -> AsyncThrowingStream<Value, any Error>
    {
        let pool = self.pool
        return Self.following { wake in
            let signal = TableChangeSignal(tables: tables, changed: wake)
            let last = Mutex<Value?>(nil)
            // Held weakly by the pool: it goes when the observation ends.
            let register: @Sendable () async throws -> Void = {
                try await pool.writeWithoutTransaction { db in db.add(transactionObserver: signal, extent: .observerLifetime) }
            }
            return (signal, register, {
                let value = try await self.asyncRead(read)
                return last.withLock { last in
                    defer { last = value }
                    return value == last ? nil : value
                }
            })
        }
    }

    /// The loop every observation runs: `start` makes what notices commits (kept alive while
    /// the observation lasts) and answers how to register it and how to read the next value
    /// (nil: unchanged). It is registered first, without holding a thread while the writer is
    /// busy, so that a commit between it and the first read is read again, not lost; then the
    /// first value is read, then one per wake-up.
    static func following<Value: Sendable>(
        _ start: (_ wake: @escaping @Sendable () -> Void)
            -> (any Sendable, @Sendable () async throws -> Void, @Sendable () async throws -> Value?)
    ) -> AsyncThrowingStream<Value, any Error> {
        AsyncThrowingStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            let (observer, register, next) = start { wake.yield() }
            let task = Task {
                // The observer lives as long as this loop.
                defer { withExtendedLifetime(observer) {} }
                do {
                    try await register()
                    if let first = try await next() { continuation.yield(first) }
                    for await _ in wakes {
                        if let value = try await next() { continuation.yield(value) }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in
                task.cancel()
                wake.finish()
            }
        }
    }
}

/// Calls `changed` after each commit that touched one of `tables` (on the writer's queue: it
/// must be quick). Once a transaction has touched one, the rest of it is not watched.
final class TableChangeSignal: TransactionObserver, Sendable {
    let tables: Set<String>
    private let changed: @Sendable () -> Void
    private let touched = Atomic<Bool>(false)

    init(tables: Set<String>, changed: @escaping @Sendable () -> Void) {
        self.tables = tables
        self.changed = changed
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        switch eventKind {
        case .insert(let table), .delete(let table), .update(let table, _): tables.contains(table)
        }
    }

    func databaseDidChange(with event: DatabaseEvent) {
        touched.store(true, ordering: .relaxed)
        stopObservingDatabaseChangesUntilNextTransaction()
    }

    /// What another process wrote (`ChatStore.noticeChangesByOtherProcesses`).
    func databaseDidChange() {
        touched.store(true, ordering: .relaxed)
    }

    func databaseDidCommit(_ db: Database) {
        if touched.exchange(false, ordering: .relaxed) { changed() }
    }

    func databaseDidRollback(_ db: Database) {
        touched.store(false, ordering: .relaxed)
    }
}
