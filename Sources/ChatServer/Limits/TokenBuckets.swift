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

    private let limit: RateLimit
    private let buckets = Mutex<[String: Bucket]>([:])
    /// Past this many keys, full buckets (which say nothing) are forgotten.
    private static let sweepThreshold = 50_000

    init(_ limit: RateLimit) {
        self.limit = limit
    }

    /// Takes `cost` tokens for `key`; answers nil when taken, else the seconds until there is
    /// enough (nothing is taken then).
    func take(_ key: String, cost: Double = 1, now: Double) -> Double? {
        buckets.withLock { buckets in
            var bucket = refilled(buckets[key], now: now)
            guard bucket.tokens >= cost else { return wait(for: cost - bucket.tokens) }
            bucket.tokens -= cost
            buckets[key] = bucket
            if buckets.count > Self.sweepThreshold { sweep(&buckets, now: now) }
            return nil
        }
    }

    /// Whether `key` has `cost` tokens now; answers the seconds until it will when not.
    func check(_ key: String, cost: Double = 1, now: Double) -> Double? {
        buckets.withLock { buckets in
            let bucket = refilled(buckets[key], now: now)
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

    private func sweep(_ buckets: inout [String: Bucket], now: Double) {
        buckets = buckets.filter { refilled($0.value, now: now).tokens < limit.burst }
    }
}
