import TerminalUI

/// A message's web addresses, numbered, each drawn as a link too (a terminal that knows OSC 8
/// opens it on a click).
enum LinksOverlay {
    static func draw(_ addresses: [String], selected: Int, into canvas: inout Canvas, in screen: Rect, theme: Theme) {
        let box = OverlayFrame.draw(height: min(screen.height - 4, addresses.count + 3), width: min(screen.width - 4, 100), in: screen, into: &canvas, theme: theme)
        let (title, rest) = box.splitTop(1)
        canvas.write(" Links — a number or Enter opens one, Esc closes", in: title, style: theme.selected)
        for (index, (row, address)) in zip(rest.splitTop(1).rest.slices(of: 1), addresses).enumerated() {
            let (number, value) = row.splitLeft(5)
            canvas.write(index < 9 ? " \(index + 1)" : "", in: number, style: theme.accent)
            var style = index == selected ? theme.selected : CellStyle.plain
            if index == selected { canvas.focus = (value.row, value.column) }
            style.underline = true
            style.link = address
            canvas.write(TextWidth.truncate(address, to: value.width - 1), in: value, style: style)
        }
    }
}
