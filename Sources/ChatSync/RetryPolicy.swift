import ChatClient
import Foundation

/// What to do after a failed delivery attempt.
public enum RetryDecision: Sendable, Equatable {
    /// Try again after this long (offline, or the server's own failure).
    case retry(after: Duration)
    /// The server refused it for good (4xx): the user decides.
    case fail(reason: String)
    /// The token no longer works: stop and ask the user to sign in.
    case signedOut
}

/// Turns delivery errors into decisions, with capped exponential backoff by attempt.
public struct RetryPolicy: Sendable {
    public var backoff: Backoff

    public init(backoff: Backoff = Backoff(base: .seconds(1), cap: .seconds(60))) {
        self.backoff = backoff
    }

    /// Tries a change gets while the server answers it with its own failure.
    public static let serverFailureLimit = 6

    public func decide(_ error: ClientError, attempts: Int, random: Double = .random(in: 0..<1)) -> RetryDecision {
        if error.isUnauthorized { return .signedOut }
        guard error.isRetryable else { return .fail(reason: error.userMessage) }
        // The server said when: then, not sooner (and not the backoff's minute later either).
        if case .rateLimited(let seconds, _) = error { return .retry(after: .seconds(max(1, seconds))) }
        // The server's own failure, again and again, for this one change: it will not go (a
        // DELETE the upstream answered 500 on every one of 28 tries held its chat's later
        // changes back for ever). Failed with its reason, the person retries or discards it.
        // Unavailable, gateway and full-disk answers pass by themselves and are not counted.
        if case .server(let status, let reason) = error, status >= 500, ![502, 503, 504, 507].contains(status),
           attempts + 1 >= Self.serverFailureLimit {
            return .fail(reason: Said.failedInARow(attempts + 1, reason))
        }
        var backoff = backoff
        for _ in 0..<min(attempts, 30) { _ = backoff.nextDelay(random: 1) }
        return .retry(after: backoff.nextDelay(random: random))
    }
}
