/// A rectangle of the screen, in cells. Views draw into the rectangles they are given, and
/// the split helpers are the one place where rows and columns are taken off, so that what is
/// measured (to clamp scrolling) and what is drawn are the same rectangle.
public struct Rect: Equatable, Sendable {
    public var row: Int
    public var column: Int
    public var height: Int
    public var width: Int

    public init(row: Int, column: Int, height: Int, width: Int) {
        self.row = row
        self.column = column
        self.height = max(0, height)
        self.width = max(0, width)
    }

    public var bottom: Int { row + height }

    public func contains(row: Int, column: Int) -> Bool {
        row >= self.row && row < bottom && column >= self.column && column < self.column + width
    }

    /// The first `rows` rows, and the rest below them.
    public func splitTop(_ rows: Int) -> (top: Rect, rest: Rect) {
        let taken = min(max(0, rows), height)
        return (Rect(row: row, column: column, height: taken, width: width),
                Rect(row: row + taken, column: column, height: height - taken, width: width))
    }

    /// The last `rows` rows, and the rest above them.
    public func splitBottom(_ rows: Int) -> (rest: Rect, bottom: Rect) {
        let taken = min(max(0, rows), height)
        return (Rect(row: row, column: column, height: height - taken, width: width),
                Rect(row: row + height - taken, column: column, height: taken, width: width))
    }

    /// The first `columns` columns, and the rest to their right.
    public func splitLeft(_ columns: Int) -> (left: Rect, rest: Rect) {
        let taken = min(max(0, columns), width)
        return (Rect(row: row, column: column, height: height, width: taken),
                Rect(row: row, column: column + taken, height: height, width: width - taken))
    }

    /// The rectangle without `left` columns on its left.
    public func insetLeft(_ left: Int) -> Rect { splitLeft(left).rest }
}

extension Rect {
    /// A rectangle of at most `height` × `width`, centred in this one.
    public func centered(height: Int, width: Int) -> Rect {
        let h = min(max(0, height), self.height)
        let w = min(max(0, width), self.width)
        return Rect(row: row + (self.height - h) / 2, column: column + (self.width - w) / 2, height: h, width: w)
    }

    /// Consecutive slices of `each` rows from the top, as many whole ones as fit.
    public func slices(of each: Int) -> [Rect] {
        guard each > 0 else { return [] }
        return (0..<(height / each)).map { Rect(row: row + $0 * each, column: column, height: each, width: width) }
    }

    /// The rectangle's row `index` (from 0), or an empty one past its bottom.
    public func line(_ index: Int) -> Rect {
        splitTop(index).rest.splitTop(1).top
    }
}

extension Canvas {
    /// Writes one line at the top of `rect`, cut to its width with an ellipsis; answers the
    /// columns used.
    @discardableResult
    public mutating func write(_ text: String, in rect: Rect, style: CellStyle = .plain) -> Int {
        guard rect.height > 0, rect.width > 0 else { return 0 }
        return write(TextWidth.truncate(text, to: rect.width), row: rect.row, column: rect.column, width: rect.width, style: style)
    }

    /// Fills `rect` with blanks of `style`.
    public mutating func fill(_ rect: Rect, style: CellStyle = .plain) {
        fill(row: rect.row, column: rect.column, height: rect.height, width: rect.width, style: style)
    }
}
