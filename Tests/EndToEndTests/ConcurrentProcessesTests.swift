import ChatTestSupport
import Foundation
import Testing

/// Several `termchat` processes opening a cache that does not exist yet.
@Suite(.serialized) struct ConcurrentProcessesTests {
    /// Twenty `termchat send` started at once on a fresh account: all exit 0, every message is
    /// delivered once, and no cache is moved aside as damaged (creation and migration by one
    /// process are not damage seen by another).
    @Test func twentySendsStartedAtOnceOnAFreshAccountAreAllDeliveredOnce() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        let results = try await withThrowingTaskGroup(of: (status: Int32, output: String).self) { group in
            for index in 0..<20 {
                group.addTask { try await ChildProcess.run("termchat", ["send", bob.username, "at once \(index)"], environment: alice.environment) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for result in results { #expect(result.status == 0, "\(result.output)") }
        #expect(!results.contains { $0.output.contains("damaged") || $0.output.contains("lost") }, "\(results.map(\.output))")
        let data = alice.environment["XDG_DATA_HOME"]! + "/termchat"
        let files = FileManager.default.enumerator(atPath: data)?.allObjects as? [String] ?? []
        #expect(!files.contains { $0.contains("damaged") }, "\(files)")
        // Anything only queued goes with the next run; then Bob has each one once.
        let synced = try await ChildProcess.run("termchat", ["sync"], environment: alice.environment)
        #expect(synced.status == 0, "\(synced.output)")
        let received = try await ChildProcess.run("termchat", ["messages", alice.username, "--json"], environment: bob.environment)
        let texts = (try JSONSerialization.jsonObject(with: Data(received.output.utf8)) as? [[String: Any]])?.compactMap { $0["text"] as? String } ?? []
        #expect(texts.sorted() == (0..<20).map { "at once \($0)" }.sorted(), "\(received.output)")
    }

    /// The TUI and a script started at the same moment on a fresh account: one of them creates
    /// the cache while the other waits for it. Both work, the message is delivered once and
    /// shows in the TUI, and nothing is moved aside.
    @Test func theTUIAndASendStartedAtTheSameMomentOnAFreshAccountBothWork() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        // The TUI first, the script right after it without waiting: both are still starting
        // when the first opens the cache. (Started the other way round, tmux's server could
        // inherit the script's output pipe and the test would wait for it forever.)
        let screen = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice.environment, columns: 120, rows: 32)
        try await stopping({ await screen.kill(); await server.stop() }) {
            let result = try await ChildProcess.run("termchat", ["send", bob.username, "from a script at start"], environment: alice.environment)
            #expect(result.status == 0, "\(result.output)")
            try await screen.waitFor("● online")
            try await screen.waitFor("from a script")
            let data = alice.environment["XDG_DATA_HOME"]! + "/termchat"
            let files = FileManager.default.enumerator(atPath: data)?.allObjects as? [String] ?? []
            #expect(!files.contains { $0.contains("damaged") }, "\(files)")
            let received = try await ChildProcess.run("termchat", ["messages", alice.username, "--json"], environment: bob.environment)
            let texts = (try JSONSerialization.jsonObject(with: Data(received.output.utf8)) as? [[String: Any]])?.compactMap { $0["text"] as? String } ?? []
            #expect(texts == ["from a script at start"], "\(received.output)")
        }
    }
}

/// With `--wait N`, `termchat send` tries for N seconds, not once.
@Suite struct SendWaitTests {
    @Test func sendKeepsTryingWithinItsWait() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        let first = try await ChildProcess.run("termchat", ["send", bob.username, "hello"], environment: alice.environment)
        #expect(first.status == 0 && first.output.contains("Sent."), "\(first.output)")
        // The first answer to the next post is garbled (the message may or may not be stored):
        // the client must try again within its wait, and the server keeps it once.
        let proxy = ManglingProxy(to: server.port) { $0.hasPrefix("POST /chats/") && $0.contains("/messages ") }
        defer { proxy.stop() }
        try alice.repoint(from: server.port, to: proxy.port)
        let second = try await ChildProcess.run("termchat", ["send", bob.username, "--wait", "20", "after one failed attempt"], environment: alice.environment)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("Sent."), "\(second.output)")
        #expect(proxy.mangledCount == 1)
        let received = try await ChildProcess.run("termchat", ["messages", alice.username, "--json"], environment: bob.environment)
        let texts = (try JSONSerialization.jsonObject(with: Data(received.output.utf8)) as? [[String: Any]])?.compactMap { $0["text"] as? String } ?? []
        #expect(texts == ["hello", "after one failed attempt"], "\(received.output)")
    }
}
