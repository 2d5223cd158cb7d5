import ChatAPI
import Foundation

/// Capped exponential backoff with jitter. A value type: the caller keeps it and asks for the
/// next delay; randomness comes in as a number so tests can pin it.
public struct Backoff: Sendable, Equatable {
    public var base: Duration
    public var cap: Duration
    public private(set) var attempt = 0

    public init(base: Duration = .milliseconds(500), cap: Duration = .seconds(30)) {
        self.base = base
        self.cap = cap
    }

    /// The delay before the next try: between half and all of `min(cap, base * 2^attempt)`
    /// ("equal jitter"), so clients that lost the same server do not return in step.
    public mutating func nextDelay(random: Double = Double.random(in: 0..<1)) -> Duration {
        let ceiling = min(cap, base * (1 << min(attempt, 30)))
        attempt += 1
        return ceiling / 2 + ceiling / 2 * min(max(random, 0), 1)
    }

    public mutating func reset() { attempt = 0 }
}

/// Notices that the wall clock moved much more than the monotonic clock: the machine slept
/// (or the clock was set), so connections are probably dead and waits are stale.
public struct WallClockJumpDetector: Sendable {
    public var threshold: TimeInterval
    private var last: (wall: Date, monotonic: Duration)?

    public init(threshold: TimeInterval = 5) {
        self.threshold = threshold
    }

    /// Feed a sample; answers true when the two clocks drifted apart by more than `threshold`
    /// since the previous sample.
    public mutating func observe(wall: Date, monotonic: Duration) -> Bool {
        defer { last = (wall, monotonic) }
        guard let last else { return false }
        let wallElapsed = wall.timeIntervalSince(last.wall)
        let monotonicElapsed = (monotonic - last.monotonic).inSeconds
        return abs(wallElapsed - monotonicElapsed) > threshold
    }
}
