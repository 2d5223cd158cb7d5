import ChatTestSupport
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// With the real binaries: a chat deleted by someone else while you read it
/// left the keyboard dead (nothing highlighted, Esc g Enter j h did nothing until Tab Tab) and
/// nothing said why it went. The keys go back to the list, and a line says who deleted it.
@Suite struct GoneChatEndToEndTests {
    @Test func aChatDeletedByTheOtherPersonWhileOpenSaysSoAndTheKeysStillWork() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        let carol = try await TestPerson.register("Carol", on: server)
        for (from, to, text) in [(bob, alice, "this chat will go"), (carol, alice, "this one stays")] {
            let sent = try await ChildProcess.run("termchat", ["send", to.username, text], environment: from.environment)
            #expect(sent.status == 0, "\(sent.output)")
        }
        let a = try await TmuxSession.client(for: alice)
        try await stopping({ await a.kill(); await server.stop() }) {
            try await a.waitFor("Carol: this one stays")
            // Open Bob's chat (second in the list: Carol's is newer), and be in its compose box.
            try await a.press("j")
            try await a.press("Enter")
            try await a.waitFor("Bob: this chat will go")
            try await a.type("a draft")
            try await Self.deleteChat(with: alice.username, as: bob, on: server)
            try await a.waitFor("Bob deleted the chat Bob.")
            let gone = try await a.waitUntil("the chat is gone from the list") { !$0.contains("Bob: this chat will go") }
            #expect(gone.contains("Chats (1)"), "\(gone)")
            // The keys work at once: Enter opens the chat that is left.
            try await a.press("Enter")
            try await a.waitFor("Carol: this one stays")
            try await a.waitUntil("Carol's chat is open") { $0.contains("Carol") && $0.contains("›") }
        }
    }

    /// Bob deletes his personal chat with `other` over HTTP (either side of a personal chat may).
    static func deleteChat(with other: String, as person: TestPerson, on server: TestServer) async throws {
        let chatId = try await person.firstChatId()
        let token = try person.storedSession().token
        var request = URLRequest(url: URL(string: server.baseURL + "/chats/\(chatId)")!)
        request.httpMethod = "DELETE"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw TestFailure("DELETE answered \(String(describing: response))") }
    }
}
