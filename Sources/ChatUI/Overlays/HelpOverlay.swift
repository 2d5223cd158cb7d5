import ChatAPI
import ChatModel
import Foundation
import TerminalUI

enum HelpOverlay {
    static func lines(_ keys: KeyMap) -> [(String, String)] {
        [("Keys", "")] + KeyHelp.overlayLines(keys) + [("", ""), ("Commands", "")] + commandHelp.map { ($0.usage, $0.summary) }
    }

    static var lineCount: Int { lines(KeyMap()).count }

    static func draw(into canvas: inout Canvas, in screen: Rect, keys: KeyMap, offset: Int, theme: Theme) {
        let all = lines(keys)
        // As wide as its longest line, where the screen allows (cut at 78, lines ended in
        // "attachmen" even at 200 columns); what is still cut ends in "…".
        let keyColumns = (all.map { TextWidth.of($0.0) }.max() ?? 10) + 3
        let needed = keyColumns + (all.map { TextWidth.of($0.1) }.max() ?? 40) + 1
        let box = OverlayFrame.draw(height: min(screen.height - 4, all.count + 2), width: min(screen.width - 4, max(60, needed)),
                                    in: screen, into: &canvas, theme: theme)
        let (titleRow, rest) = box.splitTop(1)
        let rows = rest.splitBottom(1).rest.slices(of: 1)
        // Scrolled, but never past the point where the last line is at the bottom.
        let shown = all.dropFirst(max(0, min(offset, all.count - rows.count)))
        let title = all.count > rows.count ? " Help — ↑↓ PgUp PgDn scroll · any other key closes" : " Help — any key closes"
        canvas.write(title, in: titleRow, style: theme.selected)
        let keyWidth = min(box.width / 2, keyColumns)
        for (row, line) in zip(rows, shown) {
            let isHeading = line.1.isEmpty && (line.0 == "Keys" || line.0 == "Commands")
            let (keyColumn, whatColumn) = row.splitLeft(keyWidth)
            canvas.write(TextWidth.truncate(" " + line.0, to: keyColumn.width), row: keyColumn.row, column: keyColumn.column, width: keyColumn.width,
                         style: isHeading ? theme.header : theme.accent)
            canvas.write(TextWidth.truncate(line.1, to: whatColumn.width), row: whatColumn.row, column: whatColumn.column, width: whatColumn.width)
        }
    }
}

