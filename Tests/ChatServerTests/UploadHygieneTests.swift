import ChatAPI
import ChatServer
import ChatTestSupport
import Foundation
import Synchronization
import Testing

/// An upload is kept only when it is the file its message declared;
/// uploads nothing refers to are removed after a day; each user has an upload quota.
@Suite struct UploadHygieneTests {
    func upload(_ user: TestUser, name: String, body: Data) async throws -> HTTPClient.Reply {
        try await user.http.request("POST", APIPath.uploads, body: body, headers: [APIHeader.fileName: name, "Content-Type": "png"])
    }

    func post(_ user: TestUser, in chat: ChatID, fileSize: Int) async throws -> MediaInfo {
        let request = PostMessageRequest(localId: LocalID.make(author: user.id), text: nil, attachment: AttachmentRequest(fileType: "png", fileSize: fileSize))
        return try #require(try await user.http.post(APIPath.messages(chat), request).decode(MessageInfo.self).attachments?.first)
    }

    @Test(arguments: StorageBackend.available) func aFileOfAnotherSizeThanItsMessageDeclaredIsRefused(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            let media = try await post(alice, in: chat.id, fileSize: 5)
            let short = try await upload(alice, name: media.id.uuidString, body: Data([1, 2, 3]))
            #expect(short.status == 400)
            #expect(try short.errorReason() == "The file is 3 bytes, but its message says 5; nothing was stored.")
            #expect(try await bob.http.get(APIPath.file(media.storedFileName)).status == 404)
            // A preview has no declared size; the file itself, whole, is kept.
            #expect(try await upload(alice, name: media.id.uuidString + "-preview", body: Data([9])).status == 200)
            #expect(try await upload(alice, name: media.id.uuidString, body: Data([1, 2, 3, 4, 5])).status == 200)
            #expect(try await bob.http.get(APIPath.file(media.storedFileName)).data == Data([1, 2, 3, 4, 5]))
        }
    }

    @Test(arguments: StorageBackend.available) func eachUserHasAnUploadQuota(_ backend: StorageBackend) async throws {
        try await withServer(on: backend, configure: { $0.uploadQuotaBytes = 10 }) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            #expect(try await upload(alice, name: UUID().uuidString, body: Data(count: 6)).status == 200)
            let over = try await upload(alice, name: UUID().uuidString, body: Data(count: 6))
            #expect(over.status == 413)
            #expect(try over.errorReason().contains("upload quota"))
            // Bob's quota is his own; Alice may still use what is left of hers.
            #expect(try await upload(bob, name: UUID().uuidString, body: Data(count: 6)).status == 200)
            #expect(try await upload(alice, name: UUID().uuidString, body: Data(count: 4)).status == 200)
        }
    }

    /// An upload nothing refers to is removed after a day (the server's clock moved on); one
    /// a message refers to stays.
    @Test(arguments: StorageBackend.available) func uploadsNothingRefersToAreRemovedAfterADay(_ backend: StorageBackend) async throws {
        let clock = TestClock()
        try await withServer(on: backend, configure: { config in
            config.now = clock.now
            config.uploadSweepInterval = .milliseconds(50)
        }) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            let stray = UUID()
            let strayReply = try await upload(alice, name: stray.uuidString, body: Data([7, 7]))
            #expect(strayReply.status == 200)
            let media = try await post(alice, in: chat.id, fileSize: 2)
            #expect(try await upload(alice, name: media.id.uuidString, body: Data([8, 8])).status == 200)
            let files = server.dataDirectory + "/files/"
            #expect(FileManager.default.fileExists(atPath: files + strayReply.text))

            clock.advance(hours: 23)
            #expect(try await alice.http.get(APIPath.file(strayReply.text)).status == 200, "kept for a day")
            clock.advance(hours: 2)
            let deadline = ContinuousClock.now + .seconds(20)
            while FileManager.default.fileExists(atPath: files + strayReply.text), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(!FileManager.default.fileExists(atPath: files + strayReply.text))
            #expect(try await alice.http.get(APIPath.file(strayReply.text)).status == 404)
            #expect(try await bob.http.get(APIPath.file(media.storedFileName)).data == Data([8, 8]))
        }
    }
}
