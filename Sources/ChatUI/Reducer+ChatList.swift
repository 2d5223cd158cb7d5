import ChatAPI
import ChatStore
import Foundation
import TerminalUI

/// The chat list pane: moving, opening, archive and mute keys.
extension Reducer {
    static func chatListKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        let chats = visibleChats(state)
        let index = chats.firstIndex { $0.id == state.selectedChatId } ?? 0
        let keys = state.keys
        if case .character(let character) = key {
            switch character {
            case keys.up: return chatListKey(&state, .up)
            case keys.down: return chatListKey(&state, .down)
            case keys.top: return chatListKey(&state, .home)
            case keys.bottom: return chatListKey(&state, .end)
            case keys.showArchive:
                state.showArchived.toggle()
                state.selectedChatId = visibleChats(state).first?.id
                state.notice = Notice(text: state.showArchived ? "Archived chats (\(keys.showArchive): back to the main list)" : "Chats", isError: false)
                return []
            case keys.archive:
                guard let chat = state.selectedChat else { return [] }
                return [.chatSettings(chat.id, ChatSettingsRequest(isArchived: !chat.isArchived))]
            case keys.mute:
                guard let chat = state.selectedChat else { return [] }
                return [.chatSettings(chat.id, ChatSettingsRequest(isMuted: !chat.isMuted))]
            case keys.remove:
                guard let chat = state.selectedChat else { return [] }
                return confirm(.removeFromDevice, chat: chat.id, &state)
            case keys.newChat:
                state.overlay = .newChat(NewChatState())
                return []
            case keys.settings:
                enterSettings(&state, chat: state.selectedChatId)
                return []
            case keys.compose, keys.command, keys.attach:
                if state.openChatId == nil, let chat = state.selectedChatId { _ = open(&state, chat, focus: .compose) }
                if state.openChatId == nil {
                    // No chat at all: "/" still opens the command line.
                    guard character == keys.command else { return [] }
                    state.compose.replace(with: "/")
                    state.focus = .compose
                    return []
                }
                state.focus = .compose
                if character == keys.command { state.compose.replace(with: "/") }
                if character == keys.attach { state.compose.replace(with: "/attach ") }
                return state.openChatId.map { [.openChat($0)] } ?? []
            case keys.quit:
                return quit(&state)
            default:
                return []
            }
        }
        switch key {
        case .up:
            if !chats.isEmpty { state.selectedChatId = chats[max(0, index - 1)].id }
        case .down:
            if !chats.isEmpty { state.selectedChatId = chats[min(chats.count - 1, index + 1)].id }
        case .home:
            state.selectedChatId = chats.first?.id
        case .end:
            state.selectedChatId = chats.last?.id
        case .enter, .right:
            guard let chat = state.selectedChatId else { return [] }
            return open(&state, chat, focus: .compose)
        default:
            break
        }
        return []
    }

    /// Opens a chat: keeps the draft of the one left, restores the draft of the one opened.
    static func open(_ state: inout AppState, _ chat: ChatID, focus: Pane) -> [Effect] {
        var effects: [Effect] = []
        if let previous = state.openChatId, previous != chat {
            state.drafts[previous] = draftText(state.compose.text)
            effects.append(.saveDraft(previous, draftText(state.compose.text)))
            effects.append(.composeEnded(previous))
        }
        if state.openChatId != chat {
            state.openChatId = chat
            state.messages = []
            state.knownHistory = []
            state.scrollOffset = 0
            state.compose = ComposeBuffer(state.drafts[chat] ?? "")
            state.historyIndex = nil
            state.newBelow = 0
            effects.append(.openChat(chat))
        }
        state.selectedChatId = chat
        state.focus = focus
        effects.append(.markRead(chat))
        return effects
    }
}
