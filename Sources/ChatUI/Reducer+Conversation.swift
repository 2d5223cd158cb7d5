import ChatAPI
import ChatStore
import Foundation
import TerminalUI

/// The conversation pane: scrolling, history, your last message.
extension Reducer {
    static func conversationKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard let chat = state.openChatId else { return [] }
        let page = max(1, state.rows - 6)
        let keys = state.keys
        if case .character(let character) = key {
            switch character {
            case keys.up: return scroll(&state, chat, by: 1)
            case keys.down: state.scrollOffset = max(0, state.scrollOffset - 1)
            case keys.top: return scroll(&state, chat, by: 1_000_000)
            case keys.bottom:
                state.scrollOffset = 0
                state.newBelow = 0
            case keys.compose: state.focus = .compose
            case keys.attach:
                state.compose.replace(with: "/attach ")
                state.focus = .compose
            case keys.retry:
                guard let failed = state.messages.last(where: { $0.state == .failed }) else { return [] }
                return [.retry(chat, localId: failed.localId)]
            case keys.discard:
                guard let failed = state.messages.last(where: { $0.state == .failed || $0.state == .queued }) else { return [] }
                return [.discard(chat, localId: failed.localId)]
            case keys.editLast:
                guard let mine = lastOwn(state) else { return [] }
                state.compose.replace(with: "/edit " + (mine.text ?? ""))
                state.focus = .compose
            case keys.deleteLast:
                guard let mine = lastOwn(state) else { return [] }
                return confirm(.deleteMessage(localId: mine.localId, text: mine.text ?? ""), chat: chat, &state)
            case keys.saveAttachment:
                guard let message = state.messages.last(where: { $0.attachments.contains(where: \.mayBeOnServer) }) else {
                    state.notice = Notice(text: "No attachment here that can be saved yet.", isError: false)
                    return []
                }
                return [.download(chat, localId: message.localId, to: nil)]
            case keys.settings:
                enterSettings(&state, chat: chat)
            case "h":
                state.focus = .chats
            default: break
            }
            return []
        }
        switch key {
        case .up: return scroll(&state, chat, by: 1)
        case .down: state.scrollOffset = max(0, state.scrollOffset - 1)
        case .pageUp, .control("b"): return scroll(&state, chat, by: page)
        case .pageDown, .control("f"): state.scrollOffset = max(0, state.scrollOffset - page)
        case .home: return scroll(&state, chat, by: 1_000_000)
        case .end:
            state.scrollOffset = 0
            state.newBelow = 0
        case .escape, .left: state.focus = .chats
        case .enter: state.focus = .compose
        default: break
        }
        return []
    }

    /// Replaces the window. Scrolled up, the view stays on the same lines: what arrived below
    /// grows the offset by its lines, and is counted for the "↓ N new" hint.
    static func keepViewPut(_ state: inout AppState, newMessages messages: [CachedMessage]) {
        let oldNewest = state.messages.last?.localId
        guard state.scrollOffset > 0, let oldNewest, messages.last?.localId != oldNewest,
              let position = messages.lastIndex(where: { $0.localId == oldNewest })
        else {
            state.messages = messages
            if state.scrollOffset == 0 { state.newBelow = 0 }
            return
        }
        let before = ConversationLayout.lineCount(state)
        state.messages = messages
        let after = ConversationLayout.lineCount(state)
        state.scrollOffset += max(0, after - before)
        state.newBelow += messages.count - 1 - position
    }

    /// Your newest message, sent or still on its way (the engine orders an edit or delete
    /// after its post).
    static func lastOwn(_ state: AppState) -> CachedMessage? {
        state.messages.last { $0.authorId == state.me.id && !$0.isDeleted }
    }

    static func scroll(_ state: inout AppState, _ chat: ChatID, by lines: Int) -> [Effect] {
        state.scrollOffset += lines
        let available = ConversationLayout.lineCount(state)
        let visible = ConversationLayout.messageRows(state)
        if state.scrollOffset + visible >= available {
            state.scrollOffset = max(0, available - visible)
            if !state.reachedStart.contains(chat), !state.loadingOlder {
                state.loadingOlder = true
                return [.loadOlder(chat)]
            }
        }
        return []
    }
}
