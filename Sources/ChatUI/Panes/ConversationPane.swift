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
    /// What happened in the chat besides messages (renames, members, images, clears).
    public var notes: [ChatNote] = []
    /// The message the selection cursor is on (its localId), while selecting.
    public var selection: String?
    /// Where the unread messages began when the chat was opened; kept until it is left.
    public var unread: UnreadMarker?
    /// The unread count when the chat was opened, until its messages arrive to place the marker.
    var pendingUnread = 0
    /// A message to select once the window holds it (a search hit being opened).
    public var pendingSelection: String?
    /// The search's hits in this chat, newest first: n and N move between them.
    public var searchHits: [String] = []

    public init() {}

    /// Shows another chat, from its newest message.
    mutating func show(_ chat: ChatID?, unread: Int = 0) {
        chatId = chat
        messages = []
        knownHistory = []
        notes = []
        scrollOffset = 0
        newBelow = 0
        selection = nil
        self.unread = nil
        pendingUnread = unread
        pendingSelection = nil
        searchHits = []
    }

    var selectedMessage: CachedMessage? {
        guard let selection else { return nil }
        return messages.last { $0.localId == selection }
    }

    /// Your newest message, sent or still on its way (the engine orders an edit or delete
    /// after its post).
    func lastOwn(_ me: UserID) -> CachedMessage? {
        messages.last { $0.authorId == me && !$0.isDeleted }
    }
}

/// The "── 3 new ──" line: above the first message that was unread when the chat was opened.
public struct UnreadMarker: Equatable, Sendable {
    public var count: Int
    public var localId: String

    public init(count: Int, localId: String) {
        self.count = count
        self.localId = localId
    }

    /// The first of the `count` newest messages of other people (deleted ones are not counted
    /// unread); the window's oldest when it holds fewer.
    static func place(count: Int, in messages: [CachedMessage], me: UserID) -> UnreadMarker? {
        guard count > 0 else { return nil }
        let theirs = messages.filter { $0.authorId != me && !$0.isDeleted && $0.serverId != nil }
        guard let first = theirs.suffix(count).first else { return nil }
        return UnreadMarker(count: count, localId: first.localId)
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

    func laidOut(_ conversation: ConversationState) -> ConversationLines {
        ConversationLayout.layout(conversation, context, width: area.width)
    }

    func lineCount(_ conversation: ConversationState) -> Int { laidOut(conversation).lines.count }

    /// Scrolls so that lines `first...last` are on screen (the first of them when they are
    /// more than a screenful).
    func reveal(_ lines: ClosedRange<Int>, total: Int, in pane: inout ConversationState) {
        let bottom = total - pane.scrollOffset  // one past the last line shown
        let top = bottom - visibleRows
        if lines.lowerBound < top || lines.upperBound - lines.lowerBound + 1 > visibleRows {
            pane.scrollOffset = total - lines.lowerBound - visibleRows
        } else if lines.upperBound >= bottom {
            pane.scrollOffset = total - lines.upperBound - 1
        }
        pane.scrollOffset = max(0, min(pane.scrollOffset, total - visibleRows))
    }
}

/// The conversation's keys: scrolling, history, your last message, attachments.
enum ConversationReducer {
    static func key(_ pane: inout ConversationState, _ key: Key, keys: KeyMap, me: UserID, metrics: ConversationMetrics) -> [PaneEvent] {
        guard let chat = pane.chatId else { return [] }
        if !pane.searchHits.isEmpty, key == .character(keys.nextHit) || key == .character(keys.previousHit) {
            return nextHit(&pane, chat: chat, older: key == .character(keys.nextHit), metrics)
        }
        if pane.selection != nil { return selectionKey(&pane, key, chat: chat, keys: keys, me: me, metrics: metrics) }
        if key == .enter || key == .character(keys.select) {
            guard let newest = pane.messages.last else { return [.notice("No message here to select.", isError: false)] }
            return select(&pane, newest.localId, metrics)
        }
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
        case .pageDown: return scroll(&pane, by: -metrics.page, metrics)
        case .home: return scroll(&pane, by: 1_000_000, metrics)
        case .end: return scroll(&pane, by: -pane.scrollOffset, metrics)
        case .escape, .left: return [.focus(.chats)]
        default: return []
        }
    }

    // MARK: Search hits

    /// The next (older) or previous search hit in this chat, as in less and vim: selected, and
    /// brought into the window from the cache when it is not there.
    static func nextHit(_ pane: inout ConversationState, chat: ChatID, older: Bool, _ metrics: ConversationMetrics) -> [PaneEvent] {
        let current = pane.selection.flatMap { pane.searchHits.firstIndex(of: $0) } ?? (older ? -1 : pane.searchHits.count)
        let next = current + (older ? 1 : -1)
        guard pane.searchHits.indices.contains(next) else {
            return [.notice(older ? "No older match in this chat." : "No newer match in this chat.", isError: false)]
        }
        return show(&pane, pane.searchHits[next], chat: chat, metrics) + [.notice("Match \(next + 1) of \(pane.searchHits.count).", isError: false)]
    }

    /// Selects a message; one outside the window is asked for and selected when it arrives.
    static func show(_ pane: inout ConversationState, _ localId: String, chat: ChatID, _ metrics: ConversationMetrics) -> [PaneEvent] {
        if pane.messages.contains(where: { $0.localId == localId }) {
            pane.pendingSelection = nil
            return select(&pane, localId, metrics)
        }
        pane.pendingSelection = localId
        return [.effect(.showMessage(chat, localId: localId))]
    }

    /// The window changed: a message waiting to be selected is selected once it is in it.
    static func selectPending(_ pane: inout ConversationState, _ metrics: ConversationMetrics) {
        guard let pending = pane.pendingSelection, pane.messages.contains(where: { $0.localId == pending }) else { return }
        pane.pendingSelection = nil
        _ = select(&pane, pending, metrics)
    }

    // MARK: Selection

    static func select(_ pane: inout ConversationState, _ localId: String, _ metrics: ConversationMetrics) -> [PaneEvent] {
        pane.selection = localId
        let laid = metrics.laidOut(pane)
        if let lines = laid.lines(of: localId) { metrics.reveal(lines, total: laid.lines.count, in: &pane) }
        if pane.scrollOffset == 0 { pane.newBelow = 0 }
        return []
    }

    /// The keys of the selection cursor: moving it, and acting on the message under it.
    static func selectionKey(_ pane: inout ConversationState, _ key: Key, chat: ChatID, keys: KeyMap, me: UserID,
                             metrics: ConversationMetrics) -> [PaneEvent] {
        guard let message = pane.selectedMessage, let index = pane.messages.lastIndex(where: { $0.localId == message.localId }) else {
            pane.selection = nil
            return []
        }
        func move(by steps: Int) -> [PaneEvent] {
            let target = max(0, min(pane.messages.count - 1, index + steps))
            var events = select(&pane, pane.messages[target].localId, metrics)
            // At the oldest message of the window, older ones are fetched.
            if index + steps < 0, !pane.reachedStart.contains(chat), !pane.loadingOlder {
                pane.loadingOlder = true
                events.append(.effect(.loadOlder(chat)))
            }
            return events
        }
        let page = max(1, metrics.page / 3)
        let isMine = message.authorId == me && !message.isDeleted
        switch key {
        case .up, .character(keys.up): return move(by: -1)
        case .down, .character(keys.down): return move(by: 1)
        case .pageUp, .control("b"): return move(by: -page)
        case .pageDown: return move(by: page)
        case .home, .character(keys.top): return move(by: -pane.messages.count)
        case .end, .character(keys.bottom): return move(by: pane.messages.count)
        case .escape, .left:
            pane.selection = nil
            return []
        case .character(keys.reply):
            guard !message.isDeleted else { return [.notice("That message was deleted.", isError: false)] }
            pane.selection = nil
            return [.reply(message)]
        case .character(keys.editSelected):
            guard isMine else { return [.notice("Only your own messages can be edited.", isError: true)] }
            pane.selection = nil
            return [.edit(message)]
        case .character(keys.deleteSelected):
            guard isMine else { return [.notice("Only your own messages can be deleted.", isError: true)] }
            return [.confirm(.deleteMessage(localId: message.localId, text: message.text ?? ""), chat: chat)]
        case .character(keys.saveSelected):
            guard message.attachments.contains(where: \.mayBeOnServer) else { return [.notice("No attachment on that message that can be saved.", isError: false)] }
            return [.effect(.download(chat, localId: message.localId, to: nil))]
        case .character(keys.openSelected):
            guard message.attachments.contains(where: { $0.mayBeOnServer || $0.localPath != nil }) else {
                return [.notice("Nothing to open on that message.", isError: false)]
            }
            return [.effect(.openAttachment(chat, localId: message.localId))]
        case .character(keys.copySelected):
            guard let text = message.text, !text.isEmpty, !message.isDeleted else { return [.notice("That message has no text to copy.", isError: false)] }
            return [.effect(.copyToClipboard(text)), .notice("Copied to the clipboard.", isError: false)]
        case .character(keys.details):
            return [.details(chat, localId: message.localId)]
        default:
            return []
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

    /// The first messages of a chat opened with unread ones: the marker goes above the first
    /// unread, scrolled into view.
    static func placeUnreadMarker(_ pane: inout ConversationState, me: UserID, _ metrics: ConversationMetrics) {
        guard pane.pendingUnread > 0, !pane.messages.isEmpty else { return }
        pane.unread = UnreadMarker.place(count: pane.pendingUnread, in: pane.messages, me: me)
        pane.pendingUnread = 0
        let laid = metrics.laidOut(pane)
        if let line = laid.unreadLine { metrics.reveal(line...line, total: laid.lines.count, in: &pane) }
    }
}
