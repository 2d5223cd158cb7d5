import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// The chat list pane: its heading, and two rows a chat (one in screen-reader mode).
enum ChatListView {
    static func draw(_ state: AppState, into canvas: inout Canvas, in pane: Rect, theme: Theme) {
        let focused = state.focus == .chats
        let chats = state.visibleChats
        let (top, body) = pane.splitTop(1)
        var heading = "\(state.list.showArchived ? "Archive" : "Chats") (\(chats.count))"
        // New messages in archived chats count somewhere visible.
        let archivedUnread = state.chats.filter(\.isArchived).reduce(0) { $0 + $1.unreadCount }
        if archivedUnread > 0 { heading += state.list.showArchived ? " · \(archivedUnread) unread" : " · \(archivedUnread) in archive" }
        if !state.list.filter.isEmpty {
            heading = "“\(state.list.filter)” (\(chats.count)) · Esc clears"
        }
        // Chats out of view are said: 42 new chats above the selection went unseen.
        let shown = shownChats(state, in: pane)
        if let first = shown.first, let last = shown.last, let firstIndex = chats.firstIndex(where: { $0.id == first.chat.id }) {
            let below = chats.count - 1 - (chats.firstIndex { $0.id == last.chat.id } ?? chats.count - 1)
            switch (firstIndex, below) {
            case (0, 0): break
            case (let above, 0): heading += " · ↑ \(above.grouped) more"
            case (0, let below): heading += " · ↓ \(below.grouped) more"
            case (let above, let below): heading += " · ↑\(above.grouped) ↓\(below.grouped)"
            }
        }
        canvas.write(state.screenReader == nil ? heading : SpokenScreen.words(heading), in: top, style: theme.header)
        if chats.isEmpty {
            let hint: String
            if state.list.showArchived {
                hint = "Nothing archived. \(state.keys.showArchive): back."
            } else if !state.engine.isCaughtUp {
                // Before the first catch-up an empty list says nothing about the account.
                switch state.engine.connection {
                case .online, .connecting: hint = "Loading chats…"
                default: hint = "Chats load when online."
                }
            } else {
                hint = "No chats yet. \(state.keys.newChat): new chat."
            }
            canvas.write(hint, in: body.line(1), style: theme.dim)
            return
        }
        for (slot, chat) in shownChats(state, in: pane) {
            let isSelected = chat.id == state.list.selectedChatId
            draw(chat, state, isSelected: isSelected, focused: focused, into: &canvas, in: slot, theme: theme)
            // The cursor on the selected chat's name, for what follows it.
            if isSelected && focused { canvas.focus = (slot.row, slot.column + (state.screenReader == nil ? 1 : 0)) }
        }
    }

    /// The chats on screen and where each is drawn: two rows a chat below the heading, the
    /// selection kept in view. A click is matched against the same slots.
    static func shownChats(_ state: AppState, in pane: Rect) -> [(slot: Rect, chat: ChatSummary)] {
        let chats = state.visibleChats
        let slots = pane.splitTop(1).rest.slices(of: state.screenReader == nil ? 2 : 1)
        let capacity = max(1, slots.count)
        let selectedIndex = chats.firstIndex { $0.id == state.list.selectedChatId } ?? 0
        let first = max(0, min(selectedIndex - capacity + 1, chats.count - capacity))
        return zip(slots, chats.dropFirst(first)).map { (slot: $0, chat: $1) }
    }

    static func draw(_ chat: ChatSummary, _ state: AppState, isSelected: Bool, focused: Bool, into canvas: inout Canvas, in slot: Rect, theme: Theme) {
        let style: CellStyle = isSelected ? (focused ? theme.selected : CellStyle(bold: true)) : .plain
        if state.screenReader != nil {
            if isSelected { canvas.fill(slot, style: style) }
            canvas.write(TextWidth.truncate(SpokenScreen.chatLine(chat, state), to: slot.width), in: slot, style: style)
            return
        }
        if isSelected { canvas.fill(slot, style: style) }
        let (nameRow, previewRow) = (slot.line(0), slot.line(1))
        var marks = ""
        if chat.unreadCount > 0 { marks += " (\(chat.unreadCount))" }
        if state.mentionedChats.contains(chat.id) { marks += " @" }
        if chat.isMuted { marks += " ~" }
        if chat.isBlocked { marks += " ⊘" }
        if chat.queuedCount > 0 { marks += " ↑\(chat.queuedCount)" }
        if chat.failedCount > 0 { marks += " !\(chat.failedCount)" }
        let name = TextWidth.truncate(state.title(of: chat), to: max(1, nameRow.width - TextWidth.of(marks) - 1))
        var nameStyle = style
        if chat.unreadCount > 0 { nameStyle.bold = true }
        let used = canvas.write(" " + name, in: nameRow, style: nameStyle)
        canvas.write(marks, in: nameRow.insetLeft(used), style: style)
        var preview: String
        var previewStyle = isSelected ? style : theme.dim
        if let typing = state.engine.typing[chat.id], !typing.isEmpty {
            preview = "typing…"
            previewStyle = isSelected ? style : theme.accent
        } else if let last = chat.lastMessage {
            let who = last.authorId == state.me.id ? "You" : state.name(of: last.authorId)
            let text = last.isDeleted ? "(deleted)"
                : (last.text?.isEmpty == false ? last.text! : last.attachments.first.map { "📎 " + $0.displayName(caption: nil) } ?? "")
            if !last.isDeleted, let action = ActionText.action(last.text) {
                preview = "* \(who) " + DisplayableText.make(String(action)).replacingOccurrences(of: "\n", with: " ")
            } else {
                preview = "\(who): " + DisplayableText.make(text).replacingOccurrences(of: "\n", with: " ")
            }
        } else {
            preview = "no messages yet"
        }
        canvas.write(preview, in: previewRow.insetLeft(3), style: previewStyle)
    }
}
