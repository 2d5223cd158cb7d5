import ChatAPI
import ChatStore
import Foundation
import TerminalUI

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
    /// grows the offset by its lines, and is counted for the "↓ N new" hint. (What left the
    /// window at the top changes nothing: the offset counts from the bottom.)
    static func replaceMessages(_ pane: inout ConversationState, with messages: [CachedMessage], _ metrics: ConversationMetrics) {
        let oldNewest = pane.messages.last?.localId
        guard pane.scrollOffset > 0, let oldNewest, messages.last?.localId != oldNewest,
              let position = messages.lastIndex(where: { $0.localId == oldNewest })
        else {
            pane.messages = messages
            if pane.scrollOffset == 0 { pane.newBelow = 0 }
            return
        }
        let added = metrics.linesBelow(position, of: messages, in: pane)
        pane.messages = messages
        pane.scrollOffset += max(0, added)
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
