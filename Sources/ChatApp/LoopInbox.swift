import Synchronization

/// What the drawing loop takes: everything put since its last turn, at once. The loop reduces
/// all of it and then decides once whether to draw, so changes that arrive together (a
/// commit's chat list and window, keys typed while a frame was made) are one frame, not one
/// frame each with the later ones waiting for the frame budget.
public final class LoopInbox<Input: Sendable>: Sendable {
    private struct State {
        var pending: [Input] = []
        var finished = false
        /// Open `together` calls: what is put meanwhile waits for the last to close.
        var together = 0
    }

    private let state = Mutex(State())
    /// One wake-up stands for any number of inputs put since the last turn.
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    public init() {
        (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Adds `input`; a pending input it `supersedes` (an older value of the same observation)
    /// is dropped, so a loop that falls behind holds one value per observation, not a backlog.
    public func put(_ input: Input, supersedes: ((Input) -> Bool)? = nil) {
        let accepted = state.withLock { state -> Bool in
            guard !state.finished else { return false }
            if let supersedes { state.pending.removeAll(where: supersedes) }
            state.pending.append(input)
            return state.together == 0
        }
        if accepted { wake.yield() }
    }

    /// Everything `body` puts (from any thread, while it runs) is taken in one turn: a store
    /// write's observations, handed on one after another, are one change to the loop.
    public func together(_ body: () -> Void) {
        state.withLock { $0.together += 1 }
        body()
        let wakeNow = state.withLock { state -> Bool in
            state.together -= 1
            return state.together == 0 && !state.pending.isEmpty
        }
        if wakeNow { wake.yield() }
    }

    /// Nothing more will be put; the loop takes what is pending, then ends.
    public func finish() {
        state.withLock { $0.finished = true }
        wake.finish()
    }

    /// Everything put since the last call, waiting until there is something; nil once finished
    /// and taken.
    public func next() async -> [Input]? {
        var wakes = wakeUps.makeAsyncIterator()
        while true {
            let taken = state.withLock { state -> [Input] in
                guard state.together == 0 else { return [] }
                defer { state.pending.removeAll(keepingCapacity: true) }
                return state.pending
            }
            if !taken.isEmpty { return taken }
            if await wakes.next() == nil {
                let rest = state.withLock { state -> [Input] in
                    defer { state.pending = [] }
                    return state.pending
                }
                return rest.isEmpty ? nil : rest
            }
        }
    }
}
