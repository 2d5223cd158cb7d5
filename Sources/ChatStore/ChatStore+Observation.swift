import ChatAPI
import Foundation
import GRDB
import Synchronization

// MARK: Observation
//
// Every observation names the tables it reads; after a commit that touched one of them, its
// value is read again (see `ObservationDriver`) and handed on when it differs. The values that
// one write's observations read are handed on together, once the write is done (see
// `CommitDeliveries`): a screen gets them in one go, not a frame apart.
//
// Each is offered two ways: `observe…` as a stream that keeps only its newest value for a
// consumer that falls behind, and `watch…` with a handler called with each value as it is
// handed on (no task between the commit and the consumer; the handler must be quick).
//
// Not GRDB's ValueObservation: GRDB asks every observer about every statement a write runs,
// and a value observation answers by intersecting database regions (sets of lower-cased table
// names, built each time): in a burst of live messages that was 4 % of the client's CPU for
// four observations. A table observer answers with a set lookup.

extension ChatStore {
    /// Makes the handlers of one write's observations run inside `together` (e.g. a loop's
    /// inbox that then takes their values in one turn).
    public func handOnTogether(through together: @escaping @Sendable (_ deliver: () -> Void) -> Void) {
        deliveries.handOnTogether(through: together)
    }

    /// The chat list, now and after every change that affects it.
    public func observeChatList(archived: Bool? = false) -> AsyncThrowingStream<[ChatSummary], any Error> {
        Self.stream { watchChatList(archived: archived, $0) }
    }

    public func watchChatList(archived: Bool? = false, _ handler: @escaping @Sendable (Result<[ChatSummary], any Error>) -> Void)
        -> StoreObservation
    {
        let me = self.me
        return watch(ObservedTables.chatList, handler) { db in try ChatQueries.chatList(db, me: me, archived: archived) }
    }

    /// Every known user, now and after every change.
    public func observeUsers() -> AsyncThrowingStream<[UserID: UserInfo], any Error> {
        Self.stream { watchUsers($0) }
    }

    public func watchUsers(_ handler: @escaping @Sendable (Result<[UserID: UserInfo], any Error>) -> Void) -> StoreObservation {
        watch(["users"], handler) { db in
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
        Self.stream { watchNotes(chat, $0) }
    }

    public func watchNotes(_ chat: ChatID, _ handler: @escaping @Sendable (Result<[ChatNote], any Error>) -> Void) -> StoreObservation {
        watch(["chatNotes"], handler) { db in try Self.notes(db, chat) }
    }

    /// The window of `chat` at `position`, now and after every change to it or to the chat's
    /// known history; only the rows each commit changed are read (see `WindowFollower`).
    public func observeWindow(_ chat: ChatID, at position: WindowPosition) -> AsyncThrowingStream<ConversationWindow, any Error> {
        Self.stream { watchWindow(chat, at: position, $0) }
    }

    public func watchWindow(_ chat: ChatID, at position: WindowPosition,
                            _ handler: @escaping @Sendable (Result<ConversationWindow, any Error>) -> Void) -> StoreObservation {
        start(handler) { committed in
            let follower = WindowFollower(store: self, chat: chat, at: position, changed: committed)
            return (follower, { try await follower.start() }, { done in follower.update(done: done) }, { db in try follower.update(db) })
        }
    }

    /// `read` now and after every commit that touched one of `tables`, when its answer changed.
    func observe<Value: Equatable & Sendable>(_ tables: Set<String>, _ read: @escaping @Sendable (Database) throws -> Value)
        -> AsyncThrowingStream<Value, any Error>
    {
        Self.stream { watch(tables, $0, read) }
    }

    func watch<Value: Equatable & Sendable>(_ tables: Set<String>, _ handler: @escaping @Sendable (Result<Value, any Error>) -> Void,
                                            _ read: @escaping @Sendable (Database) throws -> Value) -> StoreObservation {
        let pool = self.pool
        return start(handler) { committed in
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

    /// What every observation runs: `make` makes what notices commits (kept alive while the
    /// observation lasts; it calls its argument with the writer's connection after each commit
    /// that matters) and answers how to register it and how to read the next value (nil:
    /// unchanged), on a reader's queue and on a given connection. It is registered first,
    /// without holding a thread while the writer is busy, so that a commit between it and the
    /// first read is read again, not lost; then the first value is read, then one per commit.
    func start<Value: Sendable>(
        _ handler: @escaping @Sendable (Result<Value, any Error>) -> Void,
        _ make: (_ committed: @escaping @Sendable (Database) -> Void)
            -> (any Sendable, @Sendable () async throws -> Void, ObservationDriver<Value>.Read, ObservationDriver<Value>.ReadNow)
    ) -> StoreObservation {
        let driver = ObservationDriver<Value>(deliveries: deliveries, handler: handler)
        let (observer, register, read, readNow) = make { db in driver.committed(db) }
        driver.prepare(observer: observer, read: read, readNow: readNow)
        let registering = Task {
            do {
                try await register()
                driver.start()
            } catch {
                driver.fail(error)
            }
        }
        return StoreObservation {
            // Stopped first: the registration's cancellation is then no failure to report.
            driver.stop()
            registering.cancel()
        }
    }

    /// An observation as a stream that keeps the newest value for its consumer; it ends with
    /// the consumer.
    static func stream<Value: Sendable>(_ watch: (@escaping @Sendable (Result<Value, any Error>) -> Void) -> StoreObservation)
        -> AsyncThrowingStream<Value, any Error>
    {
        AsyncThrowingStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let observation = watch { result in
                switch result {
                case .success(let value): continuation.yield(value)
                case .failure(let error): continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in observation.cancel() }
        }
    }
}

/// A running observation of the store, until `cancel()` or until the handle is released: its
/// handler is not called after that.
public final class StoreObservation: Sendable {
    private let stop: @Sendable () -> Void

    init(stop: @escaping @Sendable () -> Void) {
        self.stop = stop
    }

    deinit {
        stop()
    }

    public func cancel() {
        stop()
    }
}
