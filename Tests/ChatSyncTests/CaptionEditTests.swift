import ChatAPI
import ChatClient
import ChatStore
import ChatTestSupport
import Foundation
import Testing
@testable import ChatSync

/// An edit of a message with a file changes its text, not what the server knows of the file.
@Suite struct CaptionEditTests {
    /// Found by hand in the demo: editing the caption of a sent file made it "not uploaded yet"
    /// for everyone (the edit said `fileExists: false`, as the upstream wants both keys).
    @Test func editingTheCaptionOfAnUploadedFileKeepsItUploaded() async throws {
        try await withServer { server in
            let alice = try await SyncTestClient.start("Alice", on: server)
            let bob = try await SyncTestClient.start("Bob", on: server)
            let chat = try await alice.engine.createChat(CreateChatRequest(participants: [bob.id])).id
            let path = NSTemporaryDirectory() + "caption-\(UUID().uuidString).txt"
            try Data("a tiny file\n".utf8).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }

            let sent = try await alice.engine.sendFile(at: path, caption: "first words", to: chat)
            try await alice.eventually("the file uploaded") { store in
                try store.uploadJobs().isEmpty && store.message(chat, localId: sent.localId)?.attachments.first?.fileExists == true
            }
            try await alice.engine.editMessage(chat, localId: sent.localId, text: "better words")
            try await alice.eventually("the edit confirmed") { try $0.intents().isEmpty }

            let onServer = try #require(try await bob.api.messages(chat).first { $0.localId == sent.localId })
            #expect(onServer.text == "better words")
            #expect(onServer.attachments?.first?.fileExists == true)
            try await bob.eventually("Bob's copy edited, the file still there") { store in
                let message = try store.message(chat, localId: sent.localId)
                return message?.text == "better words" && message?.attachments.first?.fileExists == true
            }
            #expect(try alice.store.message(chat, localId: sent.localId)?.attachments.first?.fileExists == true)
            await alice.stop()
            await bob.stop()
        }
    }
}
