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
        Self.following { committed in
            let follower = WindowFollower(store: self, chat: chat, at: position, changed: committed)
            return (follower, { try await follower.start() }, { done in follower.update(done: done) }, { db in try follower.update(db) })
        }
    }

    /// `read` now and after every commit that touched one of `tables`, when its answer changed.
    func observe<Value: Equatable & Sendable>(_ tables: Set<String>, _ read: @escaping @Sendable (Database) throws -> Value)
        -> AsyncThrowingStream<Value, any Error>
    {
        let pool = self.pool
        return Self.following { committed in
            let signal = TableChangeSignal(tables: tables, changed: committed)
            let last = Mutex<Value?>(nil)
            let changedValue: @Sendable (Database) throws -> Value? = { db in
                let value = try read(db)
                return last.withLock { last in
                    defer { last = value }
                    return value == last ? nil : value
                }
            }
            // Held weakly by the pool: it goes when the observation ends.
            let register: @Sendable () async throws -> Void = {
                try await pool.writeWithoutTransaction { db in db.add(transactionObserver: signal, extent: .observerLifetime) }
            }
            return (signal, register, { done in
                pool.asyncRead { database in done(Result { try changedValue(database.get()) }) }
            }, changedValue)
        }
    }

    /// What every observation runs: `start` makes what notices commits (kept alive while the
    /// observation lasts; it calls its argument with the writer's connection after each commit
    /// that matters) and answers how to register it and how to read the next value (nil:
    /// unchanged), on a reader's queue and on a given connection. It is registered first,
    /// without holding a thread while the writer is busy, so that a commit between it and the
    /// first read is read again, not lost; then the first value is read, then one per commit.
    static func following<Value: Sendable>(
        _ start: (_ committed: @escaping @Sendable (Database) -> Void)
            -> (any Sendable, @Sendable () async throws -> Void, ObservationDriver<Value>.Read, ObservationDriver<Value>.ReadNow)
    ) -> AsyncThrowingStream<Value, any Error> {
        AsyncThrowingStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let driver = ObservationDriver<Value>(continuation)
            let (observer, register, read, readNow) = start { db in driver.committed(db) }
            driver.prepare(observer: observer, read: read, readNow: readNow)
            let registering = Task {
                do {
                    try await register()
                    driver.start()
                } catch {
                    driver.fail(error)
                }
            }
            continuation.onTermination = { _ in
                registering.cancel()
                driver.stop()
            }
        }
    }
}

/// Reads an observation's value after each commit and hands it on: one read at a time,
/// commits that land during a read folded into one more read.
///
/// A commit is read at once on the connection that made it, on the writer's queue (GRDB's own
/// write-only observations do the same): that connection's page cache still holds the pages
/// the commit touched, where a reader's cache is emptied by any commit and would read them
/// from disk again, and no thread is woken for it; every observation a commit touched is read
/// there in turn, so their values leave together. The first value, and the read that folds
/// the commits made while it ran, go through a reader (registration must not wait for a busy
/// writer). Before, a commit woke each observation's task, which sent its read to a reader and
/// was woken again by the answer: in a burst a quarter of the client's thread switches.
final class ObservationDriver<Value: Sendable>: Sendable {
    /// Reads the next value and calls its argument with it (nil: unchanged), on a reader's queue.
    typealias Read = @Sendable (_ done: @escaping @Sendable (Result<Value?, any Error>) -> Void) -> Void
    /// Reads the next value on the given connection (nil: unchanged).
    typealias ReadNow = @Sendable (Database) throws -> Value?

    private struct State {
        /// What notices commits, kept alive until the observation stops (the pool holds it weakly).
        var observer: (any Sendable)?
        var read: Read?
        var readNow: ReadNow?
        var started = false
        var reading = false
        var readAgain = false
        var stopped = false
    }

    private let state = Mutex(State())
    private let continuation: AsyncThrowingStream<Value, any Error>.Continuation

    init(_ continuation: AsyncThrowingStream<Value, any Error>.Continuation) {
        self.continuation = continuation
    }

    func prepare(observer: any Sendable, read: @escaping Read, readNow: ReadNow? = nil) {
        state.withLock {
            $0.observer = observer
            $0.read = read
            $0.readNow = readNow
        }
    }

    /// The observer is registered: the first read. Commits before this are in it.
    func start() {
        state.withLock { $0.started = true }
        wake()
    }

    /// Something changed: read on a reader (or, when a read is running, once more after it).
    func wake() {
        let read = state.withLock { state -> Read? in
            guard begin(&state) else { return nil }
            return state.read
        }
        if let read { readOnce(read) }
    }

    /// A commit touched what is observed; `db` is the connection that made it, on the
    /// writer's queue. Read on it now, unless a read is running (then once more after it).
    func committed(_ db: Database) {
        let next = state.withLock { state -> NextRead in
            guard begin(&state) else { return .nothing }
            if let readNow = state.readNow { return .now(readNow) }
            if let read = state.read { return .reader(read) }
            state.reading = false
            return .nothing
        }
        switch next {
        case .nothing: return
        case .reader(let read): readOnce(read)
        case .now(let readNow):
            do {
                finished(with: try readNow(db))
            } catch {
                fail(error)
            }
        }
    }

    private enum NextRead {
        case nothing
        case now(ReadNow)
        case reader(Read)
    }

    /// Marks a read as running; false when none should start (not started, stopped, or one
    /// running: that one is then followed by another).
    private func begin(_ state: inout State) -> Bool {
        guard state.started, !state.stopped else { return false }
        guard !state.reading else {
            state.readAgain = true
            return false
        }
        state.reading = true
        return true
    }

    private func readOnce(_ read: @escaping Read) {
        read { result in
            switch result {
            case .success(let value):
                self.finished(with: value)
            case .failure(let error):
                self.fail(error)
            }
        }
    }

    /// Hands a read's value on, then reads once more if commits came meanwhile.
    private func finished(with value: Value?) {
        if let value { continuation.yield(value) }
        let again = state.withLock { state -> Read? in
            guard state.readAgain, !state.stopped else {
                state.reading = false
                return nil
            }
            state.readAgain = false
            return state.read
        }
        if let again { readOnce(again) }
    }

    func fail(_ error: any Error) {
        stop()
        continuation.finish(throwing: error)
    }

    /// The consumer is gone (or the observation failed): no more reads; the observer goes.
    func stop() {
        let observer = state.withLock { state -> (any Sendable)? in
            state.stopped = true
            state.read = nil
            state.readNow = nil
            defer { state.observer = nil }
            return state.observer
        }
        withExtendedLifetime(observer) {}
    }
}

/// Calls `changed` with the writer's connection after each commit that touched one of `tables`
/// (on the writer's queue, which waits for it). Once a transaction has touched one, the rest of it is not watched.
final class TableChangeSignal: TransactionObserver, Sendable {
    let tables: Set<String>
    private let changed: @Sendable (Database) -> Void
    private let touched = Atomic<Bool>(false)

    init(tables: Set<String>, changed: @escaping @Sendable (Database) -> Void) {
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
        if touched.exchange(false, ordering: .relaxed) { changed(db) }
    }

    func databaseDidRollback(_ db: Database) {
        touched.store(false, ordering: .relaxed)
    }
}
