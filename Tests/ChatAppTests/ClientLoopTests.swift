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
import TerminalUI

/// The client's loop on a cell grid instead of a terminal: a key, a store change and a resize
/// each reach the screen as a frame, and quitting ends the loop while the engine is busy.
@Suite struct ClientLoopTests {
    /// A terminal that keeps the frames it is given, as text, and lets a test await one.
    final class GridSurface: TerminalSurface {
        private let frames = Mutex<[Canvas]>([])
        let titles = Mutex<[String]>([])

        func present(_ canvas: Canvas, drawn: (@Sendable () -> Void)?) {
            frames.withLock { $0.append(canvas) }
            drawn?()
        }

        func setTitle(_ title: String) { titles.withLock { $0.append(title) } }
        func pushTitle() {}
        func popTitle() {}

        var last: Canvas? { frames.withLock { $0.last } }

        /// Waits for a frame (this one or a later one) that `matches`.
        func waitForFrame(_ what: String, _ matches: @escaping (Canvas) -> Bool) async throws -> Canvas {
            try await eventually(what) { self.last.map(matches) ?? false }
            return try #require(last)
        }
    }

    /// Where the loop sends what the terminal reports.
    final class Keys: Sendable {
        private let send = Mutex<(@Sendable (Action) -> Void)?>(nil)
        func listen(_ send: @escaping @Sendable (Action) -> Void) { self.send.withLock { $0 = send } }
        func press(_ action: Action) { send.withLock { $0 }?(action) }
    }

    static func loop(for account: Credentials) throws -> (ClientLoop, ChatStore) {
        let store = try ChatStore(path: NSTemporaryDirectory() + "loop-\(UUID().uuidString)/cache.sqlite", me: account.userId)
        let engine = SyncEngine(credentials: account, store: store)
        let home = TemporaryDirectory.make()
        let signIn = SignIn(credentials: CredentialStore(paths: AppPaths(environment: ["HOME": home])), profile: "default")
        let shell = Shell(editText: { _ in nil }, completePath: { _ in [] }, ring: {}, notify: { _, _ in })
        let loop = ClientLoop(session: AccountSession(credentials: account, store: store, engine: engine), signIn: signIn, config: AppConfig(),
                              shell: shell, pictures: PictureTerminal(method: .off))
        return (loop, store)
    }

    @Test func aKeyAStoreChangeAndAResizeEachReachTheScreenAndQuitEndsTheLoop() async throws {
        try await withServer { server in
            let alice = try await EffectRunnerTests.account("Alice", on: server)
            let bob = try await EffectRunnerTests.account("Bob", on: server)
            var (loop, store) = try Self.loop(for: alice)
            let quit = Atomic(false)
            loop.quitting = { lastEffects in
                await lastEffects()
                quit.store(true, ordering: .relaxed)
            }
            let grid = GridSurface()
            let keys = Keys()
            let running = Task { [loop] in await loop.run(surface: grid) { keys.listen($0) } }
            keys.press(.terminalResized(rows: 24, columns: 80))
            try await grid.waitForFrame("the first frame, online") { $0.lines.joined().contains("online") }

            // A store change: a message from Bob, live, in the chat list's preview.
            let api = APIClient(baseURL: URL(string: server.baseURL)!, token: bob.token)
            let chat = try await api.createChat(CreateChatRequest(participants: [alice.userId]))
            _ = try await api.postMessage(chat.id, PostMessageRequest(localId: "\(bob.userId)+\(UUID().uuidString)", text: "hello from bob"))
            try await grid.waitForFrame("Bob's message listed") { $0.lines.joined().contains("hello from bob") }

            // A key: the help.
            keys.press(.keyPressed(.character("?")))
            try await grid.waitForFrame("the help") { $0.lines.joined().contains("Help") }
            keys.press(.keyPressed(.escape))
            try await grid.waitForFrame("the help closed") { !$0.lines.joined().contains("Help") }

            // A resize: the next frame has the new size.
            keys.press(.terminalResized(rows: 30, columns: 100))
            let resized = try await grid.waitForFrame("a 100×30 frame") { $0.lines.count == 30 }
            #expect(resized.lines.allSatisfy { $0.count <= 100 })

            // Quit while the engine is busy sending: the loop ends, the message stays queued
            // or is delivered, and nothing waits for the network.
            keys.press(.keyPressed(.enter))
            for character in "on its way" { keys.press(.keyPressed(.character(character))) }
            keys.press(.keyPressed(.enter))
            keys.press(.keyPressed(.control("q")))
            let outcome = await running.value
            #expect(outcome == .quit)
            let quitRan = quit.load(ordering: .relaxed)
            #expect(quitRan, "quitting ran, after the last effects")
            let messages = try store.messages(chat.id)
            #expect(messages.contains { $0.text == "on its way" }, "typed before the quit, in the cache")
        }
    }
}
