import CNcursesw
import CTerminalSupport
import TerminalUI

/// Copies a Canvas to ncurses, writing only the cells that changed since the last frame.
/// Runs on the terminal thread only.
struct CanvasRenderer {
    /// The terminal takes 24-bit colours (`$COLORTERM` says truecolor or 24bit); otherwise
    /// true colours are sent as the nearest of the 256.
    var trueColor = false
    private var previous: Canvas?
    private var pairs: [ColorPairKey: Int16] = [:]
    private var lastPair: (key: ColorPairKey, pair: Int16)?
    private var cursesDrawable: [Glyph: Bool] = [:]
    /// Kitty images the terminal has been sent.
    private var sentKitty: Set<UInt32> = []

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
        var pastCurses: [(row: Int, column: Int, cell: Cell)] = []
        let columns = canvas.columns
        // The cells are read in place: a scrolled pane changes every cell of its rows each
        // frame, and a copy through the canvas' subscript per cell was most of a frame's cost.
        let before = full ? [] : previous?.cells ?? []
        canvas.cells.withUnsafeBufferPointer { new in
            before.withUnsafeBufferPointer { old in
                for row in 0..<canvas.rows {
                    let start = row * columns
                    // Most rows of most frames are as they were: past them without a look at each cell.
                    if !old.isEmpty, let previous, canvas.rowIsUnchanged(row, since: previous) { continue }
                    var rowHasRawCells = false
                    var rawCellChanged = false
                    var rawCellReplaced = false
                    for column in 0..<columns {
                        let index = start + column
                        let changed = old.isEmpty || old[index] != new[index]
                        if changed, !old.isEmpty, !old[index].isContinuation, !cursesDraws(old[index]) { rawCellReplaced = true }
                        if new[index].isContinuation { continue }
                        let raw = !cursesDraws(new[index])
                        rowHasRawCells = rowHasRawCells || raw
                        guard changed else { continue }
                        if raw {
                            rawCellChanged = true
                            putPlaceholder(for: new[index], row: row, column: column)
                        } else {
                            put(new[index], row: row, column: column)
                        }
                    }
                    // Curses believes placeholders are on screen where raw cells are: when one goes,
                    // curses must repaint the whole row, and the raw cells left on it are written again.
                    if rawCellReplaced { wredrawln(tc_stdscr(), Int32(row), 1) }
                    if rowHasRawCells, full || rawCellChanged || rawCellReplaced {
                        for column in 0..<columns where !new[start + column].isContinuation && !cursesDraws(new[start + column]) {
                            pastCurses.append((row, column, new[start + column]))
                        }
                    }
                }
            }
        }
        if let cursor = canvas.cursor {
            curs_set(1)
            move(Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
            // Hidden, but where the focus is: what follows the cursor reads the right line.
            if let focus = canvas.focus { move(Int32(focus.row), Int32(focus.column)) }
        }
        refresh()
        writePastCurses(pastCurses)
        // Comparing whole frames is only worth it when there are pictures to redraw.
        if !canvas.pictures.isEmpty { writePictures(canvas, changed: full || previous != canvas) }
        previous = canvas
    }

    // MARK: Pictures

    /// Kitty images are sent once (their placeholders are ordinary cells); sixel images are
    /// drawn again whenever the frame changed, since text written over them erases them.
    private mutating func writePictures(_ canvas: Canvas, changed: Bool) {
        var bytes = ""
        for picture in canvas.pictures {
            switch picture.kind {
            case .kitty(let id, let transmit):
                if sentKitty.insert(id).inserted { bytes += transmit.joined() }
            case .sixel(let escape):
                if changed { bytes += "\u{1B}7\u{1B}[\(picture.row + 1);\(picture.column + 1)H" + escape + "\u{1B}8" }
            }
        }
        guard !bytes.isEmpty else { return }
        Self.writeOut(bytes)
    }

    /// Bytes straight to the terminal, past curses.
    private static func writeOut(_ bytes: String) {
        var utf8 = Array(bytes.utf8)
        utf8.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { tc_write_out($0, buffer.count) }
        }
    }

    // MARK: Cells curses cannot draw

    /// Whether curses draws the cell's character at the cell's width. It cannot for a cluster of
    /// several spacing scalars (a flag, a ZWJ sequence) and draws some emoji at the C library's
    /// width, not the terminal's; those cells are written past curses, as the terminal measured.
    private mutating func cursesDraws(_ cell: Cell) -> Bool {
        // Hyperlinks (OSC 8) and true colours are escapes curses does not know.
        if cell.style.hasLink || cell.style.isTrueColor { return false }
        // One UTF-8 byte: ASCII, nearly every cell.
        if cell.glyph.isASCII { return true }
        if let known = cursesDrawable[cell.glyph] { return known }
        let width = cell.isWide ? 2 : 1
        let scalars = cell.character.unicodeScalars
        var drawable = scalars.count <= 5
        for (index, scalar) in scalars.enumerated() where drawable {
            let cWidth = tc_wcwidth(scalar.value)
            drawable = index == 0 ? Int(cWidth) == width : cWidth == 0
        }
        cursesDrawable[cell.glyph] = drawable
        return drawable
    }

    /// Blanks of the cell's style in curses' copy of the screen, under a cell written past it.
    private mutating func putPlaceholder(for cell: Cell, row: Int, column: Int) {
        var blank = cell
        blank.glyph = .space
        blank.isWide = false
        blank.style.link = nil
        if blank.style.isTrueColor { blank.style = .plain }
        put(blank, row: row, column: column)
        if cell.isWide { put(blank, row: row, column: column + 1) }
    }

    /// Writes cells straight to the terminal after curses has drawn, the cursor and attributes
    /// saved and restored around them so that curses' idea of the terminal still holds.
    private func writePastCurses(_ cells: [(row: Int, column: Int, cell: Cell)]) {
        guard !cells.isEmpty else { return }
        var bytes = "\u{1B}7"
        // Cells that follow one another with one style are written as one run: one cursor
        // move, one SGR, one hyperlink around them.
        var next: (row: Int, column: Int, style: CellStyle)?
        for (row, column, cell) in cells {
            if let run = next, run.row == row, run.column == column, run.style == cell.style {
                bytes.append(cell.character)
            } else {
                if next?.style.link != nil { bytes += Hyperlink.end }
                // A kitty placeholder's colour is its image id: always sent exactly.
            let exact = trueColor || cell.character.unicodeScalars.first?.value == 0x10EEEE
            bytes += "\u{1B}[\(row + 1);\(column + 1)H\u{1B}[\(SGR.parameters(cell.style, trueColor: exact))m"
                if let link = cell.style.link { bytes += Hyperlink.start(link) }
                bytes.append(cell.character)
            }
            next = (row, column + (cell.isWide ? 2 : 1), cell.style)
        }
        if next?.style.link != nil { bytes += Hyperlink.end }
        bytes += "\u{1B}[0m\u{1B}8"
        Self.writeOut(bytes)
    }

    private mutating func put(_ cell: Cell, row: Int, column: Int) {
        var attributes = tc_a_normal()
        if cell.style.bold { attributes |= tc_a_bold() }
        if cell.style.dim { attributes |= tc_a_dim() }
        if cell.style.reverse { attributes |= tc_a_reverse() }
        if cell.style.underline { attributes |= tc_a_underline() }
        let pair = colorPair(cell.style.foreground, cell.style.background)
        // Every cell of a scrolled pane comes here each frame: no allocation per cell (the
        // character's scalars go into a buffer on the stack, at most 4 and a terminator).
        var text: (wchar_t, wchar_t, wchar_t, wchar_t, wchar_t) = (0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &text) { raw in
            let characters = raw.bindMemory(to: wchar_t.self)
            if let scalar = cell.glyph.scalarValue {
                characters[0] = wchar_t(bitPattern: scalar)
            } else {
                var count = 0
                for scalar in cell.character.unicodeScalars where count < 4 {
                    characters[count] = wchar_t(bitPattern: scalar.value)
                    count += 1
                }
            }
            _ = tc_put(Int32(row), Int32(column), characters.baseAddress, attributes, pair)
        }
    }

    private mutating func colorPair(_ foreground: TerminalColor, _ background: TerminalColor) -> Int16 {
        if foreground == .default && background == .default { return 0 }
        let key = ColorPairKey(foreground: foreground, background: background)
        // Neighbouring cells mostly share their colours: the last pair answers without hashing.
        if let last = lastPair, last.key == key { return last.pair }
        if let pair = pairs[key] {
            lastPair = (key, pair)
            return pair
        }
        let next = Int16(pairs.count + 1)
        guard Int32(next) < tc_color_pairs() else { return 0 }
        init_pair(next, Self.index(foreground), Self.index(background))
        pairs[key] = next
        lastPair = (key, next)
        return next
    }

    private static func index(_ color: TerminalColor) -> Int16 {
        switch color {
        case .default: return -1
        case .palette(let value):
            if Int32(value) < tc_colors() { return Int16(value) }
            return value == 8 ? 7 : -1  // gray on an 8-colour terminal
        case .rgb: return -1  // drawn past curses
        }
    }
}
