import ChatAPI
import ChatStore
import ChatSync
import ChatUI
import Foundation
import TerminalUI

/// The interactive client's loop: wires a terminal surface, the store's observations and the
/// sync engine to the pure UI core. Every source of change becomes an `Action` in one inbox;
/// one loop reduces everything that arrived, draws the new state once (paced) and hands the
/// effects to the runner. The executable gives it the ncurses terminal; tests a cell grid.
public struct ClientLoop: Sendable {
    public let session: AccountSession
    public let signIn: SignIn
    public let config: AppConfig
    /// What the program does outside the screen: the editor, notifications, the clipboard.
    public let shell: Shell
    /// How pictures are drawn on this terminal (`PictureDetection.decide`).
    public let pictures: PictureTerminal
    /// The demo: logging out ends it (there is no sign-in screen to return to).
    public var isDemo = false
    /// Screen-reader mode, when the flag, the variable or the file turned it on.
    public var screenReader: ScreenReaderMode?
    /// Said at start (a locale replaced for characters), unless something weightier is.
    public var startNotice: Notice?
    /// Runs when the person quits, once the loop stopped drawing, with a way to wait for the
    /// last effects (the draft): the executable restores the terminal and ends the process
    /// there, under a deadline. If it returns (a test), the loop winds down and answers `.quit`.
    public var quitting: @Sendable (_ lastEffects: @Sendable () async -> Void) async -> Void = { await $0() }

    /// How the client ended: quit, or signed out (with what to tell the person).
    public enum Outcome: Equatable, Sendable {
        case quit
        case signedOut(String)
    }

    public init(session: AccountSession, signIn: SignIn, config: AppConfig, shell: Shell, pictures: PictureTerminal) {
        self.session = session
        self.signIn = signIn
        self.config = config
        self.shell = shell
        self.pictures = pictures
    }

    /// Downloaded previews, beside the account's cache (`<user>.sqlite` → `<user>-previews/`).
    public static func previewDirectory(_ credentials: Credentials) -> String {
        let cache = AppPaths().cacheFile(server: credentials.server, username: credentials.username)
        return String(cache.dropLast(".sqlite".count)) + "-previews"
    }

    /// Runs until the person quits or is signed out. `listen` is given where to send what the
    /// terminal reports (keys, sizes, a quit request), as actions.
    public func run(surface: some TerminalSurface, listen: (@escaping @Sendable (Action) -> Void) -> Void) async -> Outcome {
        let inbox = LoopInbox<LoopInput>()
        let (effects, effectSink) = AsyncStream.makeStream(of: Effect.self, bufferingPolicy: .unbounded)
        let send: @Sendable (Action) -> Void = { inbox.put(.action($0), supersedes: LoopInput.superseded(by: $0)) }
        let store = session.store
        // A write's chat list and open window are one turn of the loop: one frame.
        store.handOnTogether { deliver in inbox.together(deliver) }
        let engine = session.engine
        let conversation = ConversationWatcher(store: store, send: send)
        let signIn = self.signIn
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
                    send(.signedOut(reason ?? Said.signedOut(account?.username)))
                } catch {
                    send(.signedOut(Said.signedOutServerNotTold(error.userMessage)))
                }
            }
        )
        // Ticks only while something on screen counts down or expires: one pending wake at most.
        let (ticks, ticker) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let (drained, drainedSink) = AsyncStream.makeStream(of: Void.self)

        var state = AppState(me: session.me, server: session.serverLabel, rows: 24, columns: 80)
        state.keys = config.keys
        state.alerts = config.alerts
        state.hooks = Set(config.hooks.programs.keys)
        state.showsPictures = previews != nil
        state.logoutEndsTheProgram = isDemo
        state.screenReader = screenReader
        if let startNotice { state.notice = startNotice }
        if let problem = config.problems.first { state.notice = Notice(text: problem, isError: true) }
        if let recovered = session.recoveryNotice { state.notice = Notice(text: recovered, isError: true) }
        // Said at start, not only when a search fails: this SQLite cannot index.
        if let noSearch = try? store.searchUnavailableReason() { state.notice = Notice(text: noSearch, isError: true) }
        let theme = config.theme
        let activity = UserActivity()
        listen { action in
            if case .keyPressed(let key) = action {
                if key == .enter { LatencyTrace.shared?.record("key", "enter") }
                activity.touch()
            }
            send(action)
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
            surface.pushTitle()
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
                surface.present(canvas, drawn: Self.traceFrame(state))
                if Screen.title(state) != title {
                    title = Screen.title(state)
                    surface.setTitle(title)
                }
                if Self.needsClock(state) { ticker.yield() }
            }
            // Leaving: last effects (the draft) run before everything stops.
            surface.popTitle()
            effectSink.finish()
            if state.signedOutMessage == nil {
                // Quitting the program: once the last effects ran, the terminal is restored and
                // the process ends (see `quitting`). Everything typed is in SQLite already, so
                // nothing waits for the engine or the network.
                await quitting { for await _ in drained {} }
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

    static func needsClock(_ state: AppState) -> Bool {
        if case .retrying = state.engine.connection { return true }
        // A notice fades on the clock (AppState.noticeLifetime).
        return !state.engine.typing.isEmpty || state.notice != nil
    }
}
