/// Colours a cell can use: the terminal's default, one of the 256 palette entries, or a
/// true colour (image previews; the renderer falls back to the nearest palette entry where
/// the terminal has no true colour).
public enum TerminalColor: Hashable, Sendable {
    case `default`
    case palette(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    public static let black = TerminalColor.palette(0)
    public static let red = TerminalColor.palette(1)
    public static let green = TerminalColor.palette(2)
    public static let yellow = TerminalColor.palette(3)
    public static let blue = TerminalColor.palette(4)
    public static let magenta = TerminalColor.palette(5)
    public static let cyan = TerminalColor.palette(6)
    public static let white = TerminalColor.palette(7)
    public static let gray = TerminalColor.palette(8)
}

/// How a cell looks.
public struct CellStyle: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool
    /// The number of the link's address plus one (0: none): a style is a plain value, copied
    /// without reference counting with every cell.
    private var linkNumber: UInt32 = 0
    private static let links = InternTable<String>()

    public init(foreground: TerminalColor = .default, background: TerminalColor = .default, bold: Bool = false,
                dim: Bool = false, reverse: Bool = false, underline: Bool = false, link: String? = nil) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
        self.link = link
    }

    /// The cell is part of a hyperlink to this address (OSC 8).
    public var link: String? {
        get { linkNumber == 0 ? nil : Self.links.value(linkNumber - 1) }
        set { linkNumber = newValue.map { Self.links.number(for: $0) + 1 } ?? 0 }
    }

    /// Whether the cell is part of a hyperlink (without looking up its address).
    public var hasLink: Bool { linkNumber != 0 }

    public static let plain = CellStyle()

    /// Whether a colour of the cell is a true colour (drawn past curses).
    public var isTrueColor: Bool {
        if case .rgb = foreground { return true }
        if case .rgb = background { return true }
        return false
    }

    /// The same style with foreground and background swapped (the selection).
    public var reversed: CellStyle {
        var style = self
        style.reverse.toggle()
        return style
    }
}

/// One column of the screen. A wide character fills its cell and marks the next one as its
/// continuation.
public struct Cell: Hashable, Sendable {
    /// The character as a plain value (see `Glyph`).
    public var glyph: Glyph
    public var style: CellStyle
    public var isContinuation: Bool
    /// The character takes two columns (kept so drawing over it needs no width lookup).
    public var isWide: Bool

    public init(character: Character, style: CellStyle, isContinuation: Bool) {
        self.init(character: character, style: style, isContinuation: isContinuation, isWide: !isContinuation && TextWidth.of(character) == 2)
    }

    init(character: Character, style: CellStyle, isContinuation: Bool, isWide: Bool) {
        self.init(glyph: Glyph(character), style: style, isContinuation: isContinuation, isWide: isWide)
    }

    init(glyph: Glyph, style: CellStyle, isContinuation: Bool, isWide: Bool) {
        self.glyph = glyph
        self.style = style
        self.isContinuation = isContinuation
        self.isWide = isWide
    }

    public var character: Character {
        get { glyph.character }
        set { glyph = Glyph(newValue) }
    }

    public static let blank = Cell(glyph: .space, style: .plain, isContinuation: false, isWide: false)
}

/// The screen as a grid of cells. Views draw into it; the terminal adapter only copies it
/// out; tests compare it as text.
public struct Canvas: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be shown, if anywhere.
    public var cursor: (row: Int, column: Int)?
    /// Where the person's attention is when no text is being written (the selected chat, the
    /// selected message's first line, the settings row): the terminal cursor is put there,
    /// hidden, because braille displays and screen readers (BRLTTY, Speakup, Fenrir) follow
    /// the cursor, not reverse video.
    public var focus: (row: Int, column: Int)?
    /// Pictures the terminal draws itself (sixel) or must be sent once (kitty), with the
    /// cell of their top-left corner; their cells hold blanks or placeholders.
    public var pictures: [PlacedPicture] = []

    public init(rows: Int, columns: Int) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        cells = Array(repeating: .blank, count: self.rows * self.columns)
    }

    public static func == (a: Canvas, b: Canvas) -> Bool {
        a.rows == b.rows && a.columns == b.columns && a.cells == b.cells && a.cursor?.row == b.cursor?.row && a.cursor?.column == b.cursor?.column
            && a.focus?.row == b.focus?.row && a.focus?.column == b.focus?.column
            && a.pictures == b.pictures
    }

    /// Replaces every character `isUnwanted` picks with a space, keeping its style (screen-reader
    /// mode: box drawing and block elements read as noise).
    public mutating func blankOut(_ isUnwanted: (Character) -> Bool) {
        for index in cells.indices where isUnwanted(cells[index].character) {
            cells[index].glyph = .space
        }
    }

    public subscript(row: Int, column: Int) -> Cell {
        cells[row * columns + column]
    }

    /// Whether `row` holds the same cells as in `other` (of the same size): the renderer
    /// passes over the rows a frame left alone with this, compared here where the cell
    /// comparison is specialized, not one cell copy at a time through the subscript.
    public func rowIsUnchanged(_ row: Int, since other: Canvas) -> Bool {
        guard other.rows == rows, other.columns == columns, row >= 0, row < rows else { return false }
        let range = row * columns..<(row + 1) * columns
        return cells.withUnsafeBufferPointer { new in
            other.cells.withUnsafeBufferPointer { old in
                for index in range where new[index] != old[index] { return false }
                return true
            }
        }
    }

    /// Writes `text` from (`row`, `column`), clipped to `width` columns (default: to the edge).
    /// Answers the number of columns written. A wide character that would straddle the limit
    /// is replaced by a space.
    @discardableResult
    public mutating func write(_ text: String, row: Int, column: Int, width: Int? = nil, style: CellStyle = .plain) -> Int {
        writeText(text, row: row, column: column, width: width, style: style)
    }

    @discardableResult
    public mutating func write(_ text: Substring, row: Int, column: Int, width: Int? = nil, style: CellStyle = .plain) -> Int {
        writeText(text, row: row, column: column, width: width, style: style)
    }

    // Public entry points are concrete so this generic body is specialized inside the module
    // (a generic public function runs unspecialized from other modules, several times slower).
    private mutating func writeText(_ text: some StringProtocol, row: Int, column: Int, width: Int?, style: CellStyle) -> Int {
        guard row >= 0, row < rows, column < columns else { return 0 }
        let limit = min(columns, column + (width ?? columns))
        if let written = writeASCII(text, row: row, column: column, limit: limit, style: style) { return written }
        var x = column
        /// Places one cell's character; false once the limit is reached.
        func place(_ character: Character) -> Bool {
            let characterWidth = TextWidth.of(character)
            if characterWidth == 0 { return true }  // control characters and lone combining marks are not drawn on their own
            if x + characterWidth > limit {
                if x < limit { set(row, x, Cell(glyph: .space, style: style, isContinuation: false, isWide: false)) }
                x = limit
                return false
            }
            if x >= 0 {
                set(row, x, Cell(character: character, style: style, isContinuation: false, isWide: characterWidth == 2))
                if characterWidth == 2, x + 1 < columns { set(row, x + 1, Cell(glyph: .space, style: style, isContinuation: true, isWide: false)) }
            }
            x += characterWidth
            return true
        }
        for cluster in text {
            // A cluster the terminal draws as its parts side by side is laid out as those parts.
            if cluster.unicodeScalars.count > 1, Self.isDrawnInPieces(cluster) {
                guard TerminalWidths.pieces(of: cluster).allSatisfy({ place($0) }) else { break }
            } else if !place(cluster) {
                break
            }
        }
        return max(0, x - column)
    }

    private static func isDrawnInPieces(_ cluster: Character) -> Bool {
        if case .pieces = TerminalWidths.drawing(of: cluster) { return true }
        return false
    }

    /// Printable ASCII, the bulk of a chat, a byte a column without grapheme breaking; nil
    /// (nothing written) for any other text.
    private mutating func writeASCII(_ text: some StringProtocol, row: Int, column: Int, limit: Int, style: CellStyle) -> Int? {
        guard TextWidth.printableASCIIWidth(text) != nil else { return nil }
        var x = column
        for byte in text.utf8 {
            guard x < limit else { break }
            if x >= 0 { set(row, x, Cell(glyph: Glyph(ascii: byte), style: style, isContinuation: false, isWide: false)) }
            x += 1
        }
        return max(0, x - column)
    }

    /// Fills a rectangle with blanks of `style`.
    public mutating func fill(row: Int, column: Int, height: Int, width: Int, style: CellStyle = .plain) {
        for y in max(0, row)..<min(rows, row + height) {
            for x in max(0, column)..<min(columns, column + width) {
                set(y, x, Cell(glyph: .space, style: style, isContinuation: false, isWide: false))
            }
        }
    }

    private mutating func set(_ row: Int, _ column: Int, _ cell: Cell) {
        let index = row * columns + column
        // Overwriting half of a wide character blanks the other half.
        if cells[index].isContinuation, column > 0 {
            cells[index - 1] = Cell(glyph: .space, style: cells[index - 1].style, isContinuation: false, isWide: false)
        }
        if cells[index].isWide, column + 1 < columns, !cell.isContinuation {
            cells[index + 1] = Cell(glyph: .space, style: cells[index + 1].style, isContinuation: false, isWide: false)
        }
        cells[index] = cell
    }

    /// Each row as text, continuation cells left out, trailing spaces trimmed.
    public var lines: [String] {
        (0..<rows).map { row in
            var line = ""
            for column in 0..<columns where !self[row, column].isContinuation {
                line.append(self[row, column].character)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    public var text: String { lines.joined(separator: "\n") }
}
