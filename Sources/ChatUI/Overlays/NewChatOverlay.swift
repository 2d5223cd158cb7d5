import ChatAPI
import ChatModel
import Foundation
import TerminalUI

enum NewChatOverlay {
    static func draw(_ flow: NewChatState, into canvas: inout Canvas, in screen: Rect, theme: Theme) {
        let box = OverlayFrame.draw(height: min(screen.height - 4, 12), width: min(screen.width - 4, 60), in: screen, into: &canvas, theme: theme)
        canvas.write(" New chat — type a name · Space picks for a group · Enter starts · Esc", in: box.line(0), style: theme.selected)
        let search = box.line(1), title = box.line(2)
        canvas.write(" Search: " + flow.query, in: search, style: flow.isEditingTitle ? .plain : theme.accent)
        if flow.isEditingTitle || !flow.picked.isEmpty {
            canvas.write(" Group title: " + flow.title, in: title, style: flow.isEditingTitle ? theme.accent : .plain)
        }
        if !flow.picked.isEmpty {
            canvas.write(" With: " + flow.picked.map(\.username).joined(separator: ", "), in: box.line(3))
        }
        let results = box.splitTop(4).rest.splitBottom(1).rest
        for (index, (row, user)) in zip(results.slices(of: 1), flow.results).enumerated() {
            let mark = flow.picked.contains(user) ? "✓ " : "  "
            canvas.write(" \(mark)\(user.name) (@\(user.username))", in: row, style: index == flow.selected ? theme.selected : .plain)
            if index == flow.selected { canvas.focus = (row.row, row.column + 1) }
        }
        if flow.results.isEmpty {
            canvas.write(flow.query.isEmpty ? " Type part of a name or username." : " Nobody found yet.", in: results.line(0), style: theme.dim)
        }
        canvas.cursor = flow.isEditingTitle ? (title.row, title.column + 14 + TextWidth.of(flow.title))
            : (search.row, search.column + 9 + TextWidth.of(flow.query))
    }
}
