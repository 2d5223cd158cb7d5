import ChatStore
import ChatTestSupport
import Foundation
import Testing

/// With the real binary under tmux: a server that hangs a download (takes the request and
/// answers nothing) holds back nothing typed after it. (The upstream's hang, `101 Switching
/// Protocols` and then nothing for a file that is gone, now fails at once: `FileTransferTests`.)
@Suite(.serialized) struct HangingDownloadEndToEndTests {
    @Test func aMessageAndAMuteTypedWhileADownloadHangsAreDoneAtOnce() async throws {
        let server = try await TestServer.start()
        let downloads = TemporaryDirectory.make()
        let alice = try await TestPerson.register("Alice", on: server, extra: ["XDG_DOWNLOAD_DIR": downloads])
        let bob = try await TestPerson.register("Bob", on: server)
        let files = TemporaryDirectory.make()
        try "the plan".write(toFile: files + "/plan.txt", atomically: true, encoding: .utf8)
        try await Self.send(alice, to: bob.username, "hello")
        try await Self.send(bob, to: alice.username, "--file", files + "/plan.txt")
        // Alice's termchat talks to the server through a proxy that hangs every file download.
        let proxy = ManglingProxy(to: server.port, count: 10, hangingWith: "") {
            $0.hasPrefix("GET ") && $0.contains("/files/")
        }
        defer {
            for _ in 0..<10 { proxy.release() }
            proxy.stop()
        }
        try alice.repoint(from: server.port, to: proxy.port)

        let a = try await TmuxSession.client(for: alice)
        try await a.waitFor("● online")
        try await a.press("Enter")
        try await a.waitFor("plan.txt ·")  // in the conversation (the list's preview names it too)
        try await a.press("/")
        try await a.type("save")
        try await a.press("Enter")
        try await a.waitFor("downloading")
        // While the download hangs: a message and a mute, at once.
        try await a.sendLine("sent while it hangs")
        try await a.type("/mute")
        try await a.press("Enter")
        try await a.waitFor("Chat muted.")
        try await a.waitFor("sent while it hangs ✓")
        // The message is on disk, in the cache, while the download still hangs.
        let cache = alice.environment["XDG_DATA_HOME"]! + "/termchat/127.0.0.1:\(proxy.port)/\(alice.username).sqlite"
        let store = try ChatStore(path: cache, me: 0)
        let chat = try #require(try store.chatList().first { $0.isMuted })
        #expect(try store.window(chat.id, at: .newest).messages.contains { $0.text == "sent while it hangs" })
        // Asked for again, it is cancelled.
        try await a.type("/save")
        try await a.press("Enter")
        try await a.waitFor("Download cancelled.")
        try await a.waitUntil("the attachment no longer says downloading") { !$0.contains("downloading") }
        await a.kill()
    }

    static func send(_ person: TestPerson, to chat: String, _ arguments: String...) async throws {
        let result = try await ChildProcess.run("termchat", ["send", chat] + arguments, environment: person.environment)
        guard result.status == 0 else { throw TestFailure("send failed: \(result.output)") }
    }
}
