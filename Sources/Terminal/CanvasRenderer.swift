import CNcursesw
import TerminalUI

/// Copies a Canvas to ncurses, writing only the cells that changed since the last frame.
/// Runs on the terminal thread only.
struct CanvasRenderer {
    private var previous: Canvas?
    private var pairs: [ColorPairKey: Int16] = [:]

    private struct ColorPairKey: Hashable {
        var foreground: TerminalColor
        var background: TerminalColor
    }

    mutating func invalidate() {
        previous = nil
        clearok(tc_stdscr(), true)
    }

    mutating func draw(_ canvas: Canvas) {
        let full = previous.map { $0.rows != canvas.rows || $0.columns != canvas.columns } ?? true
        if full { erase() }
        for row in 0..<canvas.rows {
            for column in 0..<canvas.columns {
                let cell = canvas[row, column]
                if cell.isContinuation { continue }
                if !full, let previous, previous[row, column] == cell { continue }
                put(cell, row: row, column: column)
            }
        }
        if let cursor = canvas.cursor {
            curs_set(1)
            move(Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        refresh()
        previous = canvas
    }

    private mutating func put(_ cell: Cell, row: Int, column: Int) {
        var text: [wchar_t] = cell.character.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) }
        text.append(0)
        var attributes = tc_a_normal()
        if cell.style.bold { attributes |= tc_a_bold() }
        if cell.style.dim { attributes |= tc_a_dim() }
        if cell.style.reverse { attributes |= tc_a_reverse() }
        if cell.style.underline { attributes |= tc_a_underline() }
        let pair = colorPair(cell.style.foreground, cell.style.background)
        _ = text.withUnsafeBufferPointer { tc_put(Int32(row), Int32(column), $0.baseAddress, attributes, pair) }
    }

    private mutating func colorPair(_ foreground: TerminalColor, _ background: TerminalColor) -> Int16 {
        if foreground == .default && background == .default { return 0 }
        let key = ColorPairKey(foreground: foreground, background: background)
        if let pair = pairs[key] { return pair }
        let next = Int16(pairs.count + 1)
        guard Int32(next) < tc_color_pairs() else { return 0 }
        init_pair(next, Self.index(foreground), Self.index(background))
        pairs[key] = next
        return next
    }

    private static func index(_ color: TerminalColor) -> Int16 {
        switch color {
        case .default: return -1
        case .palette(let value):
            if Int32(value) < tc_colors() { return Int16(value) }
            return value == 8 ? 7 : -1  // gray on an 8-colour terminal
        }
    }
}
