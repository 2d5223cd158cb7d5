import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension TestPerson {
    /// Messages `history 0000N` from this person into the personal chat with `other`, N in
    /// `numbers`: `history 00001` through `termchat send` (which makes the chat), the rest
    /// straight over HTTP with this person's token, `workers` posts in flight at a time (one
    /// keeps the server's order that of the numbers). Answers the chat's id and how many posts
    /// were refused.
    public func postHistory(_ numbers: ClosedRange<Int>, to other: TestPerson, on server: TestServer,
                            workers: Int = 4) async throws -> (chatId: String, refused: Int) {
        if numbers.lowerBound == 1 {
            guard try await ChildProcess.run("termchat", ["send", other.username, "history 00001"], environment: environment).status == 0 else {
                throw TestFailure("termchat send failed")
            }
        }
        let posted = max(2, numbers.lowerBound)
        let (token, userId) = try storedSession()
        let chatId = try await firstChatId()
        let refused = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var refused = 0
                    for index in stride(from: posted + worker, through: numbers.upperBound, by: workers) {
                        var request = URLRequest(url: URL(string: server.baseURL + "/chats/\(chatId)/messages")!)
                        request.httpMethod = "POST"
                        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                        request.httpBody = Data("{\"localId\": \"\(userId)+\(UUID().uuidString)\", \"text\": \"history \(String(format: "%05d", index))\"}".utf8)
                        let (_, response) = try await URLSession.shared.data(for: request)
                        if (response as? HTTPURLResponse)?.statusCode != 200 { refused += 1 }
                    }
                    return refused
                }
            }
            return try await group.reduce(0, +)
        }
        return (chatId, refused)
    }
}

extension TestPerson {
    /// This person's stored session (`termchat login` wrote it): the token and the user id, for
    /// tests that call the server over HTTP themselves.
    public func storedSession() throws -> (token: String, userId: Int) {
        let credentials = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            environment["XDG_CONFIG_HOME"]! + "/termchat/credentials-default.json"))) as? [String: Any]
        guard let token = credentials?["token"] as? String, let userId = credentials?["userId"] as? Int else {
            throw TestFailure("no credentials")
        }
        return (token, userId)
    }

    /// The id of the first chat `termchat chats` lists for this person.
    public func firstChatId() async throws -> String {
        let chats = try await ChildProcess.run("termchat", ["chats", "--json"], environment: environment)
        let list = try JSONSerialization.jsonObject(with: Data(chats.output.utf8)) as? [[String: Any]]
        guard let chatId = list?.first?["id"] as? String else { throw TestFailure("no chat: \(chats.output)") }
        return chatId
    }
}
