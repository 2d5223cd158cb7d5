import ChatTestSupport
import Foundation
import Testing

/// Message actions end to end: the real server and real `termchat` processes under tmux, driven by
/// keys like a person: a message picked with the selection cursor, saved and answered; the
/// next unread chat by its key; a mention in a muted chat ringing once.
@Suite(.serialized) struct MessageActionsEndToEndTests {
    func open(_ person: TestPerson) async throws -> TmuxSession { try await TmuxSession.client(for: person) }

    func send(_ person: TestPerson, to chat: String, _ arguments: String...) async throws {
        let result = try await ChildProcess.run("termchat", ["send", chat] + arguments, environment: person.environment)
        guard result.status == 0 else { throw TestFailure("send failed: \(result.output)") }
    }

    @Test func theThirdNewestOfTheirsIsSavedUnderItsNameAndAnsweredWithAQuote() async throws {
        let server = try await TestServer.start()
        let downloads = TemporaryDirectory.make()
        // The opener is a command the path is appended to: here, a copy into `opened`.
        let opened = TemporaryDirectory.make()
        let alice = try await TestPerson.register("Alice", on: server, extra: ["XDG_DOWNLOAD_DIR": downloads, "TERMCHAT_OPENER": "cp -t \(opened)"])
        let bob = try await TestPerson.register("Bob", on: server)
        let files = TemporaryDirectory.make()
        try "plan A".write(toFile: files + "/plan-a.txt", atomically: true, encoding: .utf8)
        try "plan B, the one we keep".write(toFile: files + "/plan-b.txt", atomically: true, encoding: .utf8)
        // Bob: two files, then two lines; Alice answers once in between. Bob's third-newest
        // message is plan-b.txt.
        try await send(bob, to: alice.username, "--file", files + "/plan-a.txt")
        try await send(bob, to: alice.username, "--file", files + "/plan-b.txt")
        try await send(alice, to: bob.username, "mine in between")
        try await send(bob, to: alice.username, "two")
        try await send(bob, to: alice.username, "three")

        let a = try await open(alice)
        var b: TmuxSession?
        do {
            try await a.acceptClipboard()
            try await a.waitFor("Bob: three")
            #expect(try await a.title().hasSuffix(") TermChat"), "the unread count is in the title")
            try await a.press("Enter")
            try await a.waitFor("new ──")
            try await a.waitUntil("the chat is read") { !$0.contains("Bob (") }
            try await waitForTitle(a, "TermChat")
            // Into the conversation, the cursor on the newest; copy it.
            try await a.press("Tab")
            try await a.press("v")
            try await a.waitFor("r reply · e edit")
            try await a.press("y")
            try await a.waitFor("Copied to the clipboard.")
            #expect(try await a.clipboard() == "three")
            // Up past "two" and Alice's own line to plan-b.txt, and save it under its name.
            try await a.press("Up", "Up", "Up")
            try await a.waitUntil("plan-b.txt is selected") { screen in
                screen.components(separatedBy: "\n").contains { $0.contains("▌") && $0.contains("plan-b.txt") }
            }
            try await a.press("s")
            let saved = downloads + "/plan-b.txt"
            try await a.waitFor("Saved to \(saved).")
            #expect(try String(contentsOfFile: saved, encoding: .utf8) == "plan B, the one we keep")
            #expect(!FileManager.default.fileExists(atPath: downloads + "/plan-a.txt"))
            // O opens it with the opener (the file saved a moment ago: it is on this device now).
            try await a.press("O")
            try await a.waitFor("Opened plan-b.txt.")
            try await eventually("the opener ran") { FileManager.default.fileExists(atPath: opened + "/plan-b.txt") }
            #expect(try String(contentsOfFile: opened + "/plan-b.txt", encoding: .utf8) == "plan B, the one we keep")
            // Reply to it; Bob's TermChat shows the quote above the answer.
            try await a.press("r")
            try await a.waitFor("replying to Bob: 📎 plan-b.txt")
            try await a.type("got it, thanks")
            try await a.press("Enter")
            try await a.waitFor("got it, thanks ✓")

            let bobSession = try await open(bob)
            b = bobSession
            try await bobSession.waitFor("Alice:")
            try await bobSession.press("Enter")
            let screen = try await bobSession.waitFor("got it, thanks")
            let lines = screen.components(separatedBy: "\n")
            let quote = try #require(lines.firstIndex { $0.contains("┃ Bob: 📎 plan-b.txt") }, "the quote:\n\(screen)")
            #expect(lines[quote + 1].contains("got it, thanks"))
            // Any other client reads it as plain text.
            let plain = try await ChildProcess.run("termchat", ["messages", alice.username, "--count", "1"], environment: bob.environment)
            #expect(plain.output.contains("> Bob: 📎 plan-b.txt"))
        } catch {
            await a.kill()
            await b?.kill()
            await server.stop()
            throw error
        }
        await a.kill()
        await b?.kill()
        await server.stop()
    }

    @Test func theUnreadKeyJumpsAndAMentionInAMutedChatRingsOnce() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        let carol = try await TestPerson.register("Carol", on: server)
        let a = try await open(alice)
        do {
            // A muted group with Carol.
            try await a.type("/group Quiet @\(carol.username)")
            try await a.press("Enter")
            try await a.waitFor("Quiet · 2 members")
            try await a.type("/mute")
            try await a.press("Enter")
            try await a.waitFor("Chat muted.")
            try await a.press("Escape")
            try await a.waitFor("i or Enter to write")

            // Bob writes; u (from the list) opens his chat, the next unread.
            try await send(bob, to: alice.username, "are you there?")
            try await a.waitFor("Bob (1)")
            try await waitForTitle(a, "(1) TermChat")
            try await a.press("u")
            try await a.waitFor("── 1 new ──")
            try await waitForTitle(a, "TermChat")
            try await a.press("Escape")

            // Carol writes in the muted group: quiet. Then a mention: one bell.
            let bells = try await a.countBells()
            let quiet = try await ChildProcess.run("termchat", ["chats"], environment: carol.environment).output
                .components(separatedBy: "\n").first { $0.contains("Quiet") }?.split(separator: " ").first.map(String.init)
            let group = try #require(quiet, "Carol's chat list names the group")
            try await send(carol, to: group, "just chatting")
            try await a.waitFor("Carol: just chatting")
            try await send(carol, to: group, "@\(alice.username) look at this")
            try await a.waitFor("Quiet (2) @ ~")
            try await eventually("the bell rang") { (try? String(contentsOfFile: bells, encoding: .utf8))?.isEmpty == false }
            // More chatter in the muted chat rings nothing more.
            try await send(carol, to: group, "and more")
            try await a.waitFor("Quiet (3) @ ~")
            #expect(try String(contentsOfFile: bells, encoding: .utf8) == "bell\n", "one bell, for the mention")

            // Alt-a, from the compose box too: the mention's chat is next.
            try await a.press("i")
            try await a.press("M-a")
            try await a.waitFor("Quiet · 2 members")
            try await a.waitFor("── 3 new ──")
        } catch {
            await a.kill()
            await server.stop()
            throw error
        }
        await a.kill()
        await server.stop()
    }

    /// Waits until the pane's title (OSC 2) is `expected`.
    func waitForTitle(_ session: TmuxSession, _ expected: String) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        var last = ""
        while clock.now < deadline {
            last = try await session.title()
            if last == expected { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("the title stayed \"\(last)\", not \"\(expected)\"")
    }
}
