import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// The selection cursor on messages and the search hits it walks.
extension ConversationReducer {
    // MARK: Search hits

    /// The next (older) or previous search hit in this chat, as in less and vim: selected, and
    /// brought into the window from the cache when it is not there.
    static func nextHit(_ pane: inout ConversationState, chat: ChatID, older: Bool, _ metrics: ConversationMetrics) -> [PaneEvent] {
        let current = pane.selection.flatMap { pane.searchHits.firstIndex(of: $0) } ?? (older ? -1 : pane.searchHits.count)
        let next = current + (older ? 1 : -1)
        guard pane.searchHits.indices.contains(next) else {
            return [.notice(older ? "No older match in this chat." : "No newer match in this chat.", isError: false)]
        }
        return show(&pane, pane.searchHits[next], chat: chat, metrics) + [.notice(Said.match(next + 1, of: pane.searchHits.count), isError: false)]
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
        if pane.isAtNewest { pane.newBelow = 0 }
        guard let chat = pane.chatId else { return [] }
        return follow(&pane, chat: chat, metrics)
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
            if index + steps < 0, pane.windowReachesOldest, !pane.reachedStart.contains(chat), !pane.loadingOlder {
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
        case .enter:
            // A long message is folded; Enter shows all of it, and folds it again.
            if pane.expanded.remove(message.localId) == nil { pane.expanded.insert(message.localId) }
            return select(&pane, message.localId, metrics)
        case .character(keys.reply):
            guard !message.isDeleted else { return [.notice(Said.messageWasDeleted, isError: false)] }
            pane.selection = nil
            return [.reply(message)]
        case .character(keys.editSelected):
            guard isMine else { return [.notice(MessageSentences.onlyYourOwn("edited"), isError: true)] }
            pane.selection = nil
            return [.edit(message)]
        case .character(keys.deleteSelected):
            guard isMine else { return [.notice(MessageSentences.onlyYourOwn("deleted"), isError: true)] }
            return [.confirm(.deleteMessage(localId: message.localId, text: message.text ?? ""), chat: chat)]
        case .character(keys.saveSelected):
            guard message.attachments.contains(where: \.mayBeOnServer) else { return [.notice(Said.noAttachmentToSave, isError: false)] }
            return [.effect(.download(chat, localId: message.localId, to: nil))]
        case .character(keys.openSelected):
            guard message.attachments.contains(where: { $0.mayBeOnServer || $0.localPath != nil }) else {
                return [.notice(Said.nothingToOpen, isError: false)]
            }
            return [.effect(.openAttachment(chat, localId: message.localId))]
        case .character(keys.copySelected):
            guard let text = message.text, !text.isEmpty, !message.isDeleted else { return [.notice(Said.noTextToCopy, isError: false)] }
            return [.effect(.copyToClipboard(text)), .notice(Said.copied, isError: false)]
        case .character(keys.details):
            return [.details(chat, localId: message.localId)]
        case .character(keys.links):
            let addresses = message.isDeleted ? [] : Links.addresses(in: message.text ?? "")
            guard !addresses.isEmpty else { return [.notice(Said.noWebAddress, isError: false)] }
            return [.links(addresses)]
        default:
            return []
        }
    }
}
