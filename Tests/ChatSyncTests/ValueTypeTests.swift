import ChatAPI
import ChatClient
import Foundation
import Testing
@testable import ChatSync

@Suite struct TypingTrackerTests {
    let chat = UUID()
    let start = Date(timeIntervalSince1970: 1_000)

    @Test func incomingTypingExpiresAfterSixSecondsUnlessRenewed() {
        var tracker = TypingTracker()
        tracker.started(7, in: chat, at: start)
        #expect(tracker.typing(at: start.addingTimeInterval(5.9)) == [chat: [7]])
        #expect(tracker.typing(at: start.addingTimeInterval(6.1)).isEmpty)
        tracker.started(7, in: chat, at: start.addingTimeInterval(5))  // renewed
        #expect(tracker.typing(at: start.addingTimeInterval(10)) == [chat: [7]])
        #expect(tracker.nextExpiry == start.addingTimeInterval(11))
        tracker.stopped(7, in: chat)
        #expect(tracker.typing(at: start.addingTimeInterval(10)).isEmpty)
        tracker.started(8, in: chat, at: start)
        tracker.clearIncoming()
        #expect(tracker.nextExpiry == nil)
    }

    @Test func outgoingStartedIsSentAtMostEveryThreeSecondsAndStoppedOnlyAfterStarted() {
        var tracker = TypingTracker()
        let sends = [0.0, 1, 2.9, 3.0, 4, 6.5].map { tracker.shouldSendStarted(in: chat, at: start.addingTimeInterval($0)) }
        #expect(sends == [true, false, false, true, false, true])
        let stops = [chat, chat, UUID()].map { tracker.shouldSendStopped(in: $0) }
        #expect(stops == [true, false, false])
    }

    @Test func upstreamTypingWithoutAChatIdIsAttributed() {
        let open = UUID()
        let personal = UUID()
        #expect(TypingTracker.attribute(from: 5, openChat: (open, [1, 5, 6]), personalChats: [(personal, [1, 5])]) == open)
        #expect(TypingTracker.attribute(from: 5, openChat: (open, [1, 6]), personalChats: [(personal, [1, 5])]) == personal)
        #expect(TypingTracker.attribute(from: 9, openChat: nil, personalChats: [(personal, [1, 5])]) == nil)
    }
}

@Suite struct RetryPolicyTests {
    @Test func offlineAndServerFailuresRetryWithGrowingDelaysAndRefusalsFail() {
        let policy = RetryPolicy(backoff: Backoff(base: .seconds(1), cap: .seconds(60)))
        #expect(policy.decide(.unreachable("refused"), attempts: 0, random: 1) == .retry(after: .seconds(1)))
        #expect(policy.decide(.unreachable("refused"), attempts: 3, random: 1) == .retry(after: .seconds(8)))
        #expect(policy.decide(.server(status: 503, reason: "busy"), attempts: 10, random: 1) == .retry(after: .seconds(60)))
        #expect(policy.decide(.server(status: 400, reason: "Too long."), attempts: 0) == .fail(reason: "Too long."))
        #expect(policy.decide(.server(status: 403, reason: "Blocked."), attempts: 0) == .fail(reason: "Blocked."))
        #expect(policy.decide(.server(status: 401, reason: "Sign in."), attempts: 0) == .signedOut)
    }

    /// The server's own failure of one change, six times in a row,
    /// fails it; unavailable and full-disk answers pass by themselves and are never counted.
    @Test func aServerFailureThatRepeatsFailsTheChangeAfterSixTries() {
        let policy = RetryPolicy(backoff: Backoff(base: .seconds(1), cap: .seconds(60)))
        #expect(policy.decide(.server(status: 500, reason: "Gone."), attempts: 4, random: 1) == .retry(after: .seconds(16)))
        #expect(policy.decide(.server(status: 500, reason: "Gone."), attempts: 5) == .fail(reason: "The server failed it 6 times in a row: Gone."))
        #expect(policy.decide(.server(status: 503, reason: "Busy."), attempts: 50, random: 1) == .retry(after: .seconds(60)))
        #expect(policy.decide(.server(status: 507, reason: "Full."), attempts: 50, random: 1) == .retry(after: .seconds(60)))
        #expect(policy.decide(.unreachable("refused"), attempts: 50, random: 1) == .retry(after: .seconds(60)))
    }

    /// A 429 waits what the server said, whatever the attempt count.
    @Test func aRateLimitWaitsTheServersRetryAfter() {
        let policy = RetryPolicy(backoff: Backoff(base: .seconds(1), cap: .seconds(60)))
        #expect(policy.decide(.rateLimited(retryAfter: 4, reason: "Too many."), attempts: 9, random: 1) == .retry(after: .seconds(4)))
        #expect(policy.decide(.rateLimited(retryAfter: 0, reason: "Too many."), attempts: 0, random: 1) == .retry(after: .seconds(1)))
    }
}
