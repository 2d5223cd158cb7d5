import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// The conversation's keys: scrolling, history, your last message, attachments.
enum ConversationReducer {
    static func key(_ pane: inout ConversationState, _ key: Key, keys: KeyMap, me: UserID, metrics: ConversationMetrics) -> [PaneEvent] {
        guard let chat = pane.chatId else { return [] }
        // Any key stops a history load (`g` on a chat whose start is not cached).
        if pane.historyLoad != nil {
            pane.historyLoad = nil
            pane.pendingJump = nil
            return [.effect(.stopLoadingHistory(chat)), .notice(Said.stoppedLoadingHistory, isError: false)]
        }
        if !pane.searchHits.isEmpty, key == .character(keys.nextHit) || key == .character(keys.previousHit) {
            return nextHit(&pane, chat: chat, older: key == .character(keys.nextHit), metrics)
        }
        if pane.selection != nil { return selectionKey(&pane, key, chat: chat, keys: keys, me: me, metrics: metrics) }
        if key == .enter || key == .character(keys.select) {
            guard let newest = pane.messages.last else { return [.notice(Said.noMessageToSelect, isError: false)] }
            return select(&pane, newest.localId, metrics)
        }
        if case .character(let character) = key {
            switch character {
            case keys.up: return scroll(&pane, by: 1, metrics)
            case keys.down: return scroll(&pane, by: -1, metrics)
            case keys.top: return toFirst(&pane, chat: chat, metrics)
            case keys.bottom: return toNewest(&pane, chat: chat, metrics)
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
                    return [.notice(Said.nothingHereToSaveYet, isError: false)]
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
        case .home: return toFirst(&pane, chat: chat, metrics)
        case .end: return toNewest(&pane, chat: chat, metrics)
        case .escape, .left: return [.focus(.chats)]
        default: return []
        }
    }

    /// Scrolls by `lines` (up is positive). Past the window's edge the rest is kept for when
    /// the window has moved there (so keys pressed faster than the cache reads add up to one
    /// move); past the oldest line cached, older messages are asked of the server.
    static func scroll(_ pane: inout ConversationState, by lines: Int, _ metrics: ConversationMetrics) -> [PaneEvent] {
        guard let chat = pane.chatId else { return [] }
        // Scrolling takes over from a jump still waiting for its window (the unread line
        // of a chat whose history could not be fetched, say).
        pane.pendingJump = nil
        // While the window is moving for a scroll past its edge, more keys the same way only
        // add to that scroll: held keys cost nothing until the window is there, and then
        // one move.
        if pane.pendingScroll != 0, (pane.pendingScroll > 0) == (lines > 0) {
            pane.pendingScroll += lines
            return []
        }
        var events: [PaneEvent] = []
        // A scroll still waiting for the window adds up with this one.
        var target = pane.scrollOffset + pane.pendingScroll + lines
        pane.pendingScroll = 0
        if target < 0 {
            pane.pendingScroll = pane.windowReachesNewest ? 0 : target
            target = 0
        } else {
            let top = max(0, metrics.lineCount(pane) - metrics.visibleRows)
            if target > top {
                pane.pendingScroll = pane.windowReachesOldest ? 0 : target - top
                if pane.windowReachesOldest, !pane.reachedStart.contains(chat), !pane.loadingOlder {
                    pane.loadingOlder = true
                    events.append(.effect(.loadOlder(chat)))
                }
                target = top
            } else {
                pane.pendingScroll = 0
            }
        }
        pane.scrollOffset = target
        if pane.isAtNewest { pane.newBelow = 0 }
        return events + follow(&pane, chat: chat, metrics)
    }

    /// Moves the window when the view comes within two pages of an edge that is not the chat's (or the
    /// cache's), around the message at the bottom of the view; back at the newest line, the
    /// window follows the newest message again. Near the cache's oldest message, the server is
    /// asked for older ones before the person gets there.
    static func follow(_ pane: inout ConversationState, chat: ChatID, _ metrics: ConversationMetrics) -> [PaneEvent] {
        if pane.scrollOffset == 0, pane.windowReachesNewest, pane.pendingScroll >= 0 {
            guard pane.window != .newest else { return [] }
            pane.window = .newest
            return [.effect(.moveWindow(chat, .newest))]
        }
        guard let at = metrics.anchor(pane)?.message else { return [] }
        var events: [PaneEvent] = []
        // Two pages of lines between the view and the edge: the next page never waits for
        // the window, which moves while the person reads this one.
        let margin = 2 * metrics.page
        let linesAbove = metrics.lineCount(pane) - metrics.visibleRows - pane.scrollOffset
        let nearTop = linesAbove < margin, nearBottom = pane.scrollOffset < margin
        if (nearTop && !pane.windowReachesOldest) || (nearBottom && !pane.windowReachesNewest) || pane.pendingScroll != 0,
           var around = pane.messages[...at].last(where: { $0.serverId != nil })?.serverId ?? pane.messages[at...].first(where: { $0.serverId != nil })?.serverId {
            // Already read around it (a screen taller than the window's side): around the
            // window's edge the scroll goes to instead.
            if pane.window == .around(around), pane.pendingScroll != 0,
               let edge = pane.pendingScroll > 0 ? pane.messages.first?.serverId : pane.messages.last(where: { $0.serverId != nil })?.serverId {
                around = edge
            }
            if pane.window != .around(around) {
                pane.window = .around(around)
                events.append(.effect(.moveWindow(chat, .around(around))))
            }
        }
        if nearTop, pane.windowReachesOldest, !pane.reachedStart.contains(chat), !pane.loadingOlder, pane.historyLoad == nil {
            pane.loadingOlder = true
            events.append(.effect(.loadOlder(chat)))
        }
        return events
    }

    /// `G`: the chat's newest line, moving the window there when it is elsewhere.
    static func toNewest(_ pane: inout ConversationState, chat: ChatID, _ metrics: ConversationMetrics) -> [PaneEvent] {
        pane.pendingScroll = 0
        if pane.windowReachesNewest {
            pane.pendingJump = nil
            return scroll(&pane, by: -pane.scrollOffset, metrics)
        }
        pane.pendingJump = .newest
        pane.window = .newest
        return [.effect(.moveWindow(chat, .newest))]
    }

    /// `g`: the chat's first message. What the cache lacks is fetched in the background (the
    /// header counts it; any key stops it) and the view lands on the first message.
    static func toFirst(_ pane: inout ConversationState, chat: ChatID, _ metrics: ConversationMetrics) -> [PaneEvent] {
        pane.pendingScroll = 0
        if pane.showsStart {
            pane.pendingJump = nil
            return scroll(&pane, by: metrics.lineCount(pane), metrics)
        }
        pane.pendingJump = .oldest
        var events: [PaneEvent] = []
        if pane.window != .oldest {
            pane.window = .oldest
            events.append(.effect(.moveWindow(chat, .oldest)))
        }
        if !pane.reachedStart.contains(chat) {
            pane.historyLoad = ConversationState.HistoryLoad(loaded: 0)
            events.append(.effect(.loadHistory(chat)))
        }
        return events
    }

    /// A new window (the store changed, or the window moved). The view stays on the same line
    /// of the same message (the anchor); what arrived below it while scrolled up is counted
    /// for the "↓ N new" hint; a jump waiting for this window lands; a scroll that went past
    /// the old window's edge goes on.
    static func replaceWindow(_ pane: inout ConversationState, with window: ConversationWindow, _ metrics: ConversationMetrics) -> [PaneEvent] {
        guard let chat = pane.chatId else { return [] }
        let wasAtNewest = pane.scrollOffset == 0 && pane.windowReachesNewest
        // At the chat's first line, the view stays there while older history comes in (the
        // window read at the start changes under it).
        let wasAtFirst = pane.window == .oldest && pane.windowReachesOldest && pane.scrollOffset > 0
            && pane.scrollOffset >= metrics.lineCount(pane) - metrics.visibleRows
        let anchor = wasAtNewest ? nil : metrics.anchor(pane)
        let oldNewest = pane.windowReachesNewest ? pane.messages.last?.localId : nil
        pane.messages = window.messages
        pane.previousMessage = window.previous
        pane.windowReachesNewest = window.reachesNewest
        pane.windowReachesOldest = window.reachesOldest
        if let known = window.known { pane.knownHistory = known }
        var events: [PaneEvent] = []
        switch pane.pendingJump {
        case .newest? where window.reachesNewest:
            pane.pendingJump = nil
            pane.scrollOffset = 0
        case .oldest? where window.reachesOldest:
            if pane.historyLoad == nil { pane.pendingJump = nil }
            pane.scrollOffset = max(0, metrics.lineCount(pane) - metrics.visibleRows)
        case .unreadLine?:
            let laid = metrics.laidOut(pane)
            if let line = laid.unreadLine {
                pane.pendingJump = nil
                pane.scrollOffset = 0
                metrics.reveal(line...line, total: laid.lines.count, in: &pane)
            }
        case _ where wasAtFirst && window.reachesOldest:
            pane.scrollOffset = max(0, metrics.lineCount(pane) - metrics.visibleRows)
        default:
            if let anchor {
                pane.scrollOffset = metrics.offset(of: anchor, in: pane) ?? min(pane.scrollOffset, max(0, metrics.lineCount(pane) - metrics.visibleRows))
                if window.reachesNewest, let oldNewest, let position = window.messages.lastIndex(where: { $0.localId == oldNewest }) {
                    pane.newBelow += window.messages.count - 1 - position
                }
            } else if !wasAtNewest {
                pane.scrollOffset = 0
            }
        }
        // Never past the window's first line (at the newest line there is nothing to clamp).
        if pane.scrollOffset > 0 { pane.scrollOffset = min(pane.scrollOffset, max(0, metrics.lineCount(pane) - metrics.visibleRows)) }
        if pane.isAtNewest { pane.newBelow = 0 }
        // A message waiting to be selected (a search hit) is shown first: the window then
        // follows the view from there, not from wherever the new window put it.
        if let pending = pane.pendingSelection, pane.messages.contains(where: { $0.localId == pending }) {
            pane.pendingSelection = nil
            return events + select(&pane, pending, metrics)
        }
        if pane.pendingScroll != 0, pane.pendingJump == nil {
            let rest = pane.pendingScroll
            pane.pendingScroll = 0
            events += scroll(&pane, by: rest, metrics)
        } else {
            events += follow(&pane, chat: chat, metrics)
        }
        return events
    }

    /// Something besides the messages that changes the window's lines (the known history,
    /// whose gaps are marked; the notes): the view stays on its line, or at the chat's first
    /// line when it was there.
    static func keepingView(_ pane: inout ConversationState, _ metrics: ConversationMetrics, _ change: (inout ConversationState) -> Void) {
        // At the newest line the view stays there without counting lines (a live burst
        // changes the known history with every message).
        if pane.scrollOffset == 0, pane.pendingJump == nil { return change(&pane) }
        let top = { (pane: ConversationState) in max(0, metrics.lineCount(pane) - metrics.visibleRows) }
        let atFirst = pane.windowReachesOldest && pane.scrollOffset > 0 && pane.scrollOffset >= top(pane)
        let anchor = pane.scrollOffset == 0 ? nil : metrics.anchor(pane)
        change(&pane)
        if atFirst || pane.pendingJump == .oldest && pane.windowReachesOldest {
            pane.scrollOffset = top(pane)
        } else if let anchor, let offset = metrics.offset(of: anchor, in: pane) {
            pane.scrollOffset = offset
        }
        pane.scrollOffset = min(pane.scrollOffset, top(pane))
    }

    /// The first messages of a chat opened with unread ones: the marker goes above the first
    /// unread, scrolled into view. When the window does not reach back that far, the cache (and
    /// the server) are asked where the first unread is.
    static func placeUnreadMarker(_ pane: inout ConversationState, me: UserID, _ metrics: ConversationMetrics) -> [PaneEvent] {
        guard pane.pendingUnread > 0, let chat = pane.chatId, !pane.messages.isEmpty else { return [] }
        let count = pane.pendingUnread
        pane.pendingUnread = 0
        guard let marker = UnreadMarker.place(count: count, in: pane.messages, me: me, windowShowsStart: pane.showsStart) else {
            pane.pendingJump = .unreadLine
            return [.effect(.findUnread(chat, count: count))]
        }
        pane.unread = marker
        let laid = metrics.laidOut(pane)
        if let line = laid.unreadLine { metrics.reveal(line...line, total: laid.lines.count, in: &pane) }
        return follow(&pane, chat: chat, metrics)
    }

    /// The cache found the first unread message: the window moves around it, and the view to
    /// the unread line.
    static func unreadFound(_ pane: inout ConversationState, _ marker: UnreadMarker, serverId: MessageID) -> [PaneEvent] {
        guard let chat = pane.chatId else { return [] }
        pane.unread = marker
        pane.pendingJump = .unreadLine
        pane.window = .around(serverId)
        return [.effect(.moveWindow(chat, .around(serverId)))]
    }
}
