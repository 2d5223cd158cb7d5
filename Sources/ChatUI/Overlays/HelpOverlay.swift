import ChatAPI
import ChatStore
import Foundation
import TerminalUI

enum HelpOverlay {
    static func lines(_ keys: KeyMap) -> [(String, String)] {
        [("Keys", "")] + KeyHelp.overlayLines(keys) + [("", ""), ("Commands", "")] + commandHelp.map { ($0.usage, $0.summary) }
    }

    static var lineCount: Int { lines(KeyMap()).count }

    static func draw(into canvas: inout Canvas, in screen: Rect, keys: KeyMap, offset: Int, theme: Theme) {
        let all = lines(keys)
        let box = screen.centered(height: min(screen.height - 2, all.count + 2), width: min(screen.width - 2, 78))
        canvas.fill(box, style: .plain)
        let (titleRow, rest) = box.splitTop(1)
        let rows = rest.splitBottom(1).rest.slices(of: 1)
        // Scrolled, but never past the point where the last line is at the bottom.
        let shown = all.dropFirst(max(0, min(offset, all.count - rows.count)))
        let title = all.count > rows.count ? " Help — ↑↓ PgUp PgDn scroll · any other key closes" : " Help — any key closes"
        canvas.write(title, in: titleRow, style: theme.selected)
        let keyWidth = min(box.width / 2, (all.map { TextWidth.of($0.0) }.max() ?? 10) + 3)
        for (row, line) in zip(rows, shown) {
            let isHeading = line.1.isEmpty && (line.0 == "Keys" || line.0 == "Commands")
            let (keyColumn, whatColumn) = row.splitLeft(keyWidth)
            canvas.write(" " + line.0, row: keyColumn.row, column: keyColumn.column, width: keyColumn.width, style: isHeading ? theme.header : theme.accent)
            canvas.write(line.1, row: whatColumn.row, column: whatColumn.column, width: whatColumn.width)
        }
    }
}

