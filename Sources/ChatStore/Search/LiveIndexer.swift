import Dispatch
import Synchronization

/// Indexes live messages for search in the background. A live write leaves its messages in
/// `searchPending`; a moment later this indexes what waits, `batch` rows per transaction.
///
/// Indexed in the live write itself, FTS5 wrote an index segment per commit and, every so
/// many commits, merged segments right there: one event applied usually took 0.45 ms and, at a
/// merge, 20-35 ms (the benchmark's row, p99 ≤ 1 ms in 5 of 5 runs, missed in its first run).
/// Batched, the segments are fewer and larger, and the event's commit writes no index pages.
/// Nothing is ever missing from search: a search indexes whatever waits before it looks, and
/// any other write of the store indexes what waits in its own transaction.
final class LiveIndexer: Sendable {
    private let queue = DispatchQueue(label: "termchat.store.index", qos: .utility)
    private let scheduled = Atomic(false)
    /// Entered while a run is scheduled or running (`settle` waits for it).
    private let running = DispatchGroup()
    private let delay: DispatchTimeInterval
    /// Indexes one batch; answers whether more waits.
    private let indexBatch: @Sendable () -> Bool

    init(delay: DispatchTimeInterval = .milliseconds(500), indexBatch: @escaping @Sendable () -> Bool) {
        self.delay = delay
        self.indexBatch = indexBatch
    }

    /// Live messages were written: index them soon (one run for any number of calls).
    func messagesWait() {
        guard scheduled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        running.enter()
        queue.asyncAfter(deadline: .now() + delay) { [self] in
            scheduled.store(false, ordering: .releasing)
            while indexBatch() {}
            running.leave()
        }
    }

    /// Waits until what was scheduled so far has run.
    func settle() {
        running.wait()
    }
}
