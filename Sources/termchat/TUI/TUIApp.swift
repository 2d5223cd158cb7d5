import ChatAPI
import ChatApp
import ChatStore
import ChatSync
import ChatUI
import Foundation
import Terminal
import TerminalUI

/// The interactive client: wires the terminal, the store's observations and the sync engine
/// to the pure UI core. Every source of change becomes an `Action` on one stream; one loop
/// reduces it, draws the new state and hands the effects to the runner.
struct TUIApp {
    let session: Session
    let signIn: SignIn
    let config: AppConfig
    /// The demo: logging out ends it (there is no sign-in screen to return to).
    var isDemo = false
    /// Screen-reader mode, when the flag, the variable or the file turned it on.
    var screenReader: ScreenReaderMode?

    /// How the client ended: quit, or signed out (with what to tell the person).
    enum Outcome: Equatable {
        case quit
        case signedOut(String)
    }

    /// Downloaded previews, beside the account's cache (`<user>.sqlite` → `<user>-previews/`).
    static func previewDirectory(_ credentials: Credentials) -> String {
        let cache = AppPaths().cacheFile(server: credentials.server, username: credentials.username)
        return String(cache.dropLast(".sqlite".count)) + "-previews"
    }

    /// Takes the terminal for this one client, and gives it back when it ends.
    func runInOwnTerminal() async throws {
        try Self.requireUsableTerminal()
        let terminal = try Terminal(mouse: config.mouse, askGraphics: config.pictureProtocol == .auto && screenReader == nil)
        let router = TerminalEventRouter()
        let pump = Task { await router.pump(terminal) }
        let outcome = await run(terminal: terminal, router: router)
        terminal.armQuitDeadline()
        await terminal.stop()
        if case .signedOut = outcome {
            print("Logged out of the demo. Run termchat demo to come back; termchat demo --fresh starts over.")
        }
        pump.cancel()
    }

    func run(terminal: Terminal, router: TerminalEventRouter) async -> Outcome {
        let inbox = LoopInbox<LoopInput>()
        let (effects, effectSink) = AsyncStream.makeStream(of: Effect.self, bufferingPolicy: .unbounded)
        let send: @Sendable (Action) -> Void = { inbox.put(.action($0), supersedes: LoopInput.superseded(by: $0)) }
        let store = session.store
        // A write's chat list and open window are one turn of the loop: one frame.
        store.handOnTogether { deliver in inbox.together(deliver) }
        let engine = session.engine
        let conversation = ConversationWatcher(store: store, send: send)
        let signIn = self.signIn
        let shell = Shell(
            editText: { text in await ExternalEditor.edit(text, terminal: terminal) },
            completePath: { PathCompleter.candidates(for: $0) },
            ring: { terminal.bell() },
            notify: { title, body in DesktopNotifier.show(title: title, body: body) },
            open: { FileOpener.open($0) },
            copy: { terminal.copyToClipboard($0) }
        )
        let graphics = terminal.graphics
        let pictures = PictureDetection.decide(
            config.pictureProtocol, environment: ProcessInfo.processInfo.environment,
            answers: .init(kitty: graphics.kitty, sixel: graphics.sixel, cellWidth: graphics.cellWidth, cellHeight: graphics.cellHeight)
        )
        // Screen-reader mode shows no pictures: an attachment is its name and size in words.
        let previews = pictures.method == .off || screenReader != nil ? nil : PreviewLoader(
            engine: engine, store: store, terminal: pictures, maxDownload: config.maxPictureDownload,
            directory: Self.previewDirectory(session.credentials), send: send
        )
        let runner = EffectRunner(
            engine: engine, store: store, shell: shell, conversation: conversation, previews: previews, hooks: config.hooks, send: send,
            signOut: { reason in
                // The token is forgotten here either way; the server is told if it can be.
                do {
                    let account = try await signIn.logout()
                    send(.signedOut(reason ?? "Signed out\(account.map { " " + $0.username } ?? "")."))
                } catch {
                    send(.signedOut("Signed out here, but the server could not be told: \(error.userMessage)"))
                }
            }
        )
        // Ticks only while something on screen counts down or expires: one pending wake at most.
        let (ticks, ticker) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let (drained, drainedSink) = AsyncStream.makeStream(of: Void.self)

        var state = AppState(me: session.account.me, server: session.account.serverLabel, rows: 24, columns: 80)
        state.keys = config.keys
        state.alerts = config.alerts
        state.hooks = Set(config.hooks.programs.keys)
        state.showsPictures = previews != nil
        state.logoutEndsTheProgram = isDemo
        state.screenReader = screenReader
        // Said once: a locale that is not UTF-8 was replaced for characters.
        if let locale = UTF8Locale.sentence(for: UTF8Locale.adopted) { state.notice = Notice(text: locale, isError: false) }
        if let problem = config.problems.first { state.notice = Notice(text: problem, isError: true) }
        if let recovered = session.recoveryNotice { state.notice = Notice(text: recovered, isError: true) }
        // Said at start, not only when a search fails: this SQLite cannot index.
        if let noSearch = try? store.searchUnavailableReason() { state.notice = Notice(text: noSearch, isError: true) }
        let theme = config.theme
        let activity = UserActivity()
        router.route { event in
            switch event {
            case .key(let key):
                if key == .enter { LatencyTrace.shared?.record("key", "enter") }
                activity.touch()
                send(.keyPressed(key))
            case .resized(let rows, let columns): send(.terminalResized(rows: rows, columns: columns))
            case .quitRequested: send(.keyPressed(.control("q")))
            }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await engine.run() }
            group.addTask { for await status in engine.statusUpdates { send(.engineStatusChanged(status)) } }
            // Straight from the store (no task between): a commit's chat list arrives with the
            // open chat's window.
            let chatList = store.watchChatList(archived: nil) { result in
                switch result {
                case .success(let chats): send(.chatListChanged(chats))
                case .failure(let error): send(.effectFailed(error.userMessage))
                }
            }
            let users = store.watchUsers { result in
                if case .success(let users) = result { send(.usersChanged(users)) }
            }
            defer {
                chatList.cancel()
                users.cancel()
            }
            group.addTask {
                // `termchat send` and `termchat sync` may write this cache meanwhile; what they
                // wrote reaches the screen within a second (observations see only our writes).
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    try? store.noticeChangesByOtherProcesses()
                }
            }
            group.addTask {
                // A cache from before the search index is indexed in the background, in small
                // batches, so the store's writer is never held for long.
                while !Task.isCancelled, (try? store.backfillSearchIndex(batch: 2_000)) != nil {
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            group.addTask {
                // A cache too big to check before the first frame is checked now, off the
                // cooperative pool (it reads every page), once the start has settled.
                try? await Task.sleep(for: .seconds(2))
                let path = store.path
                let problem = await withCheckedContinuation { done in
                    DispatchQueue.global(qos: .utility).async { done.resume(returning: CacheRecovery.checkInBackground(path)) }
                }
                if let problem { send(.effectFailed(problem)) }
            }
            if config.history.fetchesAhead {
                let limit = config.history.limit
                group.addTask {
                    // [sync] history: each chat's newest messages (or all), so that search finds
                    // them; a page at a time while the person is not typing, a breath between
                    // pages; offline, it tries again later and goes on from what is cached.
                    try? await Task.sleep(for: .seconds(2))
                    while !Task.isCancelled {
                        let pause: @Sendable () async -> Void = {
                            await activity.waitUntilQuiet()
                            try? await Task.sleep(for: .milliseconds(100))
                        }
                        if (try? await engine.fetchHistory(newest: limit, pause: pause)) != nil { break }
                        try? await Task.sleep(for: .seconds(30))
                    }
                }
            }
            let effectQueue = EffectQueue(runner: runner, send: send)
            group.addTask {
                // Effects run off the drawing loop: in order, with network work beside them.
                await effectQueue.run(effects)
                drainedSink.finish()
            }
            group.addTask {
                for await _ in ticks {
                    try? await Task.sleep(for: .seconds(1))
                    send(.clockTicked(Date()))
                }
            }

            var title = ""
            terminal.pushTitle()
            var pacer = FramePacer()
            let trim = MemoryTrim()
            // Everything that arrived since the last turn is reduced, then one frame at most.
            loop: while let inputs = await inbox.next() {
                var draw = false
                for input in inputs {
                    let decision: FramePacer.Decision
                    switch input {
                    case .action(let action):
                        let window = Self.traceWindow(action)
                        if case .windowChanged = action { trim.touch() }
                        let produced = Reducer.reduce(&state, action)
                        window?()
                        for effect in produced { effectSink.yield(effect) }
                        if state.wantsQuit { break loop }
                        decision = pacer.changed(at: .now, urgent: !LoopInput.canWait(action))
                    case .frameDue:
                        decision = pacer.due(at: .now)
                    }
                    // A frame at most every 18 ms: in a burst of events, state changes many
                    // times per frame and only the last state is drawn.
                    switch decision {
                    case .skip: break
                    case .wait(let delay):
                        Task {
                            try? await Task.sleep(for: delay)
                            inbox.put(.frameDue)
                        }
                    case .draw: draw = true
                    }
                }
                guard draw else { continue }
                pacer.drawn(at: .now)
                let canvas = Screen.render(state, theme: theme)
                LatencyTrace.shared?.record("rendered", "-")
                terminal.present(canvas, drawn: Self.traceFrame(state))
                if Screen.title(state) != title {
                    title = Screen.title(state)
                    terminal.setTitle(title)
                }
                if Self.needsClock(state) { ticker.yield() }
            }
            // Leaving: last effects (the draft) run before everything stops.
            terminal.popTitle()
            effectSink.finish()
            if state.signedOutMessage == nil {
                // Quitting the program: once the last effects ran, the terminal is restored and
                // the process ends. Everything typed is in SQLite already, so nothing waits for
                // the engine or the network, and a deadline bounds even a stuck effect.
                terminal.armQuitDeadline()
                for await _ in drained {}
                await terminal.stop()
                _exit(0)
            }
            await conversation.stop()
            await effectQueue.cancelAll()
            group.cancelAll()
        }
        inbox.finish()
        ticker.finish()
        return state.signedOutMessage.map(Outcome.signedOut) ?? .quit
    }

    /// With `TERMCHAT_TRACE`, notes each frame on the terminal: the chats listed and the
    /// newest message shown (only at the bottom of the conversation, where it is on screen).
    static func traceFrame(_ state: AppState) -> (@Sendable () -> Void)? {
        guard let trace = LatencyTrace.shared else { return nil }
        let conversation = state.conversation
        let newest = conversation.scrollOffset == 0 && state.openChatId != nil ? conversation.messages.last?.localId ?? "-" : "-"
        let detail = "\(state.chats.count) \(newest)"
        return { trace.record("frame", detail) }
    }

    /// With `TERMCHAT_TRACE`, notes a new window of the open chat as it is reduced (its newest
    /// message): between `stored` and `frame`, it splits the cache's observation from the UI.
    static func traceWindow(_ action: Action) -> (() -> Void)? {
        guard let trace = LatencyTrace.shared, case .conversationChanged(_, let messages) = action else { return nil }
        trace.record("window", messages.last?.localId ?? "-")
        return { trace.record("reduced", messages.last?.localId ?? "-") }
    }

    /// Refuses, before the screen is taken, a terminal that cannot address the cursor and a
    /// system with no UTF-8 locale to read keys in.
    static func requireUsableTerminal() throws {
        if let refusal = TerminalRequirement.refusal() { throw CLIError(refusal) }
        let choice = UTF8Locale.adopted
        if choice == .unavailable, let sentence = UTF8Locale.sentence(for: choice) { throw CLIError(sentence) }
    }

    static func needsClock(_ state: AppState) -> Bool {
        if case .retrying = state.engine.connection { return true }
        // A notice fades on the clock (AppState.noticeLifetime).
        return !state.engine.typing.isEmpty || state.notice != nil
    }
}

