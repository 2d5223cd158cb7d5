import ChatTestSupport
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A long chat read back to its first message in the real client: the cache first, then the
/// server, never "the beginning of this chat" before it is true.
@Suite(.serialized) struct LongHistoryTests {
    @Test func scrollingBackReachesTheFirstOf2060Messages() async throws {
        try await withServer { server in
            let alice = try await TestPerson.register("Alice", on: server)
            let bob = try await TestPerson.register("Bob", on: server)
            #expect(try await ChildProcess.run("termchat", ["send", alice.username, "history 0001"], environment: bob.environment).status == 0)
            // The rest straight over HTTP with Bob's token (2,059 posts).
            let credentials = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
                bob.environment["XDG_CONFIG_HOME"]! + "/termchat/credentials-default.json"))) as? [String: Any]
            let token = try #require(credentials?["token"] as? String)
            let userId = try #require(credentials?["userId"] as? Int)
            let chats = try await ChildProcess.run("termchat", ["chats", "--json"], environment: bob.environment)
            let list = try JSONSerialization.jsonObject(with: Data(chats.output.utf8)) as? [[String: Any]]
            let chatId = try #require(list?.first?["id"] as? String)
            for index in 2...2060 {
                var request = URLRequest(url: URL(string: server.baseURL + "/chats/\(chatId)/messages")!)
                request.httpMethod = "POST"
                request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data("{\"localId\": \"\(userId)+\(UUID().uuidString)\", \"text\": \"history \(String(format: "%04d", index))\"}".utf8)
                let (_, response) = try await URLSession.shared.data(for: request)
                #expect((response as? HTTPURLResponse)?.statusCode == 200)
            }
            // Alice syncs it all into her cache first, then reads back in the client.
            #expect(try await ChildProcess.run("termchat", ["sync"], environment: alice.environment).status == 0)
            let a = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice.environment, columns: 100, rows: 30)
            do {
                try await a.waitFor("● online")
                try await a.press("Enter")
                try await a.waitFor("history 2060")
                try await a.press("Tab")  // to the conversation
                var screen = try await a.screen()
                /// The oldest message on screen.
                func top(_ screen: String) -> String? {
                    for line in screen.split(separator: "\n") {
                        if let found = line.range(of: "history ") { return String(line[found.upperBound...].prefix(4)) }
                    }
                    return nil
                }
                // Like a person: press g (to the top of what is loaded, which loads a page more)
                // until the beginning shows; a press while a page is loading just goes to the top.
                for _ in 0..<300 where !screen.contains("the beginning of this chat") {
                    let before = top(screen)
                    try await a.press("g")
                    for _ in 0..<20 {
                        screen = try await a.screen()
                        if top(screen) != before || screen.contains("the beginning of this chat") { break }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
                #expect(screen.contains("the beginning of this chat"), "\(screen)")
                #expect(screen.contains("history 0001"), "\(screen)")
            } catch {
                await a.kill()
                throw error
            }
            await a.kill()
        }
    }
}
