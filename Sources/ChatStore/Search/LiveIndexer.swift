import Dispatch
import Synchronization

/// Indexes live messages for search in the background. A live write leaves its messages in
/// `searchPending`; once live writes pause for `quiet` (or `patience` after the first waiting
/// one, in a stream that never pauses), this indexes what waits, `batch` rows a transaction.
///
/// Indexed in the live write itself, FTS5 wrote an index segment per commit and, every so many
/// commits, merged segments right there: one event applied usually took 0.45 ms and, at a
/// merge, 20-35 ms. Indexed on a timer in the middle of a stream of events, the batch held the
/// writer as long and the events behind it waited (p99 4.9 ms in one run). In a pause nobody
/// waits for it. Nothing is ever missing from search: a search indexes whatever waits before
/// it looks, and any other write of the store indexes what waits in its own transaction.
final class LiveIndexer: Sendable {
    private struct State {
        var scheduled = false
        var firstWaiting: DispatchTime?
        var lastWrite = DispatchTime.now()
    }

    private let queue = DispatchQueue(label: "termchat.store.index", qos: .utility)
    private let state = Mutex(State())
    /// Entered while a run is scheduled or running (`settle` waits for it).
    private let running = DispatchGroup()
    private let quiet: DispatchTimeInterval
    private let patience: DispatchTimeInterval
    /// Indexes one batch; answers whether more waits.
    private let indexBatch: @Sendable () -> Bool

    init(quiet: DispatchTimeInterval = .milliseconds(300), patience: DispatchTimeInterval = .seconds(30),
         indexBatch: @escaping @Sendable () -> Bool) {
        self.quiet = quiet
        self.patience = patience
        self.indexBatch = indexBatch
    }

    /// Live messages were written: index them in the next pause (one run for any number).
    func messagesWait() {
        let now = DispatchTime.now()
        let schedule = state.withLock { state -> Bool in
            state.lastWrite = now
            if state.firstWaiting == nil { state.firstWaiting = now }
            guard !state.scheduled else { return false }
            state.scheduled = true
            return true
        }
        if schedule {
            running.enter()
            check(after: quiet)
        }
    }

    /// Rows indexed in one transaction.
    static let batch = 200

    /// Whether a run is scheduled: live messages wait, and other writes index one batch of
    /// them, not all (all of them in their own transaction held the writer: a read mark in a
    /// burst indexed thousands of messages, and a frame skipped 65).
    var isWaiting: Bool {
        state.withLock { $0.scheduled }
    }

    /// Waits until what was scheduled so far has run.
    func settle() {
        running.wait()
    }

    private func check(after delay: DispatchTimeInterval) {
        queue.asyncAfter(deadline: .now() + delay) { [self] in
            let now = DispatchTime.now()
            let wait = state.withLock { state -> DispatchTime? in
                let due = min(state.lastWrite + quiet, (state.firstWaiting ?? now) + patience)
                if now < due { return due }
                state.scheduled = false
                state.firstWaiting = nil
                return nil
            }
            if let wait {
                check(after: .nanoseconds(Int(wait.uptimeNanoseconds - now.uptimeNanoseconds)))
                return
            }
            while indexBatch() {}
            running.leave()
        }
    }
}
