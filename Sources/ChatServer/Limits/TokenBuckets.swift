import Foundation
import Synchronization

/// Token buckets by key, in memory. Each key's bucket starts full, loses one token per
/// request and refills continuously; a request that finds less than one token is refused with
/// the time until one is back.
final class TokenBuckets: Sendable {
    private struct Bucket {
        var tokens: Double
        var updatedAt: Double
    }

    private struct State {
        var buckets: [String: Bucket] = [:]
        /// Past this many keys, full buckets (which say nothing) are forgotten. It doubles
        /// with what a sweep keeps, so that many busy keys (an attack from many addresses)
        /// are not swept again on every request.
        var sweepAt = TokenBuckets.minimumSweepThreshold
    }

    private let limit: RateLimit
    private let state = Mutex(State())
    private static let minimumSweepThreshold = 50_000

    init(_ limit: RateLimit) {
        self.limit = limit
    }

    /// Takes `cost` tokens for `key`; answers nil when taken, else the seconds until there is
    /// enough (nothing is taken then).
    func take(_ key: String, cost: Double = 1, now: Double) -> Double? {
        state.withLock { state in
            var bucket = refilled(state.buckets[key], now: now)
            guard bucket.tokens >= cost else { return wait(for: cost - bucket.tokens) }
            bucket.tokens -= cost
            state.buckets[key] = bucket
            if state.buckets.count > state.sweepAt {
                state.buckets = state.buckets.filter { refilled($0.value, now: now).tokens < limit.burst }
                state.sweepAt = max(Self.minimumSweepThreshold, state.buckets.count * 2)
            }
            return nil
        }
    }

    /// Whether `key` has `cost` tokens now; answers the seconds until it will when not.
    func check(_ key: String, cost: Double = 1, now: Double) -> Double? {
        state.withLock { state in
            let bucket = refilled(state.buckets[key], now: now)
            return bucket.tokens >= cost ? nil : wait(for: cost - bucket.tokens)
        }
    }

    private func refilled(_ bucket: Bucket?, now: Double) -> Bucket {
        guard var bucket else { return Bucket(tokens: limit.burst, updatedAt: now) }
        let elapsed = max(0, now - bucket.updatedAt)
        bucket.tokens = min(limit.burst, bucket.tokens + elapsed * limit.perMinute / 60)
        bucket.updatedAt = now
        return bucket
    }

    private func wait(for missing: Double) -> Double {
        missing * 60 / limit.perMinute
    }
}
