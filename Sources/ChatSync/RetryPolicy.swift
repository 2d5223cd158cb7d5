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

    public func decide(_ error: ClientError, attempts: Int, random: Double = .random(in: 0..<1)) -> RetryDecision {
        if error.isUnauthorized { return .signedOut }
        guard error.isRetryable else { return .fail(reason: error.userMessage) }
        // The server said when: then, not sooner (and not the backoff's minute later either).
        if case .rateLimited(let seconds, _) = error { return .retry(after: .seconds(max(1, seconds))) }
        var backoff = backoff
        for _ in 0..<min(attempts, 30) { _ = backoff.nextDelay(random: 1) }
        return .retry(after: backoff.nextDelay(random: random))
    }
}
