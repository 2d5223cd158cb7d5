import ChatAPI
import ChatModel
import Foundation
import TerminalUI

enum SettingsView {
    static func draw(_ state: AppState, into canvas: inout Canvas, in pane: Rect, theme: Theme) {
        let (header, below) = pane.splitTop(1)
        let (body, footer) = below.splitBottom(1)
        let scope = state.settingsChat.map { "Settings: " + state.title(of: $0) + " and your account" } ?? "Settings: your account"
        canvas.write(" " + scope, in: header, style: theme.header)
        let items = SettingsItem.items(for: state)
        // One row an item, a blank row above the footer; the selection is kept in view.
        let rows = body.splitBottom(1).rest.slices(of: 1)
        let capacity = max(1, rows.count)
        let selection = state.settings.selection
        let first = max(0, min(selection - capacity + 1, items.count - capacity))
        for (offset, (row, item)) in zip(rows, items.dropFirst(first)).enumerated() {
            let selected = first + offset == selection
            if selected {
                canvas.fill(row, style: theme.selected)
                canvas.focus = (row.row, row.column + 1)  // the cursor on the chosen row
            }
            let style = selected ? theme.selected : .plain
            let (label, value) = row.splitLeft(min(26, row.width / 2))
            canvas.write(" " + TextWidth.truncate(item.label, to: label.width - 1), in: label, style: selected || !item.isOwnersOnly ? style : theme.dim)
            canvas.write(item.value, in: value.splitLeft(value.width - 1).left, style: selected ? style : theme.dim)
        }
        canvas.write(" ↑↓ choose · Enter change · Esc back", in: footer, style: theme.dim)
    }
}

