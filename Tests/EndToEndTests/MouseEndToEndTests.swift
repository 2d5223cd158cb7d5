import ChatTestSupport
import Foundation
import Testing

/// The mouse, on the real binary under tmux: the terminal's own SGR report of a
/// click (what a terminal writes when the program asked for mouse mode 1006) opens the
/// chat under it, whether the terminfo entry names the mouse prefix (xterm's `kmous=\E[<`,
/// read by ncurses as KEY_MOUSE) or not (tmux's own entry).
@Suite(.serialized) struct MouseEndToEndTests {
    /// The raw report of a left press and release at a 0-based cell.
    static func click(row: Int, column: Int) -> String {
        "\u{1B}[<0;\(column + 1);\(row + 1)M\u{1B}[<0;\(column + 1);\(row + 1)m"
    }

    /// The row of the chat list (the left 30 columns) that shows `title`.
    static func listRow(of title: String, in lines: [String]) -> Int? {
        lines.firstIndex { $0.prefix(30).contains(title) }
    }

    /// Whether the conversation pane (right of the list, above the status line) shows `text`.
    static func conversationShows(_ text: String, _ screen: String) -> Bool {
        screen.split(separator: "\n").dropLast().contains { $0.dropFirst(33).contains(text) }
    }

    @Test(arguments: ["xterm-256color", "tmux-256color"])
    func clickingTheSecondChatOpensIt(term: String) async throws {
        try await withServer { server in
            let alice = try await TestPerson.register("Alice", on: server, extra: ["TERM": term])
            let bob = try await TestPerson.register("Bob", on: server)
            let carol = try await TestPerson.register("Carol", on: server)
            let a = try await TmuxSession.client(for: alice)
            do {
                #expect(try await a.mouseModes() == "1 1")
                for (title, member) in [("Garden", bob), ("Kitchen", carol)] {
                    try await a.type("/group \(title) @\(member.username)")
                    try await a.press("Enter")
                    try await a.waitFor("Group \(title) created.")
                }
                try await a.type("The kitchen is open")
                try await a.press("Enter")
                // Kitchen goes on top (newest) once the list has its message (the message may be
                // drawn a frame before the list moves); Garden, the second chat, is below it.
                let screen = try await a.waitUntil("Kitchen is listed above Garden") { screen in
                    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    guard screen.contains("The kitchen is open"), let garden = Self.listRow(of: "Garden", in: lines),
                          let kitchen = Self.listRow(of: "Kitchen", in: lines) else { return false }
                    return kitchen < garden
                }
                let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                guard let row = Self.listRow(of: "Garden", in: lines) else { throw TestFailure("the list does not show Garden:\n\(screen)") }
                try await a.type(Self.click(row: row, column: 4))
                // The conversation pane's header names the opened chat.
                try await a.waitUntil("Garden is open") { Self.conversationShows("Garden", $0) }
                // And the compose box has the focus: typed text lands in Garden.
                try await a.type("planted")
                try await a.press("Enter")
                let garden = try await a.waitUntil("the message is in Garden") { Self.conversationShows("planted", $0) }
                #expect(!Self.conversationShows("The kitchen is open", garden), "\(garden)")
            } catch {
                await a.kill()
                throw error
            }
            await a.kill()
        }
    }

    @Test func turnedOffInTheConfigTheProgramAsksForNoMouse() async throws {
        try await withServer { server in
            let alice = try await TestPerson.register("Alice", on: server)
            let config = alice.environment["XDG_CONFIG_HOME"]! + "/termchat"
            try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
            try "[mouse]\nenabled = false\n".write(toFile: config + "/config.toml", atomically: true, encoding: .utf8)
            let a = try await TmuxSession.client(for: alice)
            do {
                #expect(try await a.mouseModes() == "0 0")
            } catch {
                await a.kill()
                throw error
            }
            await a.kill()
        }
    }
}
