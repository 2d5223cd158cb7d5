import Foundation
import Synchronization

/// Token hash → caller, so an authenticated request need not read the sessions table. Any
/// change to sessions (a login's new token, a logout) empties it and bumps its generation; a
/// lookup that read the table before such a change cannot store what it read, so a revoked
/// token is never served from here.
final class CallerCache: Sendable {
    private struct State {
        var generation = 0
        var callers: [String: (caller: Caller, usedAt: Date)] = [:]
        var isSuspended = false
    }

    /// Enough for every session of a busy server; past it the cache starts over.
    static let capacity = 100_000
    private let state = Mutex(State())

    /// The caller of `hash`, if cached and its session's recorded use is not older than
    /// `usedSince` (an older one is read again, to record its use and check its idle limit).
    func caller(forTokenHash hash: String, usedSince: Date) -> Caller? {
        state.withLock { state in
            guard let entry = state.callers[hash], entry.usedAt >= usedSince else { return nil }
            return entry.caller
        }
    }

    /// Take before reading the table; pass to `store`.
    var generation: Int { state.withLock { $0.generation } }

    func store(_ caller: Caller, usedAt: Date, forTokenHash hash: String, readAt generation: Int) {
        state.withLock { state in
            guard state.generation == generation, !state.isSuspended else { return }
            if state.callers.count >= Self.capacity { state.callers.removeAll() }
            state.callers[hash] = (caller, usedAt)
        }
    }

    /// Call after every change to sessions has been written.
    func invalidate() {
        state.withLock { state in
            state.generation += 1
            state.callers.removeAll()
        }
    }

    /// Empties the cache and stops it storing: while this instance cannot hear of logouts done
    /// on another, every request reads the sessions table.
    func suspend() {
        state.withLock { state in
            state.generation += 1
            state.callers.removeAll()
            state.isSuspended = true
        }
    }

    /// Starts storing again, once changes made elsewhere are heard again.
    func resume() {
        state.withLock { state in
            state.generation += 1
            state.callers.removeAll()
            state.isSuspended = false
        }
    }
}
