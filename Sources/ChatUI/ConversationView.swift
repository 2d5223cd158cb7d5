import ChatAPI
import ChatStore
import Foundation
import TerminalUI

enum ConversationView {
    static func draw(_ state: AppState, into canvas: inout Canvas, in pane: Rect, theme: Theme) {
        let rects = ConversationRects(pane, state: state)
        guard let chat = state.openChat ?? state.openChatId.flatMap({ id in state.chats.first { $0.id == id } }) else {
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
        header += chat.isPersonal ? "" : " · \(chat.memberIds.count) members"
        if chat.isMuted { header += " · muted" }
        if chat.isArchived { header += " · archived" }
        if chat.isBlocked { header += " · blocked" }
        let top = rects.header
        canvas.write(TextWidth.truncate(" " + header, to: top.width), row: top.row, column: top.column, width: top.width, style: theme.header)

        let area = rects.messages
        let lines = ConversationLayout.lines(state, width: area.width, theme: theme, last: area.height + state.scrollOffset)
        let end = max(0, lines.count - state.scrollOffset)
        let start = max(0, end - area.height)
        // A short conversation sits on the compose box, as in every chat client.
        let first = area.row + max(0, area.height - (end - start))
        for (offset, line) in lines[start..<end].enumerated() {
            canvas.write(line, row: first + offset, column: area.column, width: area.width)
        }
        let hint = rects.hint
        if state.scrollOffset > 0 {
            let text = state.newBelow > 0 ? " ↓ \(state.newBelow) new (G: newest) " : " ↓ \(state.scrollOffset) more lines (G: newest) "
            canvas.write(text, row: hint.row, column: hint.column, width: hint.width, style: theme.accent)
        } else if let typing = state.engine.typing[chat.id], !typing.isEmpty {
            let names = typing.sorted().map { state.name(of: $0) }
            let text = names.count == 1 ? "\(names[0]) is typing…" : names.joined(separator: ", ") + " are typing…"
            canvas.write(TextWidth.truncate(text, to: hint.width), row: hint.row, column: hint.column, width: hint.width, style: theme.dim)
        }
        drawCompose(state, into: &canvas, in: rects.compose, theme: theme)
    }

    static func drawCompose(_ state: AppState, into canvas: inout Canvas, in box: Rect, theme: Theme) {
        let (row, column, width) = (box.row, box.column, box.width)
        let focused = state.focus == .compose
        let rule = String(repeating: "─", count: max(0, width))
        canvas.write(rule, row: row, column: column, width: width, style: focused ? theme.accent : theme.border)
        // Near the limit, a byte counter; past it, what Enter will offer.
        let bytes = state.compose.text.utf8.count
        let limit = ProtocolLimits.maxMessageTextBytes
        if bytes > limit * 3 / 4 {
            let counter = bytes > limit ? " \(bytes)/\(limit) bytes · Enter: send as a .txt file " : " \(bytes)/\(limit) bytes "
            let counterWidth = TextWidth.of(counter)
            if counterWidth < width {
                canvas.write(counter, row: row, column: column + width - counterWidth, width: counterWidth, style: bytes > limit ? theme.statusError : theme.dim)
            }
        }
        if !state.completions.isEmpty {
            canvas.write(TextWidth.truncate(" " + state.completions.joined(separator: "  "), to: width), row: row, column: column, width: width, style: theme.dim)
        }
        let textWidth = max(1, width - 2)
        let all = ConversationLayout.composeLines(state.compose.text, width: textWidth)
        // Where the cursor is, in (line, column) of the wrapped text.
        let beforeCursor = ConversationLayout.composeLines(state.compose.beforeCursor, width: textWidth)
        let cursorLine = beforeCursor.count - 1
        let cursorColumn = TextWidth.of(beforeCursor.last ?? "")
        let visible = min(4, all.count)
        let firstLine = max(0, min(cursorLine - visible + 1, all.count - visible))
        for index in 0..<visible {
            let lineIndex = firstLine + index
            let prefix = lineIndex == 0 ? "› " : "  "
            canvas.write(prefix, row: row + 1 + index, column: column, width: 2, style: focused ? theme.accent : theme.dim)
            if state.compose.isEmpty && !focused && lineIndex == 0 {
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

enum SettingsView {
    static func draw(_ state: AppState, into canvas: inout Canvas, in pane: Rect, theme: Theme) {
        let (column, width, height) = (pane.column, pane.width, pane.height)
        let scope = state.settingsChat.map { "Settings: " + state.title(of: $0) + " and your account" } ?? "Settings: your account"
        canvas.write(TextWidth.truncate(" " + scope, to: width), row: 0, column: column, width: width, style: theme.header)
        let items = SettingsItem.items(for: state)
        let capacity = max(1, height - 3)
        let first = max(0, min(state.settingsSelection - capacity + 1, items.count - capacity))
        let labelWidth = min(26, width / 2)
        for (offset, item) in items.dropFirst(first).prefix(capacity).enumerated() {
            let row = 1 + offset
            let selected = first + offset == state.settingsSelection
            if selected { canvas.fill(row: row, column: column, height: 1, width: width, style: theme.selected) }
            let style = selected ? theme.selected : .plain
            canvas.write(" " + TextWidth.truncate(item.label, to: labelWidth - 1), row: row, column: column, width: labelWidth, style: style)
            canvas.write(TextWidth.truncate(item.value, to: max(1, width - labelWidth - 1)), row: row, column: column + labelWidth, width: width - labelWidth,
                         style: selected ? style : theme.dim)
        }
        canvas.write(TextWidth.truncate(" ↑↓ choose · Enter change · Esc back", to: width), row: height - 1, column: column, width: width, style: theme.dim)
    }
}

enum HelpOverlay {
    static func lines(_ keys: KeyMap) -> [(String, String)] {
        [("Keys", "")] + KeyHelp.overlayLines(keys) + [("", ""), ("Commands", "")] + commandHelp.map { ($0.usage, $0.summary) }
    }

    static var lineCount: Int { lines(KeyMap()).count }

    static func draw(into canvas: inout Canvas, keys: KeyMap, offset: Int, theme: Theme) {
        let all = lines(keys)
        let width = min(canvas.columns - 2, 78)
        let height = min(canvas.rows - 2, all.count + 2)
        // Scrolled, but never past the point where the last line is at the bottom.
        let lines = Array(all.dropFirst(max(0, min(offset, all.count - (height - 2)))))
        let top = max(0, (canvas.rows - height) / 2)
        let left = max(0, (canvas.columns - width) / 2)
        canvas.fill(row: top, column: left, height: height, width: width, style: .plain)
        let title = all.count > height - 2 ? " Help — ↑↓ PgUp PgDn scroll · any other key closes" : " Help — any key closes"
        canvas.write(TextWidth.truncate(title, to: width), row: top, column: left, width: width, style: theme.selected)
        let keyWidth = min(width / 2, (all.map { TextWidth.of($0.0) }.max() ?? 10) + 3)
        for (index, line) in lines.prefix(height - 2).enumerated() {
            let isHeading = line.1.isEmpty && !line.0.isEmpty && (line.0 == "Keys" || line.0 == "Commands")
            canvas.write(" " + line.0, row: top + 1 + index, column: left, width: keyWidth, style: isHeading ? theme.header : theme.accent)
            canvas.write(line.1, row: top + 1 + index, column: left + keyWidth, width: width - keyWidth)
        }
    }
}

enum NewChatOverlay {
    static func draw(_ flow: NewChatState, into canvas: inout Canvas, theme: Theme) {
        let width = min(canvas.columns - 2, 60)
        let height = min(canvas.rows - 2, 12)
        let top = max(0, (canvas.rows - height) / 2)
        let left = max(0, (canvas.columns - width) / 2)
        canvas.fill(row: top, column: left, height: height, width: width, style: .plain)
        canvas.write(TextWidth.truncate(" New chat — type a name · Space picks for a group · Enter starts · Esc", to: width),
                     row: top, column: left, width: width, style: theme.selected)
        canvas.write(" Search: " + flow.query, row: top + 1, column: left, width: width, style: flow.isEditingTitle ? .plain : theme.accent)
        if flow.isEditingTitle || !flow.picked.isEmpty {
            canvas.write(" Group title: " + flow.title, row: top + 2, column: left, width: width, style: flow.isEditingTitle ? theme.accent : .plain)
        }
        if !flow.picked.isEmpty {
            canvas.write(TextWidth.truncate(" With: " + flow.picked.map(\.username).joined(separator: ", "), to: width), row: top + 3, column: left, width: width)
        }
        for (index, user) in flow.results.prefix(max(0, height - 5)).enumerated() {
            let selected = index == flow.selected
            let mark = flow.picked.contains(user) ? "✓ " : "  "
            canvas.write(TextWidth.truncate(" \(mark)\(user.name) (@\(user.username))", to: width), row: top + 4 + index, column: left, width: width,
                         style: selected ? theme.selected : .plain)
        }
        if flow.results.isEmpty {
            canvas.write(flow.query.isEmpty ? " Type part of a name or username." : " Nobody found yet.", row: top + 4, column: left, width: width, style: theme.dim)
        }
        canvas.cursor = flow.isEditingTitle ? (top + 2, left + 14 + TextWidth.of(flow.title)) : (top + 1, left + 9 + TextWidth.of(flow.query))
    }
}
