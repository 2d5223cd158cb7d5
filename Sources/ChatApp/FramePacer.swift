/// Spaces frames at least `interval` apart: a change after a quiet spell is drawn at once; a
/// change sooner than that is drawn once the interval is up, together with every change in
/// between (one frame, the newest state). Pure: the caller supplies the time and the timer.
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
    private var lastDraw: ContinuousClock.Instant?
    private var changedSinceDraw = false
    private var wakeUpPending = false

    public init(interval: Duration = .milliseconds(16)) {
        self.interval = interval
    }

    /// The state changed at `now`.
    public mutating func changed(at now: ContinuousClock.Instant) -> Decision {
        guard let lastDraw, now - lastDraw < interval else { return .draw }
        changedSinceDraw = true
        guard !wakeUpPending else { return .skip }
        wakeUpPending = true
        return .wait(interval - (now - lastDraw))
    }

    /// The wake-up asked for by `.wait` arrived.
    public mutating func due() -> Decision {
        wakeUpPending = false
        return changedSinceDraw ? .draw : .skip
    }

    /// A frame was drawn at `now`.
    public mutating func drawn(at now: ContinuousClock.Instant) {
        lastDraw = now
        changedSinceDraw = false
    }
}
