import ChatAPI
import ChatStore
import Foundation
import TerminalUI

/// Draws the whole screen from state into a fresh canvas. Nothing is patched: every frame is
/// drawn from state, so what is on screen is always what the state says.
public enum Screen {
    public static func render(_ state: AppState, theme: Theme = .standard) -> Canvas {
        var canvas = Canvas(rows: state.rows, columns: state.columns)
        let geometry = ScreenGeometry(state)
        if geometry.isTooSmall {
            let message = "Terminal too small: \(ScreenGeometry.minimumColumns)×\(ScreenGeometry.minimumRows) at least (now \(state.columns)×\(state.rows))"
            for (index, line) in TextWidth.wrap(message, columns: max(1, state.columns)).prefix(max(0, state.rows)).enumerated() {
                canvas.write(line, row: index, column: 0)
            }
            return canvas
        }
        if geometry.showsList {
            ChatListView.draw(state, into: &canvas, in: geometry.list, theme: theme)
        }
        if geometry.showsList && geometry.showsConversation {
            for row in 0..<geometry.conversationHeight { canvas.write("│", row: row, column: geometry.listWidth, style: theme.border) }
        }
        if geometry.showsConversation {
            if state.focus == .settings {
                SettingsView.draw(state, into: &canvas, in: geometry.conversation, theme: theme)
            } else {
                ConversationView.draw(state, into: &canvas, in: geometry.conversation, theme: theme)
            }
        }
        StatusBar.draw(state, into: &canvas, row: state.rows - 1, theme: theme)
        switch state.overlay {
        case .help?: HelpOverlay.draw(into: &canvas, keys: state.keys, offset: state.helpOffset, theme: theme)
        case .newChat(let flow)?: NewChatOverlay.draw(flow, into: &canvas, theme: theme)
        case .confirm(let confirmation)?: QuestionBar.draw(confirmation.question, input: nil, into: &canvas, theme: theme)
        case .prompt(let prompt)?:
            let shown = prompt.purpose.isMasked ? String(repeating: "•", count: prompt.input.characters.count) : prompt.input.text
            let cursor = prompt.purpose.isMasked ? prompt.input.cursor : TextWidth.of(prompt.input.beforeCursor)
            QuestionBar.draw(prompt.label + " ", input: (shown, cursor), into: &canvas, theme: theme)
        case nil: break
        }
        return canvas
    }
}

extension Canvas {
    /// Writes spans one after another; answers the columns used.
    @discardableResult
    mutating func write(_ line: StyledLine, row: Int, column: Int, width: Int) -> Int {
        var x = column
        for span in line {
            let remaining = column + width - x
            guard remaining > 0 else { break }
            x += write(span.text, row: row, column: x, width: remaining, style: span.style)
        }
        return x - column
    }
}

/// A question on the line above the status bar: a confirmation, or a prompt with its input
/// (already masked for passwords) and the cursor's column within it.
enum QuestionBar {
    static func draw(_ question: String, input: (text: String, cursor: Int)?, into canvas: inout Canvas, theme: Theme) {
        let row = max(0, canvas.rows - 2)
        canvas.fill(row: row, column: 0, height: 1, width: canvas.columns, style: theme.selected)
        let used = canvas.write(" " + question, row: row, column: 0, width: canvas.columns, style: theme.selected)
        guard let input else { return }
        let room = max(1, canvas.columns - used - 1)
        // Long input scrolls so that the cursor stays in view.
        let skip = max(0, input.cursor - room + 1)
        let visible = String(input.text.replacingOccurrences(of: "\n", with: " ").dropFirst(skip))
        canvas.write(TextWidth.truncate(visible, to: room), row: row, column: used, width: room, style: .plain)
        canvas.cursor = (row, used + min(input.cursor - skip, room))
    }
}

enum StatusBar {
    static func draw(_ state: AppState, into canvas: inout Canvas, row: Int, theme: Theme) {
        canvas.fill(row: row, column: 0, height: 1, width: state.columns, style: theme.status)
        var text = " " + connection(state) + " │ \(state.me.username)@\(state.server)"
        if state.queuedTotal > 0 { text += " │ \(state.queuedTotal) queued" }
        if state.engine.pendingChanges > 0 {
            text += " │ \(state.engine.pendingChanges) change\(state.engine.pendingChanges == 1 ? "" : "s") pending"
        }
        let failed = state.chats.reduce(0) { $0 + $1.failedCount }
        if failed > 0 { text += " │ \(failed) failed" }
        let used = canvas.write(text, row: row, column: 0, style: theme.status)
        if let notice = state.notice, used + 4 < state.columns {
            canvas.write(" │ " + notice.text, row: row, column: used, width: state.columns - used,
                         style: notice.isError ? theme.statusError : theme.status)
        }
    }

    static func connection(_ state: AppState) -> String {
        switch state.engine.connection {
        case .online:
            if let progress = state.engine.syncProgress {
                return "● syncing chats \(progress.done.grouped) of \(progress.total.grouped)"
            }
            return state.engine.isCaughtUp ? "● online" : "● syncing"
        case .connecting: return "◌ connecting"
        case .offline: return "○ offline"
        case .retrying(let at):
            let seconds = max(0, Int(at.timeIntervalSince(state.now).rounded(.up)))
            return "○ offline, retrying in \(seconds)s"
        case .signedOut: return "✗ signed out"
        }
    }
}

enum ChatListView {
    static func draw(_ state: AppState, into canvas: inout Canvas, in pane: Rect, theme: Theme) {
        let (column, width, height) = (pane.column, pane.width, pane.height)
        let focused = state.focus == .chats
        let title = state.showArchived ? "Archive" : "Chats"
        var heading = "\(title) (\(Reducer.visibleChats(state).count))"
        // New messages in archived chats count somewhere visible.
        let archivedUnread = state.chats.filter(\.isArchived).reduce(0) { $0 + $1.unreadCount }
        if state.showArchived, archivedUnread > 0 { heading += " · \(archivedUnread) unread" }
        if !state.showArchived, archivedUnread > 0 { heading += " · \(archivedUnread) in archive" }
        canvas.write(TextWidth.truncate(heading, to: width), row: 0, column: column, width: width, style: theme.header)
        let chats = Reducer.visibleChats(state)
        if chats.isEmpty {
            let hint = state.showArchived ? "Nothing archived. \(state.keys.showArchive): back." : "No chats yet. \(state.keys.newChat): new chat."
            canvas.write(TextWidth.truncate(hint, to: width), row: 2, column: column, width: width, style: theme.dim)
            return
        }
        let perChat = 2
        let capacity = max(1, (height - 1) / perChat)
        let selectedIndex = chats.firstIndex { $0.id == state.selectedChatId } ?? 0
        let first = max(0, min(selectedIndex - capacity + 1, chats.count - capacity))
        for (offset, chat) in chats.dropFirst(max(0, first)).prefix(capacity).enumerated() {
            let row = 1 + offset * perChat
            let isSelected = chat.id == state.selectedChatId
            let style: CellStyle = isSelected ? (focused ? theme.selected : CellStyle(bold: true)) : .plain
            if isSelected { canvas.fill(row: row, column: column, height: 2, width: width, style: style) }
            var marks = ""
            if chat.unreadCount > 0 { marks += " (\(chat.unreadCount))" }
            if chat.isMuted { marks += " ~" }
            if chat.isBlocked { marks += " ⊘" }
            if chat.queuedCount > 0 { marks += " ↑\(chat.queuedCount)" }
            if chat.failedCount > 0 { marks += " !\(chat.failedCount)" }
            let name = TextWidth.truncate(state.title(of: chat), to: max(1, width - TextWidth.of(marks) - 1))
            var nameStyle = style
            if chat.unreadCount > 0 { nameStyle.bold = true }
            let used = canvas.write(" " + name, row: row, column: column, width: width, style: nameStyle)
            canvas.write(marks, row: row, column: column + used, width: width - used, style: style)
            var preview: String
            var previewStyle = isSelected ? style : theme.dim
            if let typing = state.engine.typing[chat.id], !typing.isEmpty {
                preview = "typing…"
                previewStyle = isSelected ? style : theme.accent
            } else if let last = chat.lastMessage {
                let who = last.authorId == state.me.id ? "You" : state.name(of: last.authorId)
                let text = last.isDeleted ? "(deleted)" : (last.text?.isEmpty == false ? last.text! : (last.attachments.isEmpty ? "" : "📎 \(last.attachments[0].fileType)"))
                preview = "\(who): " + DisplayableText.make(text).replacingOccurrences(of: "\n", with: " ")
            } else {
                preview = "no messages yet"
            }
            canvas.write("   " + TextWidth.truncate(preview, to: max(1, width - 3)), row: row + 1, column: column, width: width, style: previewStyle)
        }
    }
}
