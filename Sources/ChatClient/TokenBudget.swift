/// A budget of at most `capacity` tokens, refilled continuously at one per `interval`: what
/// the client's pacers spend (reads of the event socket, stores of live messages, frames).
/// A few things close together go at once; a steady stream goes one per interval. Pure: the
/// caller supplies the time, on any clock.
public struct TokenBudget<Instant: InstantProtocol & Sendable>: Sendable where Instant.Duration == Duration {
    public let capacity: Int
    public let interval: Duration
    /// Tokens now (fractions accrue as time passes), as of `countedAt`.
    public private(set) var tokens: Double
    private var countedAt: Instant?

    /// Starts full.
    public init(capacity: Int, interval: Duration) {
        self.capacity = max(1, capacity)
        self.interval = interval
        tokens = Double(self.capacity)
    }

    /// Adds what the time since the last count earned, up to the capacity.
    public mutating func accrue(to now: Instant) {
        if let countedAt, now > countedAt {
            tokens = min(Double(capacity), tokens + countedAt.duration(to: now) / interval)
        }
        countedAt = max(countedAt ?? now, now)
    }

    /// Spends one token at `now` (never below none).
    public mutating func spend(at now: Instant) {
        accrue(to: now)
        tokens = max(0, tokens - 1)
    }

    /// How long until `needed` tokens are there, as of the last count (zero: there now).
    public func wait(toHave needed: Double = 1) -> Duration {
        tokens >= needed ? .zero : interval * (needed - tokens)
    }
}
