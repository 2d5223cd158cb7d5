import ChatAPI
import ChatApp
import ChatClient
import ChatStore
import ChatSync
import RealProcesses
import Foundation

/// The long-chat figures on the real `termchat` under tmux: `g` on a fresh cache of a
/// 5,000-message chat served on loopback, 200 PgUp at once and then one more key, and memory
/// after scrolling a 100,000-message chat to its first message and back.
enum RealLongChatBenchmarks {
    static let count = 5_000

    static func run(server: ServerUnderTest, log: (String) -> Void) async throws -> [Figure] {
        let accounts = try await RealClientBenchmarks.register(["longalice", "longbobby"], on: server)
        let chat = try await accounts[1].api.createChat(CreateChatRequest(participants: [accounts[0].userId]))
        try await post(count, into: chat.id, as: accounts[1])
        log("real: \(count) messages posted; g on a fresh cache, three times")
        var firsts: [Double] = []
        var last: TmuxSession?
        for run in 0..<3 {
            let home = NSTemporaryDirectory() + "termchat-bench-long-\(UUID().uuidString)"
            defer { if run < 2 { try? FileManager.default.removeItem(atPath: home) } }
            try RealClientBenchmarks.saveCredentials(accounts[0], home: home)
            let session = try await open(home: home)
            let started = ContinuousClock.now
            try await session.press("g")
            try await waitClosely(session, for: "history 00001")
            firsts.append((ContinuousClock.now - started).milliseconds)
            if run < 2 { await session.kill() } else { last = session }
        }
        guard let session = last else { return [] }
        defer { Task { await session.kill() } }
        log("real: g to the first message \(firsts.map { String(format: "%.0f", $0) }) ms; 200 PgUp then ?, five times")
        var answers: [Double] = []
        for _ in 0..<5 {
            try await session.press("G")
            try await session.waitUntil("at the newest", timeout: .seconds(30)) { !$0.contains(": newest)") && !$0.contains("history 00001") }
            try await session.press("PPage", times: 200)
            let asked = ContinuousClock.now
            try await session.press("?")
            try await waitClosely(session, for: "Help —")
            answers.append((ContinuousClock.now - asked).milliseconds)
            try await session.press("Escape")
            try await session.waitUntil("the help closed") { !$0.contains("Help —") }
        }
        log("real: ? after 200 PgUp \(answers.map { String(format: "%.0f", $0) }) ms")
        await session.kill()
        return [
            Figure(name: "real: g on a fresh cache, 5,000-message chat, loopback, until the first message shows (median of 3)",
                   samples: firsts, unit: "ms", budget: "<= 3 s") { $0 <= 3_000 },
            Figure(name: "real: 200 PgUp at once, then ?: its frame after it (median of 5, screen read every 2 ms)", samples: answers, unit: "ms",
                   budget: "<= 100 ms") { $0 <= 100 },
        ]
    }

    /// Reads the screen back to back (capture-pane takes 1–2 ms; the tests' 50 ms poll would
    /// round every figure up to it) until it shows `text`, for at most a minute.
    static func waitClosely(_ session: TmuxSession, for text: String) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await session.screen().contains(text) { return }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw BenchError("the screen never showed \(text)")
    }

    /// `count` messages `history 00001`… from `account`, four posts in flight.
    static func post(_ count: Int, into chat: ChatID, as account: Credentials) async throws {
        let api = account.api
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in stride(from: 1 + worker, through: count, by: 4) {
                        _ = try await api.postMessage(chat, PostMessageRequest(localId: "\(account.userId)+\(UUID().uuidString)",
                                                                               text: "history \(String(format: "%05d", index))"))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// A fresh `termchat` in `home` with the chat open and the keys in the conversation.
    static func open(home: String) async throws -> TmuxSession {
        let session = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: RealClientBenchmarks.environment(home: home),
                                            columns: 200, rows: 60)
        try await session.waitFor("● online", timeout: .seconds(60))
        try await session.press("Enter")
        // Open: at the newest line, or at the unread line (the cache counts its newest page
        // unread).
        try await session.waitUntil("the chat is open", timeout: .seconds(60)) { screen in
            screen.range(of: #"│( {7}|( [0-9]{2}:[0-9]{2} longbobby: ))history"#, options: .regularExpression) != nil
        }
        try await session.press("Tab")
        try await session.waitFor("i or Enter to write", timeout: .seconds(30))
        return session
    }

    /// RSS growth of `termchat` after paging the newest chat of the cache in `home` (offline)
    /// from its newest message to `firstText` and back with G.
    static func scrollMemory(home: String, chats: Int, firstText: String, log: (String) -> Void) async throws -> Double {
        let session = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: RealClientBenchmarks.environment(home: home),
                                            columns: 200, rows: 60)
        defer { Task { await session.kill() } }
        try await session.waitFor("Chats (\(chats))", timeout: .seconds(120))
        try await session.press("Enter")
        try await session.waitFor("message number", timeout: .seconds(60))
        try await session.press("Tab")
        try await session.waitFor("i or Enter to write", timeout: .seconds(30))
        // The chat is all unread and opens at its first unread message: from the newest.
        try await session.press("G")
        // At the newest: no "↓ … (G: newest)" hint under the messages (the list's heading has
        // arrows of its own).
        try await session.waitUntil("at the newest", timeout: .seconds(30)) { !$0.contains(": newest)") && !$0.contains(firstText) }
        let pid = try await session.panePID()
        let before = ProcessStats.residentBytes(pid: pid)
        let started = ContinuousClock.now
        // 2,500 pages at once (the chat is about 1,900 pages of one-line messages), as a key held
        // down: they add up, and the client works through them one window move at a time.
        for _ in 0..<5 { try await session.press("PPage", times: 500) }
        try await session.waitFor(firstText, timeout: .seconds(300))
        log("real: scrolled to the first of 100,000 in \(String(format: "%.1f", (ContinuousClock.now - started).seconds)) s (2,500 PgUp)")
        try await session.press("G")
        try await session.waitUntil("back at the newest") { !$0.contains(firstText) && !$0.contains(": newest)") }
        try await Task.sleep(for: .seconds(1))
        let after = ProcessStats.residentBytes(pid: pid)
        log("real: RSS \(before / 1_048_576) MB before the scroll, \(after / 1_048_576) MB after")
        await session.kill()
        return Double(after - before) / 1_048_576
    }
}
