import ChatTestSupport
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A long chat read back to its first message in the real client: the cache first, then the
/// server, never "the beginning of this chat" before it is true.
@Suite(.serialized) struct LongHistoryTests {
    static let count = 10_000

    /// Scrolling up reaches the real first message of a 10,000-message chat,
    /// first through pages from the server, then, in a second run with the server gone, from
    /// the cache alone.
    @Test func scrollingBackReachesTheFirstOf10000Messages() async throws {
        try await withServer { server in
            let alice = try await TestPerson.register("Alice", on: server)
            let bob = try await TestPerson.register("Bob", on: server)
            let (_, refused) = try await bob.postHistory(1...Self.count, to: alice, on: server)
            #expect(refused == 0)
            // Alice's first sync caches only the newest page: the rest comes from the server.
            #expect(try await ChildProcess.run("termchat", ["sync"], environment: alice.environment).status == 0)
            let online = try await Self.scrollToTheBeginning(alice)
            #expect(online.contains("the beginning of this chat"), "\(online)")
            #expect(online.contains("history 00001"), "\(online)")

            // All of it is cached now: with the server gone, the cache alone reaches the start.
            await server.stop()
            let offline = try await Self.scrollToTheBeginning(alice, waitFor: "offline")
            #expect(offline.contains("the beginning of this chat"), "\(offline)")
            #expect(offline.contains("history 00001"), "\(offline)")
        }
    }

    /// Opens the chat in a fresh client and presses g, as a person would, until the beginning
    /// shows (a press while a page is loading just goes to the top of what is there).
    static func scrollToTheBeginning(_ alice: TestPerson, waitFor status: String = "● online") async throws -> String {
        let a = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice.environment, columns: 100, rows: 30)
        do {
            try await a.waitFor(status)
            // The list may still be loading from the cache: Enter until the chat is open (its
            // messages, with their times, are on the right).
            try await a.waitFor("history ")
            try await a.press("Enter")
            try await a.waitUntil("the chat is open") { screen in
                // One run of Bob's messages: a name and time, then the rest indented.
                screen.range(of: #"│( {7}|( [0-9]{2}:[0-9]{2} Bob: ))history"#, options: .regularExpression) != nil
            }
            try await a.press("Tab")  // to the conversation
            try await a.waitFor("i or Enter to write")  // the compose box gave up the keys
            var screen = try await a.screen()
            /// The oldest message on screen.
            func top(_ screen: String) -> String? {
                for line in screen.split(separator: "\n") {
                    if let found = line.range(of: "history ") { return String(line[found.upperBound...].prefix(5)) }
                }
                return nil
            }
            for _ in 0..<(Self.count / 20) where !screen.contains("the beginning of this chat") {
                let before = top(screen)
                try await a.press("g")
                for _ in 0..<40 {
                    screen = try await a.screen()
                    if top(screen) != before || screen.contains("the beginning of this chat") { break }
                    try await Task.sleep(for: .milliseconds(25))
                }
            }
            await a.kill()
            return screen
        } catch {
            await a.kill()
            throw error
        }
    }
}
