import ChatTestSupport
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Search end to end, under tmux with the real client and server: a word sent 500 messages
/// ago in another chat is found and opened, selected; Ctrl-K and three letters open a chat.
@Suite(.serialized) struct SearchEndToEndTests {
    /// Posts straight over HTTP with `person`'s token (hundreds of messages, quickly).
    func post(_ texts: [String], as person: TestPerson, to chat: String, on server: TestServer) async throws {
        let credentials = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            person.environment["XDG_CONFIG_HOME"]! + "/termchat/credentials-default.json"))) as? [String: Any]
        let token = try #require(credentials?["token"] as? String)
        let userId = try #require(credentials?["userId"] as? Int)
        for text in texts {
            var request = URLRequest(url: URL(string: server.baseURL + "/chats/\(chat)/messages")!)
            request.httpMethod = "POST"
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: ["localId": "\(userId)+\(UUID().uuidString)", "text": text])
            let (_, response) = try await URLSession.shared.data(for: request)
            guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw TestFailure("the post of \(text) was refused") }
        }
    }

    @Test func aWordFrom500MessagesAgoIsFoundAndOpenedSelected() async throws {
        try await withServer { server in
            let alice = try await TestPerson.register("Alice", on: server)
            let bob = try await TestPerson.register("Bob", on: server)
            let carol = try await TestPerson.register("Carol", on: server)
            #expect(try await ChildProcess.run("termchat", ["send", alice.username, "hi from carol"], environment: carol.environment).status == 0)
            #expect(try await ChildProcess.run("termchat", ["send", alice.username, "the zeppelin lands at noon"], environment: bob.environment).status == 0)
            let chats = try await ChildProcess.run("termchat", ["chats", "--json"], environment: bob.environment)
            let list = try JSONSerialization.jsonObject(with: Data(chats.output.utf8)) as? [[String: Any]]
            let bobsChat = try #require(list?.first?["id"] as? String)

            let a = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice.environment, columns: 110, rows: 30)
            do {
                try await a.waitFor("● online")
                // 500 more messages arrive while Alice is online: all of them are cached.
                try await post((1...500).map { String(format: "filler %03d", $0) }, as: bob, to: bobsChat, on: server)
                try await a.waitFor("Bob: filler 500")

                // Ctrl-K, three letters, Enter: Carol's chat.
                try await a.press("C-k")
                try await a.waitFor("Go to — type a few letters")
                try await a.type("car")
                try await a.waitUntil("Carol first") { screen in
                    screen.components(separatedBy: "\n").contains { $0.contains(" To: car") }
                }
                try await a.press("Enter")
                // "Carol: hi from carol" is also the list's preview: wait for the open chat's header.
                try await a.waitUntil("Carol's chat is open") { $0.components(separatedBy: "\n")[0].hasSuffix("│ Carol") }
                try await a.waitFor("Carol: hi from carol")

                // Ctrl-F, the word, Enter: Bob's chat, at that message, selected.
                try await a.press("C-f")
                try await a.waitFor("Find:")
                try await a.type("zeppelin")
                try await a.waitFor("1 found, newest first.")
                try await a.press("Enter")
                let screen = try await a.waitUntil("the message is selected") { screen in
                    screen.components(separatedBy: "\n").contains { $0.contains("▌") && $0.contains("the zeppelin lands at noon") }
                }
                #expect(screen.components(separatedBy: "\n")[0].hasSuffix("│ Bob"), "Bob's chat is open:\n\(screen)")
                // n says there is no other match; the CLI finds it too, offline.
                try await a.press("n")
                try await a.waitFor("No older match in this chat.")
                await a.kill()
                let found = try await ChildProcess.run("termchat", ["search", "zeppelin", "--json"], environment: alice.environment)
                let hits = try JSONSerialization.jsonObject(with: Data(found.output.utf8)) as? [[String: Any]]
                #expect(hits?.count == 1 && hits?.first?["text"] as? String == "the zeppelin lands at noon", "\(found.output)")
                let filtered = try await ChildProcess.run("termchat", ["search", "filler", "--chat", "@\(bob.username)", "--limit", "3"],
                                                          environment: alice.environment)
                #expect(filtered.output.components(separatedBy: "\n").filter { $0.contains("filler") }.count == 3)
                #expect(filtered.output.components(separatedBy: "\n").first?.contains("filler 500") == true, "newest first:\n\(filtered.output)")
            } catch {
                await a.kill()
                throw error
            }
        }
    }
}
