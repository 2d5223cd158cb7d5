import ChatAPI
import TerminalUI

/// The mouse: a click opens a chat, selects a message or starts writing; the wheel scrolls the
/// pane under the pointer, wherever the focus is. Hits are matched against the same slots and
/// rows the views draw (`ChatListView.shownChats`, `ConversationView.shownLines`).
extension Reducer {
    /// Lines one notch of the wheel scrolls the conversation.
    static let wheelLines = 3

    static func mouse(_ state: inout AppState, _ event: MouseEvent) -> [Effect] {
        // Overlays (help, a question, search) are answered with keys.
        guard state.overlay == nil else { return [] }
        let geometry = ScreenGeometry(state)
        guard !geometry.isTooSmall else { return [] }
        if geometry.showsList, geometry.list.contains(row: event.row, column: event.column) {
            return listMouse(&state, event, pane: geometry.list)
        }
        if geometry.showsConversation, state.focus != .settings, geometry.conversation.contains(row: event.row, column: event.column) {
            return conversationMouse(&state, event, pane: geometry.conversation)
        }
        return []
    }

    private static func listMouse(_ state: inout AppState, _ event: MouseEvent, pane: Rect) -> [Effect] {
        let keys = state.keys
        switch event.kind {
        case .wheelUp, .wheelDown:
            let events = ChatListReducer.key(&state.list, event.kind == .wheelUp ? .up : .down, chats: state.chats, keys: keys, title: state.title(of:))
            return apply(events, &state)
        case .press(button: 0):
            guard let hit = ChatListView.shownChats(state, in: pane).first(where: { $0.slot.contains(row: event.row, column: event.column) }) else {
                return apply([.focus(.chats)], &state)
            }
            state.list.select(hit.chat.id)
            return apply([.open(hit.chat.id, focus: .compose)], &state)
        default:
            return []
        }
    }

    private static func conversationMouse(_ state: inout AppState, _ event: MouseEvent, pane: Rect) -> [Effect] {
        guard state.openChatId != nil else { return [] }
        let rects = ConversationRects(pane, state: state)
        let metrics = ConversationMetrics(state)
        switch event.kind {
        case .wheelUp:
            return apply(ConversationReducer.scroll(&state.conversation, by: wheelLines, metrics), &state)
        case .wheelDown:
            return apply(ConversationReducer.scroll(&state.conversation, by: -wheelLines, metrics), &state)
        case .press(button: 0):
            if rects.compose.contains(row: event.row, column: event.column) {
                state.conversation.endSelection()
                return apply([.focus(.compose)], &state)
            }
            // Anywhere in the messages (the gutter too): the message on that row, if any.
            let shown = ConversationView.shownLines(state, in: rects.messages)
            if event.row >= rects.messages.row, event.row < rects.messages.bottom,
               let owner = shown.first(where: { $0.row == event.row })?.owner {
                let events = ConversationReducer.select(&state.conversation, owner, metrics)
                return apply([.focus(.conversation)] + events, &state)
            }
            return apply([.focus(.conversation)], &state)
        default:
            return []
        }
    }
}
