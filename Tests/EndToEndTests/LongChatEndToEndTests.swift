import ChatTestSupport
import Foundation
import Testing

/// A 5,000-message chat in the real client under tmux: held PgUp never queues up behind the
/// screen, `g` reaches the first message from a fresh cache, and the unread line stands above
/// the first of 300 unread messages.
@Suite(.serialized) struct LongChatEndToEndTests {
    static let count = 5_000

    /// Opens the chat with Bob in a fresh `termchat` and gives the keys to the conversation.
    static func openChat(_ alice: TestPerson) async throws -> TmuxSession {
        let a = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice.environment, columns: 100, rows: 30)
        try await a.waitFor("● online", timeout: .seconds(60))
        try await a.waitFor("Bob: history")  // the list's preview
        try await a.press("Enter")
        try await a.waitUntil("the chat is open", timeout: .seconds(60)) { screen in
            screen.range(of: #"│( {7}|( [0-9]{2}:[0-9]{2} Bob: ))history"#, options: .regularExpression) != nil
        }
        try await a.press("Tab")  // to the conversation
        try await a.waitFor("i or Enter to write")
        return a
    }

    /// The numbers of the `history NNNNN` messages on a screen.
    static func numbers(_ screen: String) -> [Int] {
        screen.split(separator: "\n").compactMap { line in
            line.range(of: "│ .*history ([0-9]{5})", options: .regularExpression).flatMap { Int(line[$0].suffix(5)) }
        }
    }

    @Test func twoHundredPageUpsThenHelpAndGReachesTheFirstMessageFromAFreshCache() async throws {
        try await withServer { server in
            let alice = try await TestPerson.register("Alice", on: server)
            let bob = try await TestPerson.register("Bob", on: server)
            let (_, refused) = try await bob.postHistory(1...Self.count, to: alice, on: server)
            #expect(refused == 0)
            let a = try await Self.openChat(alice)
            do {
                // g from a cache that holds only the newest page: the rest is fetched, and the
                // view lands on the first message.
                try await a.press("g")
                try await a.waitFor("history 00001", timeout: .seconds(60))
                #expect(try await a.screen().contains("the beginning of this chat"))
                try await a.press("G")
                // The newest again: the posts were concurrent, so the newest is near 5,000.
                try await a.waitUntil("back at the newest") { screen in
                    !screen.contains("↓") && Self.numbers(screen).contains { $0 > 4_900 }
                }
                // 200 PgUp at once, then ?: the help shows (awaited, never timed), and the
                // client answers at once after it: Esc closes it.
                try await a.press("PPage", times: 200)
                try await a.press("?")
                try await a.waitFor("Help —", timeout: .seconds(30))
                try await a.press("Escape")
                try await a.waitUntil("the help closed") { !$0.contains("Help —") }
                // Every one of the 200 pages was carried out: 200 × 24 rows of one-line
                // messages is about 4,800 messages back from the 5,000th.
                let screen = try await a.waitUntil("the 200 pages are carried out", timeout: .seconds(30)) { screen in
                    Self.numbers(screen).contains { $0 <= 600 }
                }
                #expect(Self.numbers(screen).allSatisfy { $0 < 1_000 }, "\(screen)")
                await a.kill()
            } catch {
                await a.kill()
                throw error
            }
        }
    }

    @Test func theUnreadLineStandsAboveTheFirstOf300Unread() async throws {
        try await withServer { server in
            let alice = try await TestPerson.register("Alice", on: server)
            let bob = try await TestPerson.register("Bob", on: server)
            // Alice has read the first 200 (her client marks what it shows), then 300 more come.
            _ = try await bob.postHistory(1...200, to: alice, on: server)
            let first = try await Self.openChat(alice)
            // Quitting runs what is queued (the read mark) before the process ends; the cache
            // then counts nothing unread.
            try await first.press("C-q")
            for _ in 0..<200 {
                let chats = try await ChildProcess.run("termchat", ["chats", "--json", "--offline"], environment: alice.environment)
                if chats.output.contains("\"unread\":0") || chats.output.contains("\"unread\" : 0") { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            await first.kill()
            let (chatId, refused) = try await bob.postHistory(201...500, to: alice, on: server, workers: 1)
            #expect(refused == 0 && !chatId.isEmpty)
            let a = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice.environment, columns: 100, rows: 30)
            do {
                try await a.waitFor("● online", timeout: .seconds(60))
                try await a.waitFor("300", timeout: .seconds(30))  // the unread count in the list
                try await a.press("Enter")
                let screen = try await a.waitFor("── 300 new ──", timeout: .seconds(60))
                let lines = screen.split(separator: "\n").map(String.init)
                let marker = try #require(lines.firstIndex { $0.contains("── 300 new ──") })
                #expect(lines[marker + 1].contains("history 00201"), "\(screen)")
                await a.kill()
            } catch {
                await a.kill()
                throw error
            }
        }
    }
}
