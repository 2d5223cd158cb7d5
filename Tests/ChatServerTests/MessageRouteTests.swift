import ChatTestSupport
import ChatAPI
import Foundation
import Testing

@Suite struct MessageRouteTests {
    @Test(arguments: StorageBackend.available) func postValidatesTextAndLocalId(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            func post(_ text: String?, localId: String? = nil) async throws -> HTTPClient.Reply {
                try await alice.http.post(APIPath.messages(chat.id), PostMessageRequest(localId: localId ?? LocalID.make(author: alice.id), text: text))
            }
            #expect(try await post(nil).status == 400)
            #expect(try await post("   ").status == 400)
            // White space of every kind (the check scans for anything else, without trimming).
            #expect(try await post("\n\t\r \u{00A0}\u{2003}\u{3000}\u{2028}").status == 400)
            #expect(try await post("\n\u{3000}x\t").status == 200)
            #expect(try await post("hi", localId: "short").status == 400)
            // 2048 bytes of UTF-8 are fine; one more is not, counted in bytes, not characters.
            #expect(try await post(String(repeating: "a", count: 2048)).status == 200)
            let tooLong = try await post(String(repeating: "a", count: 2049))
            #expect(tooLong.status == 400)
            #expect(try tooLong.errorReason().contains("2048"))
            #expect(try await post(String(repeating: "é", count: 1024)).status == 200)  // 2048 bytes
            #expect(try await post(String(repeating: "é", count: 1025)).status == 400)  // 1025 characters, 2050 bytes
            #expect(try await post(String(repeating: "😀", count: 513)).status == 400)
            let message = try await post("Hello 世界 👋").decode(MessageInfo.self)
            #expect(message.text == "Hello 世界 👋" && message.authorId == alice.id && message.chatId == chat.id && message.isVisible)
            let hidden = try await alice.http.post(APIPath.messages(chat.id), PostMessageRequest(localId: LocalID.make(author: alice.id), text: "psst", isVisible: false)).decode(MessageInfo.self)
            #expect(!hidden.isVisible)
            #expect(try await alice.http.post(APIPath.messages(UUID()), PostMessageRequest(localId: LocalID.make(author: alice.id), text: "x")).status == 404)
        }
    }

    @Test(arguments: StorageBackend.available) func sameLocalIdTwiceYieldsOneMessage(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            let localId = LocalID.make(author: alice.id)
            let first = try await alice.send("once", in: chat.id, localId: localId)
            let retry = try await alice.send("once", in: chat.id, localId: localId)
            #expect(retry.id == first.id)
            // Concurrent retries too.
            let racing = LocalID.make(author: alice.id)
            let ids = try await withThrowingTaskGroup(of: MessageID.self) { group in
                for _ in 0..<8 { group.addTask { try await alice.send("race", in: chat.id, localId: racing).id } }
                return try await group.reduce(into: Set<MessageID>()) { $0.insert($1) }
            }
            #expect(ids.count == 1)
            let all = try await bob.http.get(APIPath.messages(chat.id)).decode([MessageInfo].self)
            #expect(all.count == 2)
            #expect(all.filter { $0.localId == localId }.count == 1)
        }
    }

    @Test(arguments: StorageBackend.available) func pagingNewestFirstWithBeforeAndCount(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            var sent: [MessageInfo] = []
            for index in 0..<120 { sent.append(try await alice.send("m\(index)", in: chat.id)) }
            #expect(sent.map(\.id) == sent.map(\.id).sorted())
            let page1 = try await bob.http.get(APIPath.messages(chat.id)).decode([MessageInfo].self)
            #expect(page1.count == 50)
            #expect(page1.first?.text == "m119" && page1.last?.text == "m70")
            let page2 = try await bob.http.get("\(APIPath.messages(chat.id))?count=60&before=\(page1.last!.id)").decode([MessageInfo].self)
            #expect(page2.count == 60 && page2.first?.text == "m69" && page2.last?.text == "m10")
            let page3 = try await bob.http.get("\(APIPath.messages(chat.id))?count=60&before=\(page2.last!.id)").decode([MessageInfo].self)
            #expect(page3.map(\.text) == (0..<10).reversed().map { "m\($0)" })
            #expect(try await bob.http.get("\(APIPath.messages(chat.id))?count=0").status == 400)
            #expect(try await bob.http.get("\(APIPath.messages(chat.id))?count=abc").status == 400)
            #expect(try await bob.http.get("\(APIPath.messages(chat.id))?before=x").status == 400)
        }
    }

    @Test(arguments: StorageBackend.available) func editDeleteAndReadMarks(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            let message = try await alice.send("draft", in: chat.id)
            let path = APIPath.message(chat.id, message.id)

            let edited = try await alice.http.put(path, UpdateMessageRequest(text: "final", fileExists: false, previewExists: false)).decode(MessageInfo.self)
            #expect(edited.text == "final" && edited.editedAt != nil && edited.id == message.id)
            #expect(try await bob.http.put(path, UpdateMessageRequest(text: "hijack")).status == 403)
            #expect(try await alice.http.put(path, UpdateMessageRequest(text: String(repeating: "x", count: 2049))).status == 400)
            #expect(try await alice.http.put(path, UpdateMessageRequest(text: "")).status == 400)
            #expect(try await alice.http.put(APIPath.message(chat.id, 999_999), UpdateMessageRequest(text: "x")).status == 404)
            let hidden = try await alice.http.put(path, UpdateMessageRequest(isVisible: false)).decode(MessageInfo.self)
            #expect(!hidden.isVisible && hidden.text == "final")

            #expect(try await bob.http.put(APIPath.readMessage(chat.id, message.id)).status == 200)
            #expect(try await bob.http.put(APIPath.readMessage(chat.id, message.id)).status == 200)  // idempotent
            let read = try await alice.http.get(APIPath.messages(chat.id)).decode([MessageInfo].self)[0]
            #expect(read.readMarks?.map(\.user.id) == [bob.id])

            #expect(try await bob.http.delete(path).status == 403)
            let deleted = try await alice.http.delete(path).decode(MessageInfo.self)
            #expect(deleted.deletedAt != nil && (deleted.text ?? "").isEmpty && deleted.attachments == nil)
            let editDeleted = try await alice.http.put(path, UpdateMessageRequest(text: "zombie"))
            #expect(editDeleted.status == 400)
            #expect(try editDeleted.errorReason().contains("deleted"))
            #expect(try await alice.http.delete(path).decode(MessageInfo.self).deletedAt == deleted.deletedAt)
        }
    }

    @Test(arguments: StorageBackend.available) func attachmentsAnnouncedWithAMessage(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            let request = PostMessageRequest(localId: LocalID.make(author: alice.id), attachment: AttachmentRequest(fileType: "png", fileSize: 100_000))
            let message = try await alice.http.post(APIPath.messages(chat.id), request).decode(MessageInfo.self)
            let media = try #require(message.attachments?.first)
            #expect(media.fileType == "png" && media.fileSize == 100_000 && media.fileExists == false)
            let marked = try await alice.http.put(APIPath.message(chat.id, message.id), UpdateMessageRequest(fileExists: true, previewExists: false)).decode(MessageInfo.self)
            #expect(marked.attachments?.first?.fileExists == true && marked.attachments?.first?.previewExists == false)
            let tooBig = PostMessageRequest(localId: LocalID.make(author: alice.id), attachment: AttachmentRequest(fileType: "png", fileSize: 60_000_000))
            #expect(try await alice.http.post(APIPath.messages(chat.id), tooBig).status == 413)
            let badType = PostMessageRequest(localId: LocalID.make(author: alice.id), attachment: AttachmentRequest(fileType: "../x", fileSize: 1))
            #expect(try await alice.http.post(APIPath.messages(chat.id), badType).status == 400)
        }
    }
}
