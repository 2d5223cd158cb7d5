import ChatTestSupport
import Foundation
import Testing

/// Screen-reader mode, with the real binary under tmux, read line by line as a screen reader
/// would: find the unread chat, read it, answer, hear the newest message again; no screen holds
/// box drawing or block elements, every message line is `Name, HH:MM: text`, and the cursor is
/// on the selected chat.
@Suite struct ScreenReaderEndToEndTests {
    static func boxDrawing(in screen: String) -> [String] {
        screen.components(separatedBy: "\n").filter { line in line.unicodeScalars.contains { (0x2500...0x259F).contains($0.value) } }
    }

    static func isBobsMessage(_ line: String) -> Bool { line.wholeMatch(of: #/Bob, \d\d:\d\d: (are you there\?|lunch at noon)/#) != nil }
    static func isAlicesAnswer(_ line: String) -> Bool { line.wholeMatch(of: #/Alice, \d\d:\d\d: yes, see you \((delivered|read)\)/#) != nil }

    @Test func aPersonFindsTheUnreadChatReadsItAndAnswersWithoutLooking() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server, extra: ["TERMCHAT_SCREEN_READER": "1"])
        let bob = try await TestPerson.register("Bob", on: server)
        for text in ["are you there?", "lunch at noon"] {
            let sent = try await ChildProcess.run("termchat", ["send", alice.username, text], environment: bob.environment)
            #expect(sent.status == 0, "\(sent.output)")
        }
        let a = try await TmuxSession.client(for: alice, columns: 100, rows: 24, online: "\nOnline. ")
        // do/catch, not `stopping`: this body in its closure crashed Swift 6.3.1's SendNonSendable pass.
        do {
            var screen = try await a.waitFor("Bob, 2 unread")
            let lines = screen.components(separatedBy: "\n")
            #expect(lines[0].hasPrefix("Screen-reader mode, on by TERMCHAT_SCREEN_READER=1."), "\(screen)")
            let row = try #require(lines.firstIndex { $0.hasPrefix("Bob, 2 unread. Last, Bob: lunch at noon") }, "\(screen)")
            let cursor = try await a.cursor()
            #expect(cursor.row == row && cursor.column == 0, "the cursor is on the selected chat:\n\(screen)")
            #expect(Self.boxDrawing(in: screen).isEmpty, "\(screen)")

            try await a.press("Enter")
            screen = try await a.waitUntil("the chat is open") { $0.contains("Unread from here") && $0.contains(": lunch at noon\n") }
            let messages = screen.components(separatedBy: "\n").filter { $0.hasPrefix("Bob,") }
            #expect(messages.count == 2, "\(screen)")
            for line in messages { #expect(Self.isBobsMessage(line), "\(line)") }
            #expect(screen.contains("Unread from here: 2 new messages."), "\(screen)")
            try await a.type("yes, see you")
            try await a.press("Enter")
            screen = try await a.waitUntil("the answer is delivered") { $0.contains("yes, see you (delivered)") || $0.contains("yes, see you (read)") }
            #expect(screen.components(separatedBy: "\n").contains(where: Self.isAlicesAnswer), "\(screen)")
            #expect(Self.boxDrawing(in: screen).isEmpty, "\(screen)")
            try await a.press("F3")
            try await a.waitFor("Newest: Alice, ")
            try await a.press("F3")
            try await a.waitFor("2 back: Bob, ")
            try await a.press("F2")
            screen = try await a.waitFor("Writing to Bob")
            #expect(Self.boxDrawing(in: screen).isEmpty, "\(screen)")
        } catch {
            await a.kill()
            await server.stop()
            throw error
        }
        await a.kill()
        await server.stop()
    }
}
