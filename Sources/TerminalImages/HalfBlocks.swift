import TerminalUI

/// A picture as Unicode half blocks: each cell shows two pixels, the upper one as `▀`'s
/// foreground and the lower one as its background. Works in any terminal with colours,
/// plain tmux and ssh included.
public enum HalfBlocks {
    /// The cells of `image` shown in `columns`×`rows` (the image is scaled to `columns`×2·`rows`
    /// pixels). A transparent pixel leaves the terminal's background.
    public static func cells(_ image: RGBAImage, columns: Int, rows: Int) -> [[Cell]] {
        guard columns > 0, rows > 0 else { return [] }
        let scaled = image.scaled(width: columns, height: rows * 2)
        guard scaled.width == columns else { return [] }
        return (0..<rows).map { row in
            (0..<columns).map { column in
                cell(top: scaled[column, row * 2], bottom: scaled[column, row * 2 + 1])
            }
        }
    }

    static func cell(top: RGBAImage.Pixel, bottom: RGBAImage.Pixel) -> Cell {
        func color(_ pixel: RGBAImage.Pixel) -> TerminalColor { .rgb(pixel.red, pixel.green, pixel.blue) }
        switch (top.isOpaque, bottom.isOpaque) {
        case (true, true): return Cell(character: "▀", style: CellStyle(foreground: color(top), background: color(bottom)), isContinuation: false)
        case (true, false): return Cell(character: "▀", style: CellStyle(foreground: color(top)), isContinuation: false)
        case (false, true): return Cell(character: "▄", style: CellStyle(foreground: color(bottom)), isContinuation: false)
        case (false, false): return Cell(character: " ", style: .plain, isContinuation: false)
        }
    }

    /// The cells as the bytes a terminal is sent: each row's cells with their colours, the
    /// attributes reset at the end of each row, rows joined by newlines.
    public static func escapes(_ cells: [[Cell]], trueColor: Bool) -> String {
        cells.map { row in
            var line = ""
            var last: CellStyle?
            for cell in row {
                if cell.style != last {
                    line += "\u{1B}[" + SGR.parameters(cell.style, trueColor: trueColor) + "m"
                    last = cell.style
                }
                line.append(cell.character)
            }
            return line + "\u{1B}[0m"
        }.joined(separator: "\n")
    }
}
