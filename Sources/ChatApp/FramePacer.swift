/// Keeps frames to a budget: at most `burst` at once, refilled one per `interval`. A change
/// with a frame in the budget is drawn at once; otherwise it is drawn when the next frame is
/// earned, together with every change in between (one frame, the newest state). Pure: the
/// caller supplies the time and the timer.
///
/// Why a budget and not one frame per interval: one message on the other side brings several
/// changes a few milliseconds apart (the typing line, the chat list, the open chat's window).
/// Spaced an interval apart, the first of them could hold the new message back most of an
/// interval (the per-hop trace showed a reduced window waiting behind a typing-line frame).
/// With a budget they are all drawn as they come, and a burst still costs at most
/// `burst + seconds / interval` frames: with 3 and 18 ms, at most 58 in any second.
public struct FramePacer: Sendable {
    public enum Decision: Equatable, Sendable {
        /// Draw now.
        case draw
        /// Draw when a wake-up after this delay arrives (call `due()` then).
        case wait(Duration)
        /// A wake-up is already on its way, or nothing changed: nothing to do.
        case skip
    }

    public let interval: Duration
    public let burst: Int
    /// Frames that may be drawn now (fractions accrue as time passes), as of `countedAt`.
    private var frames: Double
    private var countedAt: ContinuousClock.Instant?
    private var changedSinceDraw = false
    private var wakeUpPending = false

    public init(interval: Duration = .milliseconds(18), burst: Int = 3) {
        self.interval = interval
        self.burst = max(1, burst)
        frames = Double(self.burst)
    }

    /// The state changed at `now`.
    public mutating func changed(at now: ContinuousClock.Instant) -> Decision {
        accrue(to: now)
        changedSinceDraw = true
        guard !wakeUpPending else { return .skip }
        if frames >= 1 { return .draw }
        wakeUpPending = true
        return .wait(interval * (1 - frames))
    }

    /// The wake-up asked for by `.wait` arrived.
    public mutating func due() -> Decision {
        wakeUpPending = false
        return changedSinceDraw ? .draw : .skip
    }

    /// A frame was drawn at `now`.
    public mutating func drawn(at now: ContinuousClock.Instant) {
        accrue(to: now)
        // A late timer may draw a little before the frame is whole; it is owed, not lost.
        frames -= 1
        changedSinceDraw = false
    }

    private mutating func accrue(to now: ContinuousClock.Instant) {
        if let countedAt, now > countedAt {
            frames = min(Double(burst), frames + (now - countedAt) / interval)
        }
        countedAt = max(countedAt ?? now, now)
    }
}
