import ChatAPI
import ChatModel
import Foundation
import TerminalUI

enum ConversationView {
    static func draw(_ state: AppState, into canvas: inout Canvas, in pane: Rect, theme: Theme) {
        let rects = ConversationRects(pane, state: state)
        guard let chat = state.openChat else {
            let keys = state.keys
            let hint = state.chats.isEmpty ? "Press \(keys.newChat) to start a chat, \(keys.command) for commands, \(keys.help) for help."
                : "Select a chat and press Enter. \(keys.help) for help."
            let area = rects.messages.splitTop(1).top
            canvas.write(TextWidth.truncate(hint, to: area.width), row: area.row, column: area.column, width: area.width, style: theme.dim)
            if state.focus == .compose { drawCompose(state, into: &canvas, in: rects.compose, theme: theme) }
            return
        }
        // Header.
        var header = state.title(of: chat)
        header += chat.isPersonal ? "" : " · \(chat.memberIds.count.counted("member"))"
        if chat.isMuted { header += " · muted" }
        if chat.isArchived { header += " · archived" }
        if chat.isBlocked { header += " · blocked" }
        if let load = state.conversation.historyLoad { header += " · " + load.text }
        let top = rects.header
        canvas.write(TextWidth.truncate(" " + header, to: top.width), row: top.row, column: top.column, width: top.width, style: theme.header)

        let area = rects.messages
        let selection = state.conversation.selection
        let lines = shownLines(state, in: area, theme: theme)
        for (index, shown) in lines.enumerated() {
            // A picture the terminal draws is placed when all of its lines are on screen.
            if let first = shown.line.first, let picture = first.picture, index + picture.lines <= lines.count {
                canvas.pictures.append(PlacedPicture(row: shown.row, column: area.column + TextWidth.of(first.text), kind: picture.kind))
            }
            var line = shown.line
            // The selected message: reversed, with a bar in the gutter left of the messages.
            if let selection, shown.owner == selection {
                line = line.map { Span($0.text, $0.style.reversed) }
                if state.screenReader == nil { canvas.write("▌", row: shown.row, column: area.column - 1, width: 1, style: theme.accent) }
                // The cursor on the selected message's first line shown.
                if canvas.focus == nil { canvas.focus = (shown.row, area.column) }
            }
            canvas.write(line, row: shown.row, column: area.column, width: area.width)
        }
        let hint = rects.hint
        if selection != nil {
            let keys = state.keys
            let items = ["\(keys.reply) reply", "\(keys.editSelected) edit", "\(keys.deleteSelected) delete", "\(keys.saveSelected) save",
                         "\(keys.openSelected) open", "\(keys.copySelected) copy", "\(keys.details) details", "\(keys.links) links", "Esc"]
            // Spaced with dots where there is room, closer where there is not.
            let spaced = " " + items.joined(separator: " · ") + " "
            let text = TextWidth.of(spaced) <= hint.width ? spaced : " " + items.joined(separator: "  ") + " "
            canvas.write(TextWidth.truncate(text, to: hint.width), in: hint, style: theme.accent)
        } else if !state.conversation.isAtNewest {
            let pane = state.conversation, newest = "(\(state.keys.bottom): newest)"
            let text = pane.newBelow > 0 ? " ↓ \(pane.newBelow) new \(newest) "
                : pane.windowReachesNewest ? " ↓ \(pane.scrollOffset) more lines \(newest) " : " ↓ more below \(newest) "
            canvas.write(text, row: hint.row, column: hint.column, width: hint.width, style: theme.accent)
        } else if let typing = state.engine.typing[chat.id], !typing.isEmpty {
            let names = typing.sorted().map { state.name(of: $0) }
            let text = names.count == 1 ? "\(names[0]) is typing…" : names.joined(separator: ", ") + " are typing…"
            canvas.write(TextWidth.truncate(text, to: hint.width), row: hint.row, column: hint.column, width: hint.width, style: theme.dim)
        }
        drawCompose(state, into: &canvas, in: rects.compose, theme: theme)
    }

    /// The lines on screen, the row each is drawn on and the message it belongs to (nil for a
    /// day line, a note or a gap). A click is matched against the same rows.
    static func shownLines(_ state: AppState, in area: Rect, theme: Theme = .standard) -> [(row: Int, line: StyledLine, owner: String?)] {
        let laid = ConversationLayoutMemo.layout(state.conversation, state.layoutContext, width: area.width, theme: theme,
                                                 last: area.height + state.conversation.scrollOffset)
        let end = max(0, laid.lines.count - state.conversation.scrollOffset)
        let start = max(0, end - area.height)
        // A short conversation sits on the compose box, as in every chat client.
        let first = area.row + max(0, area.height - (end - start))
        return (start..<end).enumerated().map { offset, index in (row: first + offset, line: laid.lines[index], owner: laid.owners[index]) }
    }

    static func drawCompose(_ state: AppState, into canvas: inout Canvas, in box: Rect, theme: Theme) {
        let (row, column, width) = (box.row, box.column, box.width)
        let focused = state.focus == .compose
        if state.screenReader != nil {
            // Words where the rule is: what the box is, and that it has the focus.
            canvas.write(focused ? "Message, Enter sends:" : "Message box, Enter to write.", row: row, column: column, width: width, style: theme.dim)
        } else {
            let rule = String(repeating: "─", count: max(0, width))
            canvas.write(rule, row: row, column: column, width: width, style: focused ? theme.accent : theme.border)
        }
        // What Enter will do besides sending: reply to a message, or save an edit.
        if let reply = state.composer.replyTo {
            canvas.write(" replying to \(reply.author): \(reply.excerpt) · Esc cancels ", in: Rect(row: row, column: column + 1, height: 1, width: width - 2), style: theme.accent)
        } else if state.composer.editing != nil {
            canvas.write(" editing your message · Enter saves · Esc cancels ", in: Rect(row: row, column: column + 1, height: 1, width: width - 2), style: theme.accent)
        }
        // Near the limit, a byte counter; past it, what Enter will offer.
        let bytes = state.composer.buffer.text.utf8.count
        let limit = ProtocolLimits.maxMessageTextBytes
        if bytes > limit * 3 / 4 {
            let counter = bytes > limit ? " \(bytes)/\(limit) bytes · Enter: send as a .txt file " : " \(bytes)/\(limit) bytes "
            let counterWidth = TextWidth.of(counter)
            if counterWidth < width {
                canvas.write(counter, row: row, column: column + width - counterWidth, width: counterWidth, style: bytes > limit ? theme.statusError : theme.dim)
            }
        }
        if !state.composer.completions.isEmpty {
            canvas.write(TextWidth.truncate(" " + state.composer.completions.joined(separator: "  "), to: width), row: row, column: column, width: width, style: theme.dim)
        }
        let textWidth = max(1, width - 2)
        let all = ConversationLayout.composeLines(state.composer.buffer.text, width: textWidth)
        // Where the cursor is, in (line, column) of the wrapped text.
        let beforeCursor = ConversationLayout.composeLines(state.composer.buffer.beforeCursor, width: textWidth)
        let cursorLine = beforeCursor.count - 1
        let cursorColumn = TextWidth.of(beforeCursor.last ?? "")
        let visible = min(4, all.count)
        let firstLine = max(0, min(cursorLine - visible + 1, all.count - visible))
        for index in 0..<visible {
            let lineIndex = firstLine + index
            // Screen-reader mode: no glyph to be read out before every line written.
            let prefix = lineIndex == 0 && state.screenReader == nil ? "› " : "  "
            canvas.write(prefix, row: row + 1 + index, column: column, width: 2, style: focused ? theme.accent : theme.dim)
            if state.composer.buffer.isEmpty && !focused && lineIndex == 0 {
                canvas.write("\(state.keys.compose) or Enter to write, \(state.keys.command) for commands", row: row + 1, column: column + 2, width: textWidth, style: theme.dim)
            } else {
                canvas.write(all[lineIndex], row: row + 1 + index, column: column + 2, width: textWidth)
            }
        }
        if focused {
            canvas.cursor = (row + 1 + cursorLine - firstLine, column + 2 + min(cursorColumn, textWidth - 1))
        }
    }
}
