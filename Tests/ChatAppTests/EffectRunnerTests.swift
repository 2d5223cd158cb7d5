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

/// The effect handler, without a terminal: effects become engine intents and requests, and
/// come back as actions with a sentence.
@Suite struct EffectRunnerTests {
    /// The sentences the runner sent back: "ok: …" and "failed: …".
    final class Recorder: Sendable {
        let sentences = Mutex<[String]>([])
        func record(_ action: Action) {
            switch action {
            case .effectSucceeded(let outcome): sentences.withLock { $0.append("ok: " + outcome.sentence(keys: KeyMap())) }
            case .effectFailed(let text): sentences.withLock { $0.append("failed: " + text) }
            case .effectCouldNot(let problem): sentences.withLock { $0.append("failed: " + problem.sentence) }
            default: break
            }
        }
        var all: [String] { sentences.withLock { $0 } }
    }

    static func account(_ name: String, on server: TestServer) async throws -> Credentials {
        let device = DeviceInfo(id: UUID(), name: "test", model: "swift")
        let api = APIClient(baseURL: URL(string: server.baseURL)!)
        let username = UniqueName.make(name.lowercased())
        let info = try await api.register(RegisterRequest(name: name, username: username, password: "password1", deviceInfo: device))
        let session = try #require(info.session(for: device.id))
        return Credentials(server: URL(string: server.baseURL)!, userId: info.info.id, username: username, name: name,
                           token: try #require(session.accessToken), sessionId: session.id, deviceId: device.id)
    }

    /// A cache, an engine and the runner for an account, with a recorder of what comes back.
    static func app(for account: Credentials) throws -> (ChatStore, SyncEngine, Recorder, EffectRunner) {
        let store = try ChatStore(path: NSTemporaryDirectory() + "app-\(UUID().uuidString)/cache.sqlite", me: account.userId)
        let engine = SyncEngine(credentials: account, store: store)
        let recorder = Recorder()
        let send: @Sendable (Action) -> Void = { recorder.record($0) }
        let runner = EffectRunner(
            engine: engine, store: store,
            shell: Shell(editText: { _ in nil }, completePath: { _ in [] }, ring: {}, notify: { _, _ in }),
            conversation: ConversationWatcher(store: store, send: send), send: send, signOut: { _ in }
        )
        return (store, engine, recorder, runner)
    }

    @Test func effectsBecomeIntentsAndComeBackAsSentences() async throws {
        try await withServer { server in
            let alice = try await Self.account("Alice", on: server)
            let bob = try await Self.account("Bob", on: server)
            let (store, engine, recorder, runner) = try Self.app(for: alice)
            let running = Task { await engine.run() }
            defer { running.cancel() }
            await runner.run(.createChat(usernames: [bob.username], title: "Team"))
            #expect(recorder.all.contains("ok: Group Team created."), "\(recorder.all)")
            let chat = try #require(try store.chatList(archived: nil).first?.id)

            await runner.run(.renameChat(chat, "Plans"))
            #expect(recorder.all.contains("ok: Renamed to Plans."))
            #expect(try store.chatList(archived: nil).first?.title == "Plans", "shown at once")
            let changes = store.changes()
            if try !store.intents().isEmpty {
                for await _ in changes where try store.intents().isEmpty { break }
            }
            #expect(try await alice.api.chat(chat).title == "Plans")

            await runner.run(.addUsers(chat, usernames: ["nobody-by-that-name"]))
            #expect(recorder.all.contains("failed: No user named nobody-by-that-name."), "\(recorder.all)")
        }
    }

    /// The command `/group Full Club @bob @carol` answered with an older group of the
    /// same people, one this cache did not hold, said "Group Empty Club created.".
    /// Opening with `O` said "Opened my photo ü.png." while the opener got
    /// "my photo ü (1).png" (saved beside an older file of that name). It names what it opened.
    @Test func openingSaysTheNameOfTheFileItOpened() async throws {
        try await withServer { server in
            let alice = try await Self.account("Alice", on: server)
            let bob = try await Self.account("Bob", on: server)
            let folder = TemporaryDirectory.make()
            try Data("photo".utf8).write(to: URL(fileURLWithPath: folder + "/my photo ü.png"))
            let (bobStore, bobEngine, _, _) = try Self.app(for: bob)
            let bobRunning = Task { await bobEngine.run() }
            defer { bobRunning.cancel() }
            let chat = try await bobEngine.createChat(CreateChatRequest(participants: [alice.userId])).id
            let sent = try await bobEngine.sendFile(at: folder + "/my photo ü.png", to: chat)
            let changes = bobStore.changes()
            if try bobStore.message(chat, localId: sent.localId)?.serverId == nil {
                for await _ in changes where try bobStore.message(chat, localId: sent.localId)?.serverId != nil { break }
            }
            let store = try ChatStore(path: NSTemporaryDirectory() + "app-\(UUID().uuidString)/cache.sqlite", me: alice.userId)
            let engine = SyncEngine(credentials: alice, store: store)
            _ = await engine.syncOnce()
            let opened = Mutex<[String]>([])
            let recorder = Recorder()
            let send: @Sendable (Action) -> Void = { recorder.record($0) }
            let runner = EffectRunner(
                engine: engine, store: store,
                shell: Shell(editText: { _ in nil }, completePath: { _ in [] }, ring: {}, notify: { _, _ in },
                             open: { path in opened.withLock { $0.append(path) }; return nil }),
                conversation: ConversationWatcher(store: store, send: send), send: send, signOut: { _ in }
            )
            let localId = sent.localId
            await runner.run(.download(chat, localId: localId, to: folder))
            await runner.run(.openAttachment(chat, localId: localId))
            #expect(opened.withLock { $0 } == [folder + "/my photo ü (1).png"])
            #expect(recorder.all == ["ok: Saved to \(folder)/my photo ü (1).png.", "ok: Opened my photo ü (1).png."], "\(recorder.all)")
        }
    }

    @Test func anExistingGroupTheCacheDidNotHoldIsSaidToBeOpenedNotCreated() async throws {
        try await withServer { server in
            let alice = try await Self.account("Alice", on: server)
            let bob = try await Self.account("Bob", on: server)
            let carol = try await Self.account("Carol", on: server)
            _ = try await alice.api.createChat(CreateChatRequest(title: "Empty Club", participants: [bob.userId, carol.userId], isPersonal: false))
            let (_, _, recorder, runner) = try Self.app(for: alice)
            await runner.run(.createChat(usernames: [bob.username, carol.username], title: "Full Club"))
            #expect(recorder.all == ["ok: You already had a group with these people: Empty Club (opened; it keeps its name)."], "\(recorder.all)")
        }
    }

    /// Found under tmux: "/edit" typed right after sending edited the message before, because
    /// the new one was not on screen yet. It edits your newest message when it runs.
    @Test func anEditTypedRightAfterSendingEditsTheMessageJustSent() async throws {
        try await withServer { server in
            let alice = try await Self.account("Alice", on: server)
            let bob = try await Self.account("Bob", on: server)
            let (store, engine, _, runner) = try Self.app(for: alice)
            let running = Task { await engine.run() }
            defer { running.cancel() }
            let chat = try await engine.createChat(CreateChatRequest(participants: [bob.userId])).id
            await runner.run(.send(chat, "hello"))
            await runner.run(.send(chat, "typo mesage"))
            await runner.run(.editLastMessage(chat, text: "typo message fixed"))
            let changes = store.changes()
            func settled() throws -> Bool { try store.intents().isEmpty && store.outboxItems().isEmpty }
            if try !settled() {
                for await _ in changes where try settled() { break }
            }
            let onServer = try await alice.api.messages(chat).reversed().map(\.text)
            #expect(onServer == ["hello", "typo message fixed"])
        }
    }
}
