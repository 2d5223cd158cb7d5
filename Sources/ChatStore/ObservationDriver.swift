import GRDB
import Synchronization

/// Reads an observation's value after each commit and hands it on: one read at a time,
/// commits that land during a read folded into one more read.
///
/// A commit is read at once on the connection that made it, on the writer's queue (GRDB's own
/// write-only observations do the same): that connection's page cache still holds the pages
/// the commit touched, where a reader's cache is emptied by any commit and would read them
/// from disk again, and no thread is woken for it; every observation a commit touched is read
/// there in turn, and their values are handed on together once the write is done (see
/// `CommitDeliveries`). The first value, and the read that folds
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
        /// Reads are numbered as they begin; a value older than one handed on is dropped.
        var reads = 0
        var handedOn = 0
    }

    private let state = Mutex(State())
    private let deliveries: CommitDeliveries
    private let handler: @Sendable (Result<Value, any Error>) -> Void

    init(deliveries: CommitDeliveries = CommitDeliveries(), handler: @escaping @Sendable (Result<Value, any Error>) -> Void) {
        self.deliveries = deliveries
        self.handler = handler
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
        let read = state.withLock { state -> (Read, Int)? in
            guard begin(&state), let read = state.read else { return nil }
            return (read, state.reads)
        }
        if let (read, number) = read { readOnce(read, number) }
    }

    /// A commit touched what is observed; `db` is the connection that made it, on the
    /// writer's queue. Read on it now, unless a read is running (then once more after it).
    func committed(_ db: Database) {
        let next = state.withLock { state -> NextRead in
            guard begin(&state) else { return .nothing }
            if let readNow = state.readNow { return .now(readNow, state.reads) }
            if let read = state.read { return .reader(read, state.reads) }
            state.reading = false
            return .nothing
        }
        switch next {
        case .nothing: return
        case .reader(let read, let number): readOnce(read, number)
        case .now(let readNow, let number):
            do {
                finished(with: try readNow(db), number: number, held: true)
            } catch {
                fail(error)
            }
        }
    }

    private enum NextRead {
        case nothing
        case now(ReadNow, Int)
        case reader(Read, Int)
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
        state.reads += 1
        return true
    }

    private func readOnce(_ read: @escaping Read, _ number: Int) {
        read { result in
            switch result {
            case .success(let value):
                self.finished(with: value, number: number)
            case .failure(let error):
                self.fail(error)
            }
        }
    }

    /// Hands read `number`'s value on (`held`: with the other values of its write, when it
    /// ends), then reads once more if commits came meanwhile. The read is over before its value
    /// is handed on: a commit made by whoever the value goes to (a handler that writes) is read
    /// on the writer at once, not left to a later read; should its newer value be handed on
    /// first, this older one is dropped.
    private func finished(with value: Value?, number: Int, held: Bool = false) {
        let again = state.withLock { state -> (Read, Int)? in
            guard state.readAgain, !state.stopped, let read = state.read else {
                state.reading = false
                state.readAgain = false
                return nil
            }
            state.readAgain = false
            state.reads += 1
            return (read, state.reads)
        }
        if let value {
            let deliver: @Sendable () -> Void = { [self] in
                let current = state.withLock { state in
                    guard !state.stopped, number > state.handedOn else { return false }
                    state.handedOn = number
                    return true
                }
                if current { handler(.success(value)) }
            }
            if held { deliveries.deliver(deliver) } else { deliver() }
        }
        if let (read, number) = again { readOnce(read, number) }
    }

    func fail(_ error: any Error) {
        let first = state.withLock { state in
            defer { state.stopped = true }
            return !state.stopped
        }
        stop()
        if first { handler(.failure(error)) }
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

