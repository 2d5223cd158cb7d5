import ChatTestSupport
import Foundation
import Testing

/// A chat `termchat send` created while the client ran showed as "user 20"
/// until an unrelated event (the script wrote the person into the shared cache, and the
/// client's observations see only its own writes).
@Suite struct OtherProcessEndToEndTests {
    @Test func aChatAScriptCreatesShowsItsPersonsName() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let zoe = try await TestPerson.register("Zoe", on: server)
        let a = try await TmuxSession.client(for: alice)
        try await stopping({ await a.kill(); await server.stop() }) {
            let sent = try await ChildProcess.run("termchat", ["send", zoe.username, "Hello from a script"], environment: alice.environment)
            #expect(sent.status == 0, "\(sent)")
            try await a.waitFor("You: Hello from a script")
            // Nothing else happens here (no event names Zoe), and still her name comes.
            try await a.waitUntil("the chat is named after Zoe") { $0.contains(" Zoe") && !$0.contains("user ") }
        }
    }
}
