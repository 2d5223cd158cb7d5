import ChatAPI
import Foundation

/// **[ours]** The recent frames of every user who is connected, or was a moment ago, numbered in
/// one sequence for this stream, so that a client that reconnects gets what it missed instead of
/// catching up over REST (`ResumeRequest`). Pure bookkeeping: the hub keeps it under its lock.
///
/// A user's frames are complete after some number (`completeAfter`): every frame sent to the
/// user since then is held. Frames older than `window`, or over `perUserLimit`, are dropped
/// from the front, and so is the history of a user disconnected for longer than `window`; a
/// position before what is held cannot resume.
///
/// Keep one, in place (the hub holds it under its lock): its users' frames are objects, so a
/// copy would share them.
struct StreamHistory<Frame> {
    /// New for every server run and after any moment this server may have missed events.
    let id: String
    let window: Duration
    let perUserLimit: Int
    /// The number of the last frame sent.
    private(set) var seq: UInt64 = 0
    private var users: [UserID: UserFrames] = [:]
    private var lastSweep: ContinuousClock.Instant?

    /// A class: a frame is added in place through the dictionary (a struct there was copied
    /// on every frame, perf showed, with a retain of its array).
    private final class UserFrames {
        var frames: [(seq: UInt64, frame: Frame, at: ContinuousClock.Instant)] = []
        /// `frames[head...]` are held; the rest wait to be compacted away.
        var head = 0
        var completeAfter: UInt64
        var connections = 0
        var idleSince: ContinuousClock.Instant?

        init(completeAfter: UInt64) { self.completeAfter = completeAfter }

        var held: ArraySlice<(seq: UInt64, frame: Frame, at: ContinuousClock.Instant)> { frames[head...] }

        func append(_ frame: Frame, seq: UInt64, at now: ContinuousClock.Instant, limit: Int) {
            frames.append((seq, frame, now))
            var excess = frames.count - head - limit
            guard excess > 0 else { return }
            dropFirst { _, _ in
                defer { excess -= 1 }
                return excess > 0
            }
        }

        func dropFirst(while drop: (UInt64, ContinuousClock.Instant) -> Bool) {
            while head < frames.count, drop(frames[head].seq, frames[head].at) {
                completeAfter = frames[head].seq
                head += 1
            }
            if head > 32, head * 2 > frames.count {
                frames.removeFirst(head)
                head = 0
            }
        }
    }

    init(id: String = UUID().uuidString, window: Duration = .seconds(300), perUserLimit: Int = 1000) {
        self.id = id
        self.window = window
        self.perUserLimit = perUserLimit
    }

    /// A new stream with the same limits, holding nothing: no position of this one resumes.
    func startingAnew() -> StreamHistory {
        StreamHistory(window: window, perUserLimit: perUserLimit)
    }

    /// Numbers the next frame.
    mutating func nextSeq() -> UInt64 {
        seq += 1
        return seq
    }

    /// Holds `frame` (numbered `seq`) for `user`, when the user is connected or was lately.
    mutating func record(_ frame: Frame, seq: UInt64, for user: UserID, at now: ContinuousClock.Instant) {
        users[user]?.append(frame, seq: seq, at: now, limit: perUserLimit)
    }

    /// A connection of `user` starts: from here on every frame to the user is held.
    mutating func connected(_ user: UserID, at now: ContinuousClock.Instant) {
        sweepIfDue(at: now)
        let frames = users[user] ?? UserFrames(completeAfter: seq)
        users[user] = frames
        frames.connections += 1
        frames.idleSince = nil
    }

    mutating func disconnected(_ user: UserID, at now: ContinuousClock.Instant) {
        guard let frames = users[user] else { return }
        frames.connections = max(0, frames.connections - 1)
        if frames.connections == 0 { frames.idleSince = now }
        sweepIfDue(at: now)
    }

    /// Every frame sent to `user` after `position`, in order; nil when they are not all held
    /// (another stream, a position older than what is held, or one this stream never reached).
    func frames(after position: StreamPosition, for user: UserID) -> [Frame]? {
        guard position.stream == id, position.seq <= seq, let held = users[user], held.completeAfter <= position.seq else { return nil }
        return held.held.filter { $0.seq > position.seq }.map(\.frame)
    }

    /// Drops frames older than `window` and the histories of users gone for longer; at most
    /// every few seconds, so that a busy hub does not sweep on every frame.
    mutating func sweepIfDue(at now: ContinuousClock.Instant) {
        if let lastSweep, now - lastSweep < .seconds(5) { return }
        lastSweep = now
        let oldest = now - window
        users = users.filter { _, frames in
            if let idle = frames.idleSince, idle < oldest { return false }
            frames.dropFirst { _, at in at < oldest }
            return true
        }
    }

    /// Users with a history (for tests and metrics).
    var userCount: Int { users.count }
}
