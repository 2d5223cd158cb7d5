/// How many terminal cells a picture takes: at most `maxColumns`×`maxRows`, keeping its
/// proportions for cells of `cellWidth`×`cellHeight` pixels (a terminal's cell is about twice
/// as high as wide).
public struct CellFit: Equatable, Sendable {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    public static func fit(width: Int, height: Int, maxColumns: Int, maxRows: Int, cellWidth: Int = 8, cellHeight: Int = 16) -> CellFit {
        guard width > 0, height > 0, maxColumns > 0, maxRows > 0, cellWidth > 0, cellHeight > 0 else { return CellFit(columns: 0, rows: 0) }
        // The picture's size in cells if shown one image pixel to one screen pixel.
        let natural = (Double(width) / Double(cellWidth), Double(height) / Double(cellHeight))
        let scale = min(Double(maxColumns) / natural.0, Double(maxRows) / natural.1, 1)
        // A small picture is scaled up to a row or two rather than shown as a dot.
        let columns = max(1, Int((natural.0 * scale).rounded()))
        let rows = max(1, Int((natural.1 * scale).rounded()))
        return CellFit(columns: min(columns, maxColumns), rows: min(rows, maxRows))
    }
}
