import ChatAPI
import ChatTestSupport
import Foundation
import Testing

/// Who may post where, and in which order a refusal is told, on both backends (PostgreSQL
/// checks, inserts and reads the audience in one statement; SQLite in steps).
@Suite struct PostingRuleTests {
    @Test(arguments: StorageBackend.available) func everyRefusalOfAPostHasItsReason(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let carol = try await TestUser.register("Carol", on: server)
            func post(_ user: TestUser, _ chat: ChatID, _ text: String = "hi", localId: String? = nil) async throws -> HTTPClient.Reply {
                try await user.http.post(APIPath.messages(chat), PostMessageRequest(localId: localId ?? LocalID.make(author: user.id), text: text))
            }
            func refusal(_ reply: HTTPClient.Reply) throws -> String { "\(reply.status) \(try reply.errorReason())" }

            #expect(try refusal(try await post(alice, UUID())).hasPrefix("404"))
            let group = try await alice.createChat(with: [bob], title: "G", isPersonal: false)
            #expect(try refusal(try await post(carol, group.id)) == "403 You are not in this chat.")
            // Whether the chat may be posted to is told before what is wrong with the request.
            #expect(try refusal(try await post(carol, group.id, localId: "short")) == "403 You are not in this chat.")
            #expect(try await alice.http.put(APIPath.blockUser(group.id, bob.id)).status == 200)
            #expect(try refusal(try await post(bob, group.id)) == "403 You are blocked from posting in this chat.")

            let personal = try await alice.createChat(with: [carol])
            #expect(try await carol.http.put(APIPath.blockChat(personal.id)).status == 200)
            #expect(try refusal(try await post(carol, personal.id)) == "403 You blocked this chat; unblock it to write here.")
            #expect(try refusal(try await post(alice, personal.id)) == "403 This person has blocked the chat.")
            #expect(try await carol.http.put(APIPath.unblockChat(personal.id)).status == 200)

            // Allowed: stored once, seen by the other side, and a retry answers the original.
            let localId = LocalID.make(author: alice.id)
            let first = try await post(alice, personal.id, "after the unblock", localId: localId).decode(MessageInfo.self)
            let retry = try await post(alice, personal.id, "after the unblock", localId: localId).decode(MessageInfo.self)
            #expect(retry.id == first.id)
            let seen = try await carol.http.get(APIPath.messages(personal.id)).decode([MessageInfo].self)
            #expect(seen.map(\.text) == ["after the unblock"])
            #expect(try refusal(try await post(alice, personal.id, "   ")).hasPrefix("400"))
        }
    }
}
