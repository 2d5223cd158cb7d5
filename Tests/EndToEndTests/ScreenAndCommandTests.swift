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
}
