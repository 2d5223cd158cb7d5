import ChatAPI
import ChatClient
import ChatStore
import ChatTestSupport
import Foundation
import Testing
@testable import ChatSync

/// One loop delivers the whole queue; an upload runs beside it.
@Suite struct DeliveryLoopTests {
    /// A file's upload held by the server holds up neither the chat's next message nor a change.
    @Test func anUploadInFlightHoldsUpNoMessageAndNoChange() async throws {
        try await withServer { server in
            let bob = try await SyncTestClient.start("Bob", on: server)
            // Alice talks through a proxy that holds the upload's answer until released.
            let proxy = ManglingProxy(to: server.port, count: 1, holding: true) { $0.hasPrefix("POST /uploads") }
            defer { proxy.stop() }
            let (api, alice, session) = try await SyncTestClient.register("Alice", on: server)
            let client = SyncTestClient.start(api: APIClient(baseURL: URL(string: "http://127.0.0.1:\(proxy.port)")!, token: api.token),
                                              user: alice, sessionId: session,
                                              store: try ChatStore(path: NSTemporaryDirectory() + "sync-\(UUID().uuidString)/cache.sqlite", me: alice.id))
            let chat = try await client.engine.createChat(CreateChatRequest(title: "Club", participants: [bob.id], isPersonal: false)).id
            var arrivals = proxy.held.makeAsyncIterator()
            let path = NSTemporaryDirectory() + "held-\(UUID().uuidString).bin"
            try Data(repeating: 7, count: 100_000).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }

            let withFile = try await client.engine.sendFile(at: path, caption: "the file", to: chat)
            _ = await arrivals.next()  // its upload is in flight, the answer held
            let text = try await client.engine.send("meanwhile", to: chat)
            try await client.engine.renameChat(chat, title: "Renamed meanwhile")
            try await client.eventually("the message and the rename delivered") { store in
                try store.outboxItems().isEmpty && store.intents().isEmpty
            }
            #expect(try client.store.uploadJobs().count == 1, "the upload is still waiting for its answer")
            let onServer = try await bob.api.messages(chat)
            #expect(Set(onServer.map(\.localId)) == [withFile.localId, text.localId])
            #expect(try await bob.api.chat(chat).title == "Renamed meanwhile")

            proxy.release()
            try await client.eventually("the upload done") { try $0.uploadJobs().isEmpty }
            #expect(try client.store.message(chat, localId: withFile.localId)?.attachments.first?.transferState == .uploaded)
            await client.stop()
            await bob.stop()
        }
    }
}
