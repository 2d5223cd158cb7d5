import Synchronization

/// Lets a worker loop sleep until there is work: `wait(upTo:)` returns when `wake()` is called,
/// when the time is up, or when the task is cancelled. A wake with nobody waiting is kept, so
/// the next wait returns at once and no work is missed.
public final class WakeSignal: Sendable {
    private struct State {
        var waiter: CheckedContinuation<Void, Never>?
        var pending = false
    }

    private let state = Mutex(State())

    public init() {}

    /// A wake is kept for the next wait (for tests).
    var isPending: Bool { state.withLock { $0.pending } }
    /// Somebody waits (for tests).
    var hasWaiter: Bool { state.withLock { $0.waiter != nil } }

    public func wake() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            if state.waiter == nil { state.pending = true }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Waits for a wake-up, at most `limit` (forever if nil).
    public func wait(upTo limit: Duration?) async {
        // A timer cancelled because the wait ended otherwise must not wake: its wake would be
        // kept for the next wait, which then returned at once, and so on for ever (a loop that
        // waits with a limit spun). It is awaited, so nothing of this wait outlives it.
        let timer = limit.map { limit in
            Task {
                guard (try? await Task.sleep(for: limit)) != nil else { return }
                self.wake()
            }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = waiter
                    return false
                }
                if resumeNow { waiter.resume() }
            }
        } onCancel: {
            self.wake()
        }
        timer?.cancel()
        await timer?.value
    }
}
