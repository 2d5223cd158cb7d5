import ChatAPI
import ChatStore
import Foundation
import TerminalUI

/// The conversation pane's own state: the open chat's window of messages and where it is
/// scrolled to.
public struct ConversationState: Equatable, Sendable {
    public var chatId: ChatID?
    public var messages: [CachedMessage] = []
    /// Server-id ranges of the open chat known to be complete: between them are gaps.
    public var knownHistory: [HistoryRange] = []
    /// Lines scrolled up from the newest message.
    public var scrollOffset = 0
    /// Messages that arrived below the view while scrolled up.
    public var newBelow = 0
    public var loadingOlder = false
    /// Chats whose first message is in the cache.
    public var reachedStart: Set<ChatID> = []
    /// Messages the cache held for a chat when history was last loaded.
    public var cachedCount: [ChatID: Int] = [:]

    public init() {}

    /// Shows another chat, from its newest message.
    mutating func show(_ chat: ChatID?) {
        chatId = chat
        messages = []
        knownHistory = []
        scrollOffset = 0
        newBelow = 0
    }

    /// Your newest message, sent or still on its way (the engine orders an edit or delete
    /// after its post).
    func lastOwn(_ me: UserID) -> CachedMessage? {
        messages.last { $0.authorId == me && !$0.isDeleted }
    }
}

/// What the conversation's reducer needs to know of the screen: the rectangle the messages
/// are drawn in and how they are laid out, so that scrolling is clamped at what is drawn.
struct ConversationMetrics {
    var area: Rect
    var context: LayoutContext
    /// Lines a page key scrolls.
    var page: Int

    init(_ state: AppState) {
        area = ConversationRects(ScreenGeometry(state).conversation, state: state).messages
        context = state.layoutContext
        page = max(1, state.rows - 6)
    }

    var visibleRows: Int { max(1, area.height) }

    func lineCount(_ conversation: ConversationState) -> Int {
        ConversationLayout.lines(conversation, context, width: area.width).count
    }
}

/// The conversation's keys: scrolling, history, your last message, attachments.
enum ConversationReducer {
    static func key(_ pane: inout ConversationState, _ key: Key, keys: KeyMap, me: UserID, metrics: ConversationMetrics) -> [PaneEvent] {
        guard let chat = pane.chatId else { return [] }
        if case .character(let character) = key {
            switch character {
            case keys.up: return scroll(&pane, by: 1, metrics)
            case keys.down: return scroll(&pane, by: -1, metrics)
            case keys.top: return scroll(&pane, by: 1_000_000, metrics)
            case keys.bottom: return scroll(&pane, by: -pane.scrollOffset, metrics)
            case keys.compose: return [.focus(.compose)]
            case keys.attach: return [.compose(prefill: "/attach ")]
            case keys.command: return [.compose(prefill: "/")]
            case keys.retry:
                guard let failed = pane.messages.last(where: { $0.state == .failed }) else { return [] }
                return [.effect(.retry(chat, localId: failed.localId))]
            case keys.discard:
                guard let failed = pane.messages.last(where: { $0.state == .failed || $0.state == .queued }) else { return [] }
                return [.effect(.discard(chat, localId: failed.localId))]
            case keys.editLast:
                guard let mine = pane.lastOwn(me) else { return [] }
                return [.compose(prefill: "/edit " + (mine.text ?? ""))]
            case keys.deleteLast:
                guard let mine = pane.lastOwn(me) else { return [] }
                return [.confirm(.deleteMessage(localId: mine.localId, text: mine.text ?? ""), chat: chat)]
            case keys.saveAttachment:
                guard let message = pane.messages.last(where: { $0.attachments.contains(where: \.mayBeOnServer) }) else {
                    return [.notice("No attachment here that can be saved yet.", isError: false)]
                }
                return [.effect(.download(chat, localId: message.localId, to: nil))]
            case keys.settings: return [.settings(chat: chat)]
            case keys.back: return [.focus(.chats)]
            default: return []
            }
        }
        switch key {
        case .up: return scroll(&pane, by: 1, metrics)
        case .down: return scroll(&pane, by: -1, metrics)
        case .pageUp, .control("b"): return scroll(&pane, by: metrics.page, metrics)
        case .pageDown, .control("f"): return scroll(&pane, by: -metrics.page, metrics)
        case .home: return scroll(&pane, by: 1_000_000, metrics)
        case .end: return scroll(&pane, by: -pane.scrollOffset, metrics)
        case .escape, .left: return [.focus(.chats)]
        case .enter: return [.focus(.compose)]
        default: return []
        }
    }

    /// Scrolls by `lines` (up is positive). Past the oldest line drawn, older messages are
    /// asked for; back at the newest, the "new below" count ends.
    static func scroll(_ pane: inout ConversationState, by lines: Int, _ metrics: ConversationMetrics) -> [PaneEvent] {
        pane.scrollOffset = max(0, pane.scrollOffset + lines)
        if pane.scrollOffset == 0 { pane.newBelow = 0 }
        guard lines > 0, let chat = pane.chatId else { return [] }
        let available = metrics.lineCount(pane)
        if pane.scrollOffset + metrics.visibleRows >= available {
            pane.scrollOffset = max(0, available - metrics.visibleRows)
            if !pane.reachedStart.contains(chat), !pane.loadingOlder {
                pane.loadingOlder = true
                return [.effect(.loadOlder(chat))]
            }
        }
        return []
    }

    /// Replaces the window. Scrolled up, the view stays on the same lines: what arrived below
    /// grows the offset by its lines, and is counted for the "↓ N new" hint.
    static func replaceMessages(_ pane: inout ConversationState, with messages: [CachedMessage], _ metrics: ConversationMetrics) {
        let oldNewest = pane.messages.last?.localId
        guard pane.scrollOffset > 0, let oldNewest, messages.last?.localId != oldNewest,
              let position = messages.lastIndex(where: { $0.localId == oldNewest })
        else {
            pane.messages = messages
            if pane.scrollOffset == 0 { pane.newBelow = 0 }
            return
        }
        let before = metrics.lineCount(pane)
        pane.messages = messages
        let after = metrics.lineCount(pane)
        pane.scrollOffset += max(0, after - before)
        pane.newBelow += messages.count - 1 - position
    }
}
