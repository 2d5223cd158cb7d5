import TerminalUI

/// Every overlay's box: cleared and framed, so that it never reads as one with the text behind
/// it (at 200×50 the help ran into the conversation: "Compilin /edit TEXT …").
enum OverlayFrame {
    /// The box for `height`×`width` of content centred in `screen`, with a border around it
    /// when there is room; draws the border and clears the inside, and answers the inside.
    static func draw(height: Int, width: Int, in screen: Rect, into canvas: inout Canvas, theme: Theme) -> Rect {
        let framed = screen.height >= height + 2 && screen.width >= width + 2 && screen.width >= 20
        let outer = screen.centered(height: height + (framed ? 2 : 0), width: width + (framed ? 2 : 0))
        canvas.fill(outer, style: .plain)
        // The cursor on the overlay's first line, unless it places it on its chosen line.
        canvas.focus = (outer.row + (framed ? 1 : 0), outer.column + (framed ? 2 : 1))
        guard framed, outer.height >= 2, outer.width >= 2 else { return outer }
        let horizontal = String(repeating: "─", count: outer.width - 2)
        canvas.write("┌" + horizontal + "┐", row: outer.row, column: outer.column, style: theme.border)
        canvas.write("└" + horizontal + "┘", row: outer.bottom - 1, column: outer.column, style: theme.border)
        for row in (outer.row + 1)..<(outer.bottom - 1) {
            canvas.write("│", row: row, column: outer.column, style: theme.border)
            canvas.write("│", row: row, column: outer.column + outer.width - 1, style: theme.border)
        }
        return Rect(row: outer.row + 1, column: outer.column + 1, height: outer.height - 2, width: outer.width - 2)
    }
}
