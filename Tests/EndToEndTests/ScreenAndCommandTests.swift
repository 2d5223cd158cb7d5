import ChatTestSupport
import Foundation
import Testing

/// The real client under tmux: a resize redraws at once, and `/group` with people who
/// already share a group says so and opens it.
@Suite(.serialized) struct ScreenAndCommandTests {
    @Test func aResizeRedrawsAtOnceWithoutAKey() async throws {
        try await withServer { server in
            let alice = try await TestPerson.register("Alice", on: server)
            let a = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice.environment, columns: 120, rows: 32)
            do {
                try await a.waitFor("● online")
                _ = try await ChildProcess.run("/usr/bin/tmux", ["-L", a.socket, "resize-window", "-t", a.name, "-x", "70", "-y", "18"])
                // The status bar moves to the new last row (row 18) with no key pressed.
                let screen = try await a.waitUntil("the frame is redrawn at 70×18") { screen in
                    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
                    return lines.count >= 18 && lines[17].contains("● online")
                }
                #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 70 })
            } catch {
                await a.kill()
                throw error
            }
            await a.kill()
        }
    }

    @Test func aGroupWithTheSamePeopleIsTheExistingGroup() async throws {
        try await withServer { server in
            let alice = try await TestPerson.register("Alice", on: server)
            let bob = try await TestPerson.register("Bob", on: server)
            let a = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice.environment)
            do {
                try await a.waitFor("● online")
                try await a.type("/group Team @\(bob.username)")
                try await a.press("Enter")
                try await a.waitFor("Group Team created.")
                try await a.press("Escape")
                try await a.type("/group Another name @\(bob.username)")
                try await a.press("Enter")
                try await a.waitFor("You already have a group with these people: Team")
                let screen = try await a.screen()
                #expect(screen.contains("Chats (1)"), "\(screen)")
                #expect(!screen.contains("Another name"), "\(screen)")
            } catch {
                await a.kill()
                throw error
            }
            await a.kill()
        }
    }

    /// A flag, a ZWJ family, a skin tone and a variation selector are drawn
    /// at the width the terminal gives them (the list's border stays in its column), and a
    /// rename to a short title leaves no stray character behind.
    @Test func emojiTitlesAreDrawnAtTheTerminalsWidthAndLeaveNothingBehind() async throws {
        let title = "Trip \u{1F1EF}\u{1F1F5} \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} \u{1F44D}\u{1F3FD} \u{2764}\u{FE0F} go"
        let titleColumns = try await TmuxSession.columns(of: " " + title)
        try await withServer { server in
            let alice = try await TestPerson.register("Alice", on: server)
            let bob = try await TestPerson.register("Bob", on: server)
            let a = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice.environment)
            do {
                try await a.waitFor("● online")
                try await a.type("/group Team @\(bob.username)")
                try await a.press("Enter")
                try await a.waitFor("Group Team created.")
                try await a.type("/rename \(title)")
                try await a.press("Enter")
                var screen = try await a.waitFor("\(title) · 2 members")
                var lines = screen.components(separatedBy: "\n")
                let border = try #require(lines.first { $0.hasPrefix("Chats (1)") }?.firstIndex(of: "│")).utf16Offset(in: lines[0])
                let row = try #require(lines.first { $0.hasPrefix(" " + title) }, "\(screen)")
                let padding = row.dropFirst(title.count + 1).prefix { $0 == " " }.count
                #expect(padding == border - titleColumns, "the border is drawn where the terminal puts it:\n\(screen)")
                #expect(row.dropFirst(title.count + 1 + padding).hasPrefix("│"), "\(screen)")

                try await a.type("/rename Hike")
                try await a.press("Enter")
                screen = try await a.waitFor("Hike · 2 members")
                lines = screen.components(separatedBy: "\n")
                let renamed = try #require(lines.first { $0.hasPrefix(" Hike") }, "\(screen)")
                #expect(renamed == " Hike" + String(repeating: " ", count: border - 5) + "│", "no stray character after the rename:\n\(screen)")
                let header = try #require(lines.first { $0.contains("Hike · 2 members") })
                #expect(header.hasSuffix("│ Hike · 2 members"), "no stray character after the header:\n\(screen)")
            } catch {
                await a.kill()
                throw error
            }
            await a.kill()
        }
    }
}
