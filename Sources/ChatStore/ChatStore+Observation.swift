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
            return (follower, { try await follower.start() }, { done in follower.update(done: done) })
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
            return (signal, register, { done in
                pool.asyncRead { database in
                    done(Result {
                        let value = try read(database.get())
                        return last.withLock { last in
                            defer { last = value }
                            return value == last ? nil : value
                        }
                    })
                }
            })
        }
    }

    /// What every observation runs: `start` makes what notices commits (kept alive while the
    /// observation lasts) and answers how to register it and how to read the next value (nil:
    /// unchanged; the answer comes on a reader's queue). It is registered first, without
    /// holding a thread while the writer is busy, so that a commit between it and the first
    /// read is read again, not lost; then the first value is read, then one per commit.
    static func following<Value: Sendable>(
        _ start: (_ wake: @escaping @Sendable () -> Void)
            -> (any Sendable, @Sendable () async throws -> Void, ObservationDriver<Value>.Read)
    ) -> AsyncThrowingStream<Value, any Error> {
        AsyncThrowingStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let driver = ObservationDriver<Value>(continuation)
            let (observer, register, read) = start { driver.wake() }
            driver.prepare(observer: observer, read: read)
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

/// Reads an observation's value after each commit and hands it on, from the reader's queue
/// straight to the consumer: one read at a time, commits that land meanwhile folded into one
/// more read. Before this, a commit woke the observation's task, which sent the read to a
/// reader and was woken again by its answer: two thread hand-offs per observation per commit,
/// in a burst a quarter of the client's thread switches.
final class ObservationDriver<Value: Sendable>: Sendable {
    /// Reads the next value and calls its argument with it (nil: unchanged), on any thread.
    typealias Read = @Sendable (_ done: @escaping @Sendable (Result<Value?, any Error>) -> Void) -> Void

    private struct State {
        /// What notices commits, kept alive until the observation stops (the pool holds it weakly).
        var observer: (any Sendable)?
        var read: Read?
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

    func prepare(observer: any Sendable, read: @escaping Read) {
        state.withLock {
            $0.observer = observer
            $0.read = read
        }
    }

    /// The observer is registered: the first read. Commits before this are in it.
    func start() {
        state.withLock { $0.started = true }
        wake()
    }

    /// A commit touched what is observed.
    func wake() {
        let read = state.withLock { state -> Read? in
            guard state.started, !state.stopped else { return nil }
            guard !state.reading else {
                state.readAgain = true
                return nil
            }
            state.reading = true
            return state.read
        }
        if let read { readOnce(read) }
    }

    private func readOnce(_ read: @escaping Read) {
        read { result in
            switch result {
            case .success(let value):
                if let value { self.continuation.yield(value) }
            case .failure(let error):
                self.fail(error)
                return
            }
            let again = self.state.withLock { state -> Bool in
                guard state.readAgain, !state.stopped else {
                    state.reading = false
                    return false
                }
                state.readAgain = false
                return true
            }
            if again { self.readOnce(read) }
        }
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
            defer { state.observer = nil }
            return state.observer
        }
        withExtendedLifetime(observer) {}
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
