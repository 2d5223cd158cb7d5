import ChatAPI
import ChatStore
import ChatUI
import Foundation
import TerminalUI

/// The long-chat figures, in process on the 1,000,000-message cache: opening a chat of
/// 100,000 messages, and paging from its newest message to its first. The effects the
/// reducer asks for (open, move the window, load older) are carried out the way `EffectRunner`
/// and `ConversationWatcher` do, synchronously: a page's time includes reading the moved window,
/// which the client does off its drawing loop.
struct ConversationBenchmarks {
    let store: ChatStore
    let me: UserInfo
    let users: [UserInfo]
    let clock = ContinuousClock()

    /// The list with every chat read: a chat opens at its newest line (one with unread
    /// messages opens at the first of them, which here is its first).
    func baseState() throws -> AppState {
        var state = AppState(me: me, server: "bench", rows: 60, columns: 200)
        state.users = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0) })
        _ = Reducer.reduce(&state, .chatListChanged(try store.chatList().map { chat in
            var read = chat
            read.unreadCount = 0
            return read
        }))
        return state
    }

    /// Enter on the chat in the list, its window read, the first frame drawn.
    mutating func openFigure(chat: ChatID, other: ChatID, log: (String) -> Void) throws -> Figure {
        var state = try baseState()
        var p99s: [Double] = []
        for _ in 0..<5 {
            var samples: [Duration] = []
            for _ in 0..<20 {
                // Another chat first, so each open starts from nothing of this one.
                try open(other, in: &state)
                samples.append(try clock.measure { try open(chat, in: &state) })
            }
            p99s.append(percentile(samples, 0.99).milliseconds)
        }
        log("client: open a chat of 100,000: p99s \(p99s.map { String(format: "%.2f", $0) })")
        return Figure(name: "open a chat of 100,000 messages: first frame, p99 (median of 5 × 20)", samples: p99s, unit: "ms",
                      budget: "<= 20 ms") { $0 <= 20 }
    }

    private func open(_ chat: ChatID, in state: inout AppState) throws {
        _ = Reducer.reduce(&state, .keyPressed(.escape))
        state.focus = .chats
        state.list.selectedChatId = chat
        let effects = Reducer.reduce(&state, .keyPressed(.enter))
        for case .openChat(let opened?) in effects {
            _ = Reducer.reduce(&state, .windowChanged(opened, try store.window(opened, at: .newest)))
        }
        _ = Screen.render(state)
    }

    /// Carries out what the reducer asked of the store, as the client would, and answers how
    /// long the window reads took.
    private func perform(_ effects: [Effect], in state: inout AppState) throws -> Duration {
        var pending = effects
        var reading = Duration.zero
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            switch effect {
            case .moveWindow(let chat, let position):
                var window = ConversationWindow(messages: [])
                reading += try clock.measure { window = try store.window(chat, at: position) }
                pending += Reducer.reduce(&state, .windowChanged(chat, window))
            case .loadOlder(let chat):
                // The whole chat is cached: the server would answer that this is its start.
                pending += Reducer.reduce(&state, .olderMessagesLoaded(chat, reachedStart: true))
            default:
                continue
            }
        }
        return reading
    }

    /// One scroll from the newest line to the first message.
    struct Scroll {
        /// Each page's time (the key and its frame; with the window's read when it waited).
        var pages: [Double] = []
        /// The window moves' reads beside the pages.
        var reads: [Double] = []
        var waited = 0
        var reachedTop = false
        var seconds = 0.0

        /// The page time's p99 in each fifth of the pages: the time per page as the view goes deeper.
        var fifths: [Double] {
            (0..<5).map { fifth in
                percentile(Array(pages[(pages.count * fifth / 5)..<max(pages.count * fifth / 5 + 1, pages.count * (fifth + 1) / 5)]), 0.99)
            }
        }
    }

    /// PgUp from the newest line until the first message is on screen, three times (each from a
    /// fresh state): each page is the key, the window moves it asks for (read from the cache),
    /// and the frame. The figures are medians of the three runs' p99s (a p99 of one run's 370
    /// pages per fifth is its fourth-slowest page: one run's noise). Each run is bounded by
    /// `budgetSeconds`: a run that does not reach the start says how far it got.
    func scrollFigure(chat: ChatID, total: Int, budgetSeconds: Double, log: (String) -> Void) throws -> [Figure] {
        let runs = try (0..<3).map { _ in try scrollOnce(chat: chat, budgetSeconds: budgetSeconds, log: log) }
        let p99s = runs.map { percentile($0.pages, 0.99) }
        let fifths = (0..<5).map { fifth in median(runs.map { $0.fifths[fifth] }) }
        let evenDepth = (fifths.last ?? .nan) <= 1.5 * (fifths.first ?? .nan)
        let reachedTop = runs.allSatisfy(\.reachedTop)
        let reach = reachedTop ? "to the first message" : "stopped after \(Int(budgetSeconds)) s"
        let waited = runs.map(\.waited).reduce(0, +)
        let reads = runs.flatMap(\.reads)
        return [
            Figure(name: "scroll newest → first, 100,000 messages: per page p99 (median of 3 × \(runs[0].pages.count) pages, \(reach); "
                       + "\(waited) waited for the cache; spread \(p99s.map { String(format: "%.2f", $0) }.joined(separator: "–")) ms)",
                   value: median(p99s), unit: "ms", budget: "<= 5 ms", meets: reachedTop && median(p99s) <= 5 && evenDepth),
            Figure(name: "  the same, p99 per fifth of the pages (median of 3): " + fifths.map { String(format: "%.2f", $0) }.joined(separator: " · ") + " ms",
                   value: fifths.last ?? .nan, unit: "ms", budget: "last <= 1.5 × first", meets: evenDepth),
            Figure(name: "  the window moves read from the cache beside the pages (\(reads.count)), p99", value: percentile(reads, 0.99), unit: "ms",
                   budget: "report", meets: nil),
        ]
    }

    private func scrollOnce(chat: ChatID, budgetSeconds: Double, log: (String) -> Void) throws -> Scroll {
        var state = try baseState()
        state.list.selectedChatId = chat
        for case .openChat(let opened?) in Reducer.reduce(&state, .keyPressed(.enter)) {
            _ = try perform(Reducer.reduce(&state, .windowChanged(opened, try store.window(opened, at: .newest))), in: &state)
        }
        _ = Screen.render(state)
        var scroll = Scroll()
        let started = monotonicSeconds()
        // A page is the key and its frame. The window moves it asks for are carried out after
        // the frame, as in the client (the watcher reads the cache off the drawing loop while
        // the person reads the page), timed on their own; a page that went past the window's
        // edge waits for them and is timed with them and the frame after.
        while monotonicSeconds() - started < budgetSeconds {
            let before = state.conversation.scrollOffset
            var reading = Duration.zero
            var effects: [Effect] = []
            var elapsed = clock.measure {
                effects = Reducer.reduce(&state, .keyPressed(.pageUp))
                _ = Screen.render(state)
            }
            if state.conversation.pendingScroll != 0 {
                scroll.waited += 1
                elapsed += try clock.measure {
                    reading = try perform(effects, in: &state)
                    _ = Screen.render(state)
                }
            } else {
                reading = try perform(effects, in: &state)
            }
            scroll.pages.append(elapsed.milliseconds)
            if reading > .zero { scroll.reads.append(reading.milliseconds) }
            if state.conversation.scrollOffset == before, state.conversation.showsStart, state.conversation.pendingScroll == 0 {
                scroll.reachedTop = true
                break
            }
        }
        scroll.seconds = monotonicSeconds() - started
        let oldest = state.conversation.messages.first?.serverId ?? 0
        let fifths = scroll.fifths.map { String(format: "%.2f", $0) }.joined(separator: " · ")
        log("client: scroll: \(scroll.waited) of the pages waited for the window; \(scroll.pages.count) pages in \(String(format: "%.1f", scroll.seconds)) s, "
            + "window of \(state.conversation.messages.count) from id \(oldest), top \(scroll.reachedTop); p99 per fifth \(fifths) ms; "
            + "\(scroll.reads.count) window moves, median \(String(format: "%.2f", percentile(scroll.reads, 0.5))) ms, p99 \(String(format: "%.2f", percentile(scroll.reads, 0.99))) ms")
        return scroll
    }
}
