import ChatAPI
import Foundation

/// **[ours]** The recent frames of every user who is connected, or was a moment ago, numbered in
/// one sequence for this stream, so that a client that reconnects gets what it missed instead of
/// catching up over REST (`ResumeRequest`). Pure bookkeeping: the hub keeps it under its lock.
///
/// A user's frames are complete after some number (`completeAfter`): every frame sent to the
/// user since then is held. Frames older than `window`, over `perUserLimit` for a user, or over
/// `logLimit` in all, are dropped from the front, and so is the history of a user disconnected
/// for longer than `window`; a position before what is held cannot resume.
///
/// Keep one, in place (the hub holds it under its lock): its users' frames are objects, so a
/// copy would share them.
struct StreamHistory<Frame> {
    /// New for every server run and after any moment this server may have missed events.
    let id: String
    let window: Duration
    let perUserLimit: Int
    /// The most frames held in all (the oldest go first).
    let logLimit: Int
    /// The number of the last frame sent.
    private(set) var seq: UInt64 = 0
    /// Every frame sent lately, each once, in number order: `log[i]` is frame `logBase + i`,
    /// and `log[..<logHead]` wait to be compacted away. A user's history is the numbers of its
    /// frames only, so that a frame to 100 users is stored once, not retained 100 times.
    private var log: [(frame: Frame, at: ContinuousClock.Instant)] = []
    private var logBase: UInt64 = 1
    private var logHead = 0
    private var users: [UserID: UserFrames] = [:]
    private var lastSweep: ContinuousClock.Instant?

    /// A class: a number is added in place through the dictionary (a struct there was copied
    /// on every frame, perf showed, with a retain of its array).
    private final class UserFrames {
        var seqs: [UInt64] = []
        /// `seqs[head...]` are held; the rest wait to be compacted away.
        var head = 0
        /// Every frame sent to the user after this number is held.
        var completeAfter: UInt64
        var connections = 0
        var idleSince: ContinuousClock.Instant?

        init(completeAfter: UInt64) { self.completeAfter = completeAfter }

        func append(_ seq: UInt64, limit: Int) {
            seqs.append(seq)
            while seqs.count - head > limit {
                completeAfter = seqs[head]
                head += 1
            }
            compactIfDue()
        }

        func dropFirst(while drop: (UInt64) -> Bool) {
            while head < seqs.count, drop(seqs[head]) {
                completeAfter = seqs[head]
                head += 1
            }
            compactIfDue()
        }

        private func compactIfDue() {
            if head > 32, head * 2 > seqs.count {
                seqs.removeFirst(head)
                head = 0
            }
        }
    }

    init(id: String = UUID().uuidString, window: Duration = .seconds(300), perUserLimit: Int = 1000, logLimit: Int = 50_000) {
        self.id = id
        self.window = window
        self.perUserLimit = perUserLimit
        self.logLimit = logLimit
    }

    /// A new stream with the same limits, holding nothing: no position of this one resumes.
    func startingAnew() -> StreamHistory {
        StreamHistory(window: window, perUserLimit: perUserLimit, logLimit: logLimit)
    }

    /// Numbers the next frame, made from its number by `make`, and holds it; `record` says
    /// for whom.
    mutating func append(at now: ContinuousClock.Instant, _ make: (UInt64) -> Frame) -> (seq: UInt64, frame: Frame) {
        seq += 1
        let frame = make(seq)
        log.append((frame, now))
        if log.count - logHead > logLimit {
            logHead += 1
            compactLogIfDue()
        }
        return (seq, frame)
    }

    /// Holds frame `seq` (the last appended) for `user`, when the user is connected or was lately.
    mutating func record(_ seq: UInt64, for user: UserID) {
        users[user]?.append(seq, limit: perUserLimit)
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
        let oldestLogged = logBase + UInt64(logHead)
        var frames: [Frame] = []
        for seq in held.seqs[held.head...] where seq > position.seq {
            // A frame dropped from the log (over its limit) that the user still counts.
            guard seq >= oldestLogged else { return nil }
            frames.append(log[Int(seq - logBase)].frame)
        }
        return frames
    }

    /// Drops frames older than `window` and the histories of users gone for longer; at most
    /// every few seconds, so that a busy hub does not sweep on every frame.
    mutating func sweepIfDue(at now: ContinuousClock.Instant) {
        if let lastSweep, now - lastSweep < .seconds(5) { return }
        lastSweep = now
        let oldest = now - window
        dropOldestLogged(before: oldest)
        let oldestLogged = logBase + UInt64(logHead)
        users = users.filter { _, frames in
            if let idle = frames.idleSince, idle < oldest { return false }
            frames.dropFirst { $0 < oldestLogged }
            return true
        }
    }

    private mutating func dropOldestLogged(before oldest: ContinuousClock.Instant) {
        while logHead < log.count, log[logHead].at < oldest { logHead += 1 }
        compactLogIfDue()
    }

    private mutating func compactLogIfDue() {
        if logHead > 32, logHead * 2 > log.count {
            log.removeFirst(logHead)
            logBase += UInt64(logHead)
            logHead = 0
        }
    }

    /// Users with a history (for tests and metrics).
    var userCount: Int { users.count }
}
