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
