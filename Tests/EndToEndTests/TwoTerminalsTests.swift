import ChatTestSupport
import Foundation
import Testing

/// The real server and real `termchat` processes under tmux, driven by keys like a person.
@Suite(.serialized) struct TwoTerminalsTests {
    func open(_ person: TestPerson) async throws -> TmuxSession { try await TmuxSession.client(for: person) }

    @Test func aConversationAcrossTwoTerminals() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        let carol = try await TestPerson.register("Carol", on: server)
        let a = try await open(alice)
        let b = try await open(bob)
        do {
            try await converse(a, b, bob: bob, carol: carol)
        } catch {
            await a.kill()
            await b.kill()
            await server.stop()
            throw error
        }
        // Quitting restores the terminal: the shell's screen comes back.
        try await a.press("q")
        try await a.waitUntil("termchat exited") { !$0.contains("● online") }
        await a.kill()
        await b.kill()
        await server.stop()
    }

    func converse(_ a: TmuxSession, _ b: TmuxSession, bob: TestPerson, carol: TestPerson) async throws {

        // A starts a personal chat with B through the new-chat search.
        try await a.press("n")
        try await a.waitFor("New chat")
        try await a.type(bob.username)
        try await a.waitFor("@\(bob.username)")
        try await a.press("Enter")
        try await a.waitFor(" opened.")
        // …and a group with B and C by command.
        try await a.type("/group Team @\(bob.username) @\(carol.username)")
        try await a.press("Enter")
        try await a.waitFor("Team · 3 members")

        // A sends; B sees it, opens the chat and types; A sees "typing".
        try await a.type("hello team, 世界 👋")
        try await a.press("Enter")
        try await b.waitFor("Alice: hello team")
        try await b.press("g")  // the top of the list: the chat with the newest message
        try await b.press("Enter")
        try await b.waitFor("Team · 3 members")
        try await b.type("thinking")
        try await a.waitFor("Bob is typing…")

        // A attaches a file from disk; B sees it.
        let file = TemporaryDirectory.make() + "/plan.png"
        try Data(repeating: 7, count: 12_345).write(to: URL(fileURLWithPath: file))
        try await a.type("/attach \(file)")
        try await a.press("Enter")
        try await b.waitFor("📎 plan.png · 12 KB")  // under its own name
        try await b.waitUntil("the upload finished") { $0.contains("plan.png · 12 KB · o to save") }

        // A archives the chat and finds it again in the archive view.
        try await a.type("/archive")
        try await a.press("Enter")
        try await a.waitFor("Chat archived")
        try await a.waitUntil("Team left the main list") { !$0.components(separatedBy: "\n").contains { $0.hasPrefix(" Team") } }
        try await a.press("Escape")
        try await a.waitFor("i or Enter to write")  // the compose box gave up the keys
        try await a.press("A")
        try await a.waitFor("Archive (1)")
        try await a.waitUntil("Team in the archive") { $0.components(separatedBy: "\n").contains { $0.hasPrefix(" Team") } }

        // B sends, edits and deletes a message; A sees each.
        try await b.press("C-u")
        try await b.type("first draft")
        try await b.press("Enter")
        try await a.waitFor("Bob: first draft")
        try await b.type("/edit final words")
        try await b.press("Enter")
        try await a.waitFor("Bob: final words (edited)")
        try await b.type("/del")
        try await b.press("Enter")
        try await b.waitFor("Delete your message “final words”?")  // it asks first
        try await b.press("y")
        try await a.waitFor("Bob: (message deleted)")
    }
}
