import ChatClient

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
///
/// A change that can wait (the typing line, a clock) is drawn at once only when the budget is
/// whole; otherwise it goes with the next frame, or when the budget is whole again (within
/// `burst` intervals). Someone typing quickly sends a typing notice a few milliseconds before
/// each message, and spent on the notice, the frame made the message wait most of an interval.
public struct FramePacer: Sendable {
    public enum Decision: Equatable, Sendable {
        /// Draw now.
        case draw
        /// Draw when a wake-up after this delay arrives (call `due(at:)` then).
        case wait(Duration)
        /// A wake-up is already on its way, or nothing changed: nothing to do.
        case skip
    }

    /// Frames that may be drawn now.
    private var frames: TokenBudget<ContinuousClock.Instant>
    private var changedSinceDraw = false
    /// Whether a change since the last frame is one somebody waits for.
    private var urgentSinceDraw = false
    /// When the earliest wake-up on its way is due (nil: none).
    private var wakeUpAt: ContinuousClock.Instant?
    /// A timer may wake a little early: that much of a frame counts as earned.
    private static let tolerance = 0.02

    public init(interval: Duration = .milliseconds(18), burst: Int = 3) {
        frames = TokenBudget(capacity: burst, interval: interval)
    }

    public var interval: Duration { frames.interval }
    public var burst: Int { frames.capacity }

    /// The state changed at `now`; `urgent`: somebody waits for it (a key, a new message).
    public mutating func changed(at now: ContinuousClock.Instant, urgent: Bool = true) -> Decision {
        frames.accrue(to: now)
        changedSinceDraw = true
        urgentSinceDraw = urgentSinceDraw || urgent
        return decide(at: now)
    }

    /// A wake-up asked for by `.wait` arrived (or one that an earlier wake-up replaced).
    public mutating func due(at now: ContinuousClock.Instant) -> Decision {
        frames.accrue(to: now)
        if let wakeUpAt, wakeUpAt <= now + interval * Self.tolerance { self.wakeUpAt = nil }
        guard changedSinceDraw else { return .skip }
        return decide(at: now)
    }

    /// A frame was drawn at `now`.
    public mutating func drawn(at now: ContinuousClock.Instant) {
        frames.spend(at: now)
        changedSinceDraw = false
        urgentSinceDraw = false
    }

    /// Draw when the budget has the frame the changes need; otherwise make sure a wake-up
    /// comes when it will.
    private mutating func decide(at now: ContinuousClock.Instant) -> Decision {
        let needed = urgentSinceDraw ? 1 : Double(burst)
        if frames.tokens >= needed - Self.tolerance { return .draw }
        let wakeUp = now + frames.wait(toHave: needed)
        // A wake-up as early is on its way: it draws these changes too.
        if let wakeUpAt, wakeUpAt <= wakeUp { return .skip }
        wakeUpAt = wakeUp
        return .wait(wakeUp - now)
    }
}
