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
            for (row, line) in zip(geometry.screen.slices(of: 1), TextWidth.wrap(message, columns: max(1, state.columns))) {
                canvas.write(line, in: row)
            }
            return canvas
        }
        if let mode = state.screenReader, let heading = geometry.heading {
            canvas.write(TextWidth.truncate(mode.heading, to: heading.width), in: heading, style: theme.header)
        }
        if let line = geometry.announcement, let announcement = state.announcement {
            canvas.write(TextWidth.truncate(announcement, to: line.width), in: line)
        }
        if geometry.showsList {
            ChatListView.draw(state, into: &canvas, in: geometry.list, theme: theme)
        }
        if let border = geometry.border {
            for row in border.slices(of: 1) { canvas.write("│", in: row, style: theme.border) }
        }
        if geometry.showsConversation {
            if state.focus == .settings {
                SettingsView.draw(state, into: &canvas, in: geometry.conversation, theme: theme)
            } else {
                ConversationView.draw(state, into: &canvas, in: geometry.conversation, theme: theme)
            }
        }
        StatusBar.draw(state, into: &canvas, in: geometry.status, theme: theme)
        switch state.overlay {
        case .help(let offset)?: HelpOverlay.draw(into: &canvas, in: geometry.overlayArea, keys: state.keys, offset: offset, theme: theme)
        case .newChat(let flow)?: NewChatOverlay.draw(flow, into: &canvas, in: geometry.overlayArea, theme: theme)
        case .confirm(let confirmation)?: QuestionBar.draw(confirmation.question, input: nil, into: &canvas, in: geometry.question, theme: theme)
        case .prompt(let prompt)?:
            let shown = prompt.purpose.isMasked ? String(repeating: "•", count: prompt.input.characters.count) : prompt.input.text
            let cursor = prompt.purpose.isMasked ? prompt.input.cursor : TextWidth.of(prompt.input.beforeCursor)
            QuestionBar.draw(prompt.label + " ", input: (shown, cursor), into: &canvas, in: geometry.question, theme: theme)
        case .search(let search)?: SearchOverlay.draw(search, state, into: &canvas, in: geometry.overlayArea, theme: theme)
        case .switcher(let switcher)?: SwitcherOverlay.draw(switcher, into: &canvas, in: geometry.overlayArea, theme: theme)
        case .links(let addresses, let selected)?: LinksOverlay.draw(addresses, selected: selected, into: &canvas, in: geometry.overlayArea, theme: theme)
        case .details(let chat, let localId)?:
            if chat == state.openChatId, let message = state.conversation.messages.last(where: { $0.localId == localId }) {
                DetailsOverlay.draw(message, state, into: &canvas, in: geometry.overlayArea, theme: theme)
            }
        case nil: break
        }
        if state.screenReader != nil { canvas.blankOut(SpokenScreen.isDrawing) }
        return canvas
    }

    /// The terminal's title: the unread count first, as browsers and weechat do.
    public static func title(_ state: AppState) -> String {
        let unread = state.unreadTotals.messages
        return unread > 0 ? "(\(unread)) TermChat" : "TermChat"
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
    static func draw(_ question: String, input: (text: String, cursor: Int)?, into canvas: inout Canvas, in bar: Rect, theme: Theme) {
        canvas.fill(bar, style: theme.selected)
        let used = canvas.write(" " + question, row: bar.row, column: bar.column, width: bar.width, style: theme.selected)
        canvas.focus = (bar.row, bar.column + 1)
        guard let input else { return }
        let field = Rect(row: bar.row, column: bar.column + used, height: bar.height, width: max(1, bar.width - used - 1))
        // Long input scrolls so that the cursor stays in view.
        let skip = max(0, input.cursor - field.width + 1)
        let visible = String(input.text.replacingOccurrences(of: "\n", with: " ").dropFirst(skip))
        canvas.write(visible, in: field)
        canvas.cursor = (field.row, field.column + min(input.cursor - skip, field.width))
    }
}

enum StatusBar {
    static func draw(_ state: AppState, into canvas: inout Canvas, in bar: Rect, theme: Theme) {
        if state.screenReader != nil { return SpokenScreen.drawStatus(state, into: &canvas, in: bar, theme: theme) }
        canvas.fill(bar, style: theme.status)
        var text = " " + connection(state) + " │ \(state.me.username)@\(state.server)"
        if state.queuedTotal > 0 { text += " │ \(state.queuedTotal) queued" }
        if state.engine.pendingChanges > 0 {
            text += " │ \(state.engine.pendingChanges) change\(state.engine.pendingChanges == 1 ? "" : "s") pending"
        }
        let failed = state.chats.reduce(0) { $0 + $1.failedCount }
        if failed > 0 { text += " │ \(failed) failed" }
        let refused = state.engine.refusedChanges.count
        if refused > 0 { text += " │ \(refused) change\(refused == 1 ? "" : "s") not done (settings)" }
        let unread = state.unreadTotals
        if unread.messages > 0 { text += " │ \(unread.messages.grouped) unread in \(unread.chats.grouped) chat\(unread.chats == 1 ? "" : "s")" }
        if state.alerts.doNotDisturb { text += " │ do not disturb" }
        let used = canvas.write(text, row: bar.row, column: bar.column, width: bar.width, style: theme.status)
        if let notice = state.notice, used + 4 < bar.width {
            let rest = bar.insetLeft(used)
            canvas.write(" │ " + notice.text, in: rest, style: notice.isError ? theme.statusError : theme.status)
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
            // The cursor on the selected chat's name, for what follows it (issue 32).
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
