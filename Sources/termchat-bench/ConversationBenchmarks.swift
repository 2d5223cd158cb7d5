import ChatAPI
import ChatStore
import ChatUI
import Foundation
import TerminalUI

/// The long-chat figures, in process on the 1,000,000-message cache: opening a chat of
/// 100,000 messages, and paging from its newest message to its first. The effects the
/// reducer asks for (open, load older) are carried out the way `EffectRunner` and
/// `ConversationWatcher` do: a window of the newest N messages, N growing a page at a time.
struct ConversationBenchmarks {
    let store: ChatStore
    let me: UserInfo
    let users: [UserInfo]
    let clock = ContinuousClock()

    func baseState() throws -> AppState {
        var state = AppState(me: me, server: "bench", rows: 60, columns: 200)
        state.users = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0) })
        _ = Reducer.reduce(&state, .chatListChanged(try store.chatList()))
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
            _ = Reducer.reduce(&state, .conversationChanged(opened, try store.messages(opened, limit: Reducer.windowPage)))
        }
        _ = Screen.render(state)
    }

    /// PgUp from the newest line until the first message is on screen: each page is the key,
    /// the older messages it asks for (a page from the cache), and the frame. Bounded by
    /// `budgetSeconds`: a run that does not reach the start says how far it got.
    func scrollFigure(chat: ChatID, total: Int, budgetSeconds: Double, log: (String) -> Void) throws -> [Figure] {
        var state = try baseState()
        state.list.selectedChatId = chat
        var window = Reducer.windowPage
        for case .openChat(let opened?) in Reducer.reduce(&state, .keyPressed(.enter)) {
            _ = Reducer.reduce(&state, .conversationChanged(opened, try store.messages(opened, limit: window)))
        }
        _ = Screen.render(state)
        var pages: [Double] = []
        // Where a page's time goes: reading the grown window from the cache, and the rest
        // (the key, laying the window out, the frame).
        var reads: [Double] = []
        let started = monotonicSeconds()
        var reachedTop = false
        while monotonicSeconds() - started < budgetSeconds {
            let before = state.conversation.scrollOffset
            let elapsed = try clock.measure {
                for effect in Reducer.reduce(&state, .keyPressed(.pageUp)) {
                    guard case .loadOlder(let older) = effect else { continue }
                    window += Reducer.windowPage
                    var messages: [CachedMessage] = []
                    reads.append(try clock.measure { messages = try store.messages(older, limit: window) }.milliseconds)
                    _ = Reducer.reduce(&state, .conversationChanged(older, messages))
                    _ = Reducer.reduce(&state, .olderMessagesLoaded(older, reachedStart: window >= total, cached: total))
                }
                _ = Screen.render(state)
            }
            pages.append(elapsed.milliseconds)
            if state.conversation.scrollOffset == before, state.conversation.reachedStart.contains(chat), !state.conversation.loadingOlder {
                reachedTop = true
                break
            }
        }
        let shown = min(window, total)
        log("client: scroll: \(pages.count) pages in \(String(format: "%.1f", monotonicSeconds() - started)) s, window \(shown) of \(total), top \(reachedTop)")
        // The pages split in fifths: the time per page as the window grows.
        let fifths = (0..<5).map { fifth -> Double in
            let slice = Array(pages[(pages.count * fifth / 5)..<max(pages.count * fifth / 5 + 1, pages.count * (fifth + 1) / 5)])
            return percentile(slice, 0.99)
        }
        let lastFifth = pages.count * 4 / 5
        let lastReads = Array(reads.suffix(max(1, reads.count - lastFifth)))
        let lastPages = Array(pages.suffix(max(1, pages.count - lastFifth)))
        log("client: scroll: the last fifth of the pages, median \(String(format: "%.1f", percentile(lastPages, 0.5))) ms a page, of which reading the window \(String(format: "%.1f", percentile(lastReads, 0.5))) ms")
        let reach = reachedTop ? "to the first message" : "stopped after \(Int(budgetSeconds)) s at message \(total - shown + 1) of \(total)"
        return [
            Figure(name: "scroll newest → first, 100,000 messages: per page p99 (\(pages.count) pages, \(reach))",
                   value: percentile(pages, 0.99), unit: "ms", budget: "<= 5 ms", meets: reachedTop && percentile(pages, 0.99) <= 5),
            Figure(name: "  the same, p99 per fifth of the pages: " + fifths.map { String(format: "%.2f", $0) }.joined(separator: " · ") + " ms",
                   value: fifths.last ?? .nan, unit: "ms", budget: "report", meets: nil),
        ]
    }
}
