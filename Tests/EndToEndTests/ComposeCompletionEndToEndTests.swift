import ChatTestSupport
import Foundation
import Testing

/// Completion, with the real binaries: Tab completes a member's `@name` and a
/// `/command` in the compose box, and `/me` reaches the other person as an action.
@Suite struct ComposeCompletionEndToEndTests {
    @Test func tabCompletesNamesAndCommandsAndMeIsAnAction() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        let a = try await TmuxSession.client(for: alice)
        var b: TmuxSession?
        do {
            try await a.type("/new \(bob.username)")
            try await a.press("Enter")
            try await a.waitFor(" opened.")
            // "@" and the start of Bob's username, Tab: the whole of it.
            try await a.type("hi @\(bob.username.prefix(2))")
            try await a.press("Tab")
            try await a.waitFor("› hi @\(bob.username)")
            try await a.type("how are you")
            try await a.waitFor("› hi @\(bob.username) how are you")
            try await a.press("Enter")
            let bobScreen = try await TmuxSession.client(for: bob)
            b = bobScreen
            try await bobScreen.waitFor("Alice (1)")
            try await bobScreen.press("Enter")
            try await bobScreen.waitFor("Alice: hi @\(bob.username) how are you")
            // A command by its first letters.
            try await a.type("/mu")
            try await a.press("Tab")
            try await a.type("x")
            try await a.waitFor("› /mute x")
            try await a.press("C-u")
            // An action.
            try await a.type("/me waves")
            try await a.press("Enter")
            try await a.waitFor("* Alice waves")
            try await bobScreen.waitFor("* Alice waves")
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
}
