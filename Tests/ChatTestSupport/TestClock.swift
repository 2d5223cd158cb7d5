import Foundation
import Synchronization

/// A clock for a server under test that the test moves forward, so that "90 days idle" or
/// "a day old" takes no time: `configuration.now = clock.now`.
public final class TestClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    private let frozenAt: Date?

    /// `frozen`: time stands still but for `advance` (rate-limit buckets refill only when the
    /// test says, however slow the machine).
    public init(frozen: Bool = false) {
        frozenAt = frozen ? Date() : nil
    }

    /// The real time (or the frozen one) plus however far the test has moved the clock.
    public var now: @Sendable () -> Date {
        { [self] in (frozenAt ?? Date()).addingTimeInterval(offset.withLock { $0 }) }
    }

    public func advance(hours: Double) { offset.withLock { $0 += hours * 3600 } }
    public func advance(days: Double) { advance(hours: days * 24) }
}
