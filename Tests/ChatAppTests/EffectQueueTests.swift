import ChatAPI
import ChatApp
import ChatClient
import ChatStore
import ChatSync
import ChatTestSupport
import ChatUI
import Foundation
import Synchronization
import Testing

/// The effects' queue with a server that hangs a download (it takes the request and
/// answers nothing).
@Suite struct EffectQueueTests {
    /// What the runner says back, awaited as it comes.
    final class Said: Sendable {
        private let stream: AsyncStream<String>
        private let continuation: AsyncStream<String>.Continuation
        init() { (stream, continuation) = AsyncStream.makeStream(of: String.self) }
        func record(_ action: Action) {
            switch action {
            case .effectSucceeded(let outcome): continuation.yield("ok: " + outcome.sentence(keys: KeyMap()))
            case .effectFailed(let text): continuation.yield("failed: " + text)
            default: break
            }
        }
        /// Waits for a sentence (and answers every one said up to it).
        func next(where match: (String) -> Bool) async -> [String] {
            var said: [String] = []
            for await sentence in stream {
                said.append(sentence)
                if match(sentence) { break }
            }
            return said
        }
    }

    @Test(.timeLimit(.minutes(1))) func aHangingDownloadHoldsBackNothingTypedAfterItAndIsCancelledBySavingAgain() async throws {
        try await withServer { server in
            let proxy = ManglingProxy(to: server.port, hangingWith: "") { $0.hasPrefix("GET ") && $0.contains("/files/") }
            defer { proxy.release(); proxy.stop() }
            var alice = try await EffectRunnerTests.account("Alice", on: server)
            alice.server = URL(string: "http://127.0.0.1:\(proxy.port)")!
            let store = try ChatStore(path: NSTemporaryDirectory() + "queue-\(UUID().uuidString)/cache.sqlite", me: alice.userId)
            let me = UserInfo(id: alice.userId, name: "Alice", username: alice.username)
            let chat = ChatInfo(id: UUID(), title: "Pictures", isPersonal: false, owner: me, allUsers: [me])
            try store.upsertChats([chat])
            let picture = MediaInfo(id: UUID(), fileType: "png", fileSize: 10, fileExists: true)
            let now = Date()
            try store.applyServerMessages([MessageInfo(id: 1, localId: "\(alice.userId)+picture", chatId: chat.id, authorId: alice.userId,
                                                       text: nil, createdAt: now, updatedAt: now, attachments: [picture])])
            let engine = SyncEngine(credentials: alice, store: store)
            let said = Said()
            let send: @Sendable (Action) -> Void = { said.record($0) }
            let runner = EffectRunner(
                engine: engine, store: store, shell: Shell(editText: { _ in nil }, completePath: { _ in [] }, ring: {}, notify: { _, _ in }),
                conversation: ConversationWatcher(store: store, send: send), send: send, signOut: { _ in }
            )
            let queue = EffectQueue(runner: runner, send: send)
            let (effects, effectSink) = AsyncStream.makeStream(of: Effect.self)
            let running = Task { await queue.run(effects) }
            defer { running.cancel() }
            var held = proxy.held.makeAsyncIterator()

            let destination = NSTemporaryDirectory() + "queue-\(UUID().uuidString)/picture.png"
            effectSink.yield(.download(chat.id, localId: "\(alice.userId)+picture", to: destination))
            _ = await held.next()  // the download's request is at the server, which answers nothing more
            effectSink.yield(.send(chat.id, "typed after the download"))
            effectSink.yield(.chatSettings(chat.id, ChatSettingsRequest(isMuted: true)))
            #expect(await said.next { $0.contains("muted") } == ["ok: Chat muted."])
            // Both are in the cache while the download still hangs.
            #expect(try store.window(chat.id, at: .newest).messages.contains { $0.text == "typed after the download" })
            #expect(try store.chatList().first { $0.id == chat.id }?.isMuted == true)
            #expect(await queue.isTransferring(chat.id, localId: "\(alice.userId)+picture"))

            // Asked for again, it is cancelled, and the attachment is no longer "downloading".
            effectSink.yield(.download(chat.id, localId: "\(alice.userId)+picture", to: destination))
            #expect(await said.next { $0.contains("cancelled") } == ["ok: Download cancelled."])
            #expect(await !queue.isTransferring(chat.id, localId: "\(alice.userId)+picture"))
            effectSink.finish()
            await running.value
            let attachment = try #require(try store.message(chat.id, localId: "\(alice.userId)+picture")?.attachments.first)
            #expect(attachment.transferState != .downloading)
        }
    }
}
