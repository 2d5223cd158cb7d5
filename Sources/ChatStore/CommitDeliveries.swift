import Synchronization

/// What observations read after a commit, handed on together once the write that made the
/// commit is done. Each observation reads the commit in turn on the writer's queue; handed on
/// one by one, the open chat's new window could reach the screen a frame after the chat list's
/// new preview (each a change, each a frame, and in a burst of changes the second waited for
/// the frame budget). Together, one commit is one change to draw.
///
/// `ChatStore.write` holds deliveries while it runs and releases them when it returns. A
/// commit made by any other write is handed on at once, unless a held write is still being
/// released: then it goes with that one, a moment later. Nothing waits for more than the end
/// of the write that is running.
final class CommitDeliveries: Sendable {
    private struct State {
        var holding = false
        var pending: [@Sendable () -> Void] = []
        var together: @Sendable (_ deliver: () -> Void) -> Void = { $0() }
    }

    private let state = Mutex(State())

    /// A write begins (on the writer's queue): what its commit's observations read waits for
    /// `release()`.
    func hold() {
        state.withLock { $0.holding = true }
    }

    /// Hands `delivery` on now, or at the release when a write holds deliveries.
    func deliver(_ delivery: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            guard state.holding else { return true }
            state.pending.append(delivery)
            return false
        }
        if now { delivery() }
    }

    /// The write is done: everything held is handed on, in the order it was read, inside
    /// `together` (the consumer's way of taking them as one).
    func release() {
        let (pending, together) = state.withLock { state in
            defer {
                state.holding = false
                state.pending = []
            }
            return (state.pending, state.together)
        }
        guard !pending.isEmpty else { return }
        together {
            for delivery in pending { delivery() }
        }
    }

    /// How the handlers of one write's observations are called together (by default, just
    /// one after another).
    func handOnTogether(through together: @escaping @Sendable (_ deliver: () -> Void) -> Void) {
        state.withLock { $0.together = together }
    }
}
