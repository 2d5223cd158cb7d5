import ChatClient

/// When the engine stores the next live messages: at once while the budget has a store in it
/// (at most `burst` at once, refilled one per `interval`), otherwise when the next is earned,
/// with every message that arrived meanwhile. A burst then costs a commit (and a read of every
/// observer, and a frame) per interval, not per few messages; messages a person types, even
/// quickly one after another, are stored as they come. Before, any message within an interval
/// of the last store waited for the interval's end: typed messages 17-20 ms apart each waited
/// a few milliseconds. Pure: the caller supplies the time.
struct StorePacer {
    private var budget: TokenBudget<ContinuousClock.Instant>

    init(interval: Duration = .milliseconds(20), burst: Int = 2) {
        budget = TokenBudget(capacity: burst, interval: interval)
    }

    var interval: Duration { budget.interval }
    var burst: Int { budget.capacity }

    /// How long to wait at `now` before storing (zero: store now).
    mutating func wait(at now: ContinuousClock.Instant) -> Duration {
        budget.accrue(to: now)
        return budget.wait()
    }

    /// Messages were stored at `now`.
    mutating func stored(at now: ContinuousClock.Instant) {
        budget.spend(at: now)
    }
}
