import ChatAPI
import Foundation

/// Applies `RateLimits`: one set of token buckets per limit, refusals as `429` with
/// `Retry-After`, each counted in `/metrics` by the limit's name.
final class RateLimiter: Sendable {
    private let buckets: [RateLimits.Name: TokenBuckets]
    private let metrics: ServerMetrics
    private let clock: @Sendable () -> Double

    /// `clock` is the server's, in seconds (a clock set back refills nothing; set forward, it
    /// refills as if the time had passed).
    init(_ limits: RateLimits, metrics: ServerMetrics, clock: @escaping @Sendable () -> Double) {
        buckets = limits.limits.mapValues(TokenBuckets.init)
        self.metrics = metrics
        self.clock = clock
    }

    /// Takes one request's token from `name`'s bucket for `key`, or throws the refusal. A nil
    /// key (no address known) is not limited by that bucket.
    func take(_ name: RateLimits.Name, _ key: String?) throws(APIError) {
        guard let key, let bucket = buckets[name] else { return }
        if let wait = bucket.take(key, now: clock()) { throw refusal(name, wait: wait) }
    }

    /// Refuses when `name`'s bucket for `key` is empty, without taking from it.
    func check(_ name: RateLimits.Name, _ key: String?) throws(APIError) {
        guard let key, let bucket = buckets[name] else { return }
        if let wait = bucket.check(key, now: clock()) { throw refusal(name, wait: wait) }
    }

    /// Takes a token when one is there, and never refuses (a failure already answered).
    func charge(_ name: RateLimits.Name, _ key: String?) {
        guard let key, let bucket = buckets[name] else { return }
        _ = bucket.take(key, now: clock())
    }

    private func refusal(_ name: RateLimits.Name, wait: Double) -> APIError {
        metrics.rateLimited(name.rawValue)
        let seconds = max(1, Int(wait.rounded(.up)))
        return APIError(status: .tooManyRequests, reason: "\(Self.what(name)); try again in \(seconds) s.", retryAfter: seconds)
    }

    private static func what(_ name: RateLimits.Name) -> String {
        switch name {
        case .loginAddress: "Too many sign-ins from this address"
        case .failedLoginAccount: "Too many failed sign-ins for this account"
        case .failedLoginAddress: "Too many failed sign-ins from this address"
        case .registerAddress: "Too many new accounts from this address"
        case .messageAccount, .messageAddress: "Too many messages at once"
        case .uploadAccount, .uploadAddress: "Too many uploads at once"
        case .writeAccount, .writeAddress: "Too many changes at once"
        }
    }
}
