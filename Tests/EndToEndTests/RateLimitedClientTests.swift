import ChatAPI
import ChatServer
import ChatTestSupport
import Foundation
import Testing

/// Rate limits, from the client's side: a 429 means "later". Queued work waits the
/// server's `Retry-After` and is delivered; nothing is failed or lost.
@Suite struct RateLimitedClientTests {
    /// 600 lines into `termchat send --lines` against the default limits (60 messages at once,
    /// then 10 a second): every one arrives once, in order, the client waiting where told to.
    @Test(.timeLimit(.minutes(5))) func sixHundredMessagesInARowAreAllDeliveredOnce() async throws {
        let server = try await TestServer.start(configure: { $0.rateLimits = .defaults })
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        let lines = (1...600).map { String(format: "line %03d", $0) }
        let sent = try await ChildProcess.run(
            "termchat", ["send", bob.username, "--lines", "--wait", "240"], environment: alice.environment,
            input: lines.joined(separator: "\n") + "\n"
        )
        #expect(sent.status == 0, "\(sent.output)")
        #expect(sent.output.contains("Queued 600 messages."), "\(sent.output)")
        #expect(sent.output.contains("Sent 600 of 600."), "\(sent.output)")
        let synced = try await ChildProcess.run("termchat", ["sync", "--history", "all"], environment: bob.environment)
        #expect(synced.status == 0, "\(synced.output)")
        let received = try await ChildProcess.run("termchat", ["messages", alice.username, "--count", "1000", "--json"], environment: bob.environment)
        let texts = (try JSONSerialization.jsonObject(with: Data(received.output.utf8)) as? [[String: Any]])?.compactMap { $0["text"] as? String } ?? []
        #expect(texts == lines, "\(texts.count) received")
    }

    /// The TUI says it is rate limited and when it tries again, then delivers.
    @Test func theTUIShowsTheRateLimitedStateAndDeliversAfterIt() async throws {
        let server = try await TestServer.start(configure: {
            $0.rateLimits = .defaults
            $0.rateLimits[.messageAccount] = RateLimit(burst: 2, perMinute: 12)
        })
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        let made = try await ChildProcess.run("termchat", ["send", bob.username, "first"], environment: alice.environment)
        #expect(made.output.contains("Sent."), "\(made.output)")
        let a = try await TmuxSession.client(for: alice)
        try await a.waitFor("● online")
        try await a.press("Enter")
        try await a.waitFor("first")
        for text in ["second", "third"] { try await a.sendLine(text) }
        try await a.waitFor("Rate limited by the server, retrying in")
        try await a.waitFor("third ✓", timeout: .seconds(60))
        try await a.waitUntil("the rate-limit notice is gone once it went through") { !$0.contains("Rate limited") }
        await a.kill()
    }
}

/// `termchat send --lines` refuses what it cannot send before anything is queued.
@Suite struct SendLinesInputTests {
    @Test func emptyInputAndAnOverlongLineAreRefusedAndNothingIsQueued() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        let empty = try await ChildProcess.run("termchat", ["send", bob.username, "--lines"], environment: alice.environment, input: "\n  \n")
        #expect(empty.status != 0)
        #expect(empty.output.contains("Standard input held no line to send."), "\(empty.output)")
        let long = String(repeating: "x", count: ProtocolLimits.maxMessageTextBytes + 1)
        let refused = try await ChildProcess.run("termchat", ["send", bob.username, "--lines"], environment: alice.environment, input: "fine\n" + long + "\n")
        #expect(refused.status != 0)
        #expect(refused.output.contains("at most \(ProtocolLimits.maxMessageTextBytes) bytes"), "\(refused.output)")
        let both = try await ChildProcess.run("termchat", ["send", bob.username, "text", "--lines"], environment: alice.environment, input: "x\n")
        #expect(both.status != 0 && both.output.contains("give no text"), "\(both.output)")
        let sync = try await ChildProcess.run("termchat", ["sync"], environment: alice.environment)
        #expect(sync.output.contains("Delivered 0"), "nothing was queued: \(sync.output)")
    }
}
