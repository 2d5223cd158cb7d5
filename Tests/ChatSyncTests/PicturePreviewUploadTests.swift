import ChatAPI
import ChatStore
import ChatTestSupport
@testable import ChatSync
import Foundation
import ImageCodecs
import Testing
import TerminalImages

/// A picture sent from disk also uploads `<id>-preview.jpeg`, fitted to 300×200,
/// and says so (`previewExists`); a file that is not a picture gets none.
@Suite struct PicturePreviewUploadTests {
    @Test func aPictureGoesWithAPreviewAndOtherFilesWithout() async throws {
        let server = try await TestServer.start()
        let alice = try await SyncTestClient.start("Alice", on: server)
        let bob = try await SyncTestClient.start("Bob", on: server)
        try await alice.online()
        let chat = try await alice.engine.createChat(CreateChatRequest(participants: [bob.id])).id
        let directory = NSTemporaryDirectory() + "pictures-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let photo = RGBAImage(width: 1200, height: 600, pixels: [UInt8](repeating: 180, count: 1200 * 600 * 4))
        try ImageCodec.png(photo).write(to: URL(fileURLWithPath: directory + "/wide.png"))
        try Data("just text".utf8).write(to: URL(fileURLWithPath: directory + "/notes.txt"))
        _ = try await alice.engine.sendFile(at: directory + "/wide.png", to: chat)
        _ = try await alice.engine.sendFile(at: directory + "/notes.txt", to: chat)
        try await bob.eventually("both files uploaded") { store in
            let attachments = try store.messages(chat).flatMap(\.attachments)
            return attachments.count == 2 && attachments.allSatisfy(\.fileExists)
        }
        let attachments = try bob.store.messages(chat).flatMap(\.attachments)
        let picture = try #require(attachments.first { $0.fileType == "png" })
        let text = try #require(attachments.first { $0.fileType == "txt" })
        #expect(picture.previewExists)
        #expect(!text.previewExists)
        let target = directory + "/preview.jpeg"
        try await bob.engine.fetchFile(try #require(picture.mediaId).uuidString + "-preview.jpeg", to: target)
        let preview = try ImageCodec.decode(try Data(contentsOf: URL(fileURLWithPath: target)))
        #expect(preview.width == 300 && preview.height == 150)
        await alice.stop()
        await bob.stop()
        await server.stop()
    }

    /// A group's image goes with its preview too. The upstream's DELETE of a
    /// chat image removes `<id>-preview` as well and answered 500 on every try when there was none.
    @Test func aChatImageGoesWithAPreview() async throws {
        let server = try await TestServer.start()
        let alice = try await SyncTestClient.start("Alice", on: server)
        let bob = try await SyncTestClient.start("Bob", on: server)
        try await alice.online()
        let chat = try await alice.engine.createChat(CreateChatRequest(title: "Club", participants: [bob.id], isPersonal: false)).id
        let directory = NSTemporaryDirectory() + "chat-image-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let photo = RGBAImage(width: 800, height: 800, pixels: [UInt8](repeating: 90, count: 800 * 800 * 4))
        try ImageCodec.png(photo).write(to: URL(fileURLWithPath: directory + "/club.png"))
        try await alice.engine.setChatImage(chat, path: directory + "/club.png")
        try await alice.eventually("the image is the chat's") { store in try store.chat(chat)?.images.isEmpty == false }
        let image = try #require(try alice.store.chat(chat)?.images.first)
        // (Our server keeps no previewExists for chat images; the preview file is what counts.)
        let target = directory + "/preview.jpeg"
        try await bob.engine.fetchFile(image.id.uuidString + "-preview.jpeg", to: target)
        let preview = try ImageCodec.decode(try Data(contentsOf: URL(fileURLWithPath: target)))
        #expect(preview.width == 200 && preview.height == 200)
        await alice.stop()
        await bob.stop()
        await server.stop()
    }
}
