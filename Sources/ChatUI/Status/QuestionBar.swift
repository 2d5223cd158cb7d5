import TerminalUI

/// A question on the line above the status bar: a confirmation, or a prompt with its input
/// (already masked for passwords) and the cursor's column within it.
enum QuestionBar {
    static func draw(_ question: String, input: (text: String, cursor: Int)?, into canvas: inout Canvas, in bar: Rect, theme: Theme) {
        canvas.fill(bar, style: theme.selected)
        let used = canvas.write(" " + question, row: bar.row, column: bar.column, width: bar.width, style: theme.selected)
        canvas.focus = (bar.row, bar.column + 1)
        guard let input else { return }
        let field = Rect(row: bar.row, column: bar.column + used, height: bar.height, width: max(1, bar.width - used - 1))
        // Long input scrolls so that the cursor stays in view.
        let skip = max(0, input.cursor - field.width + 1)
        let visible = String(input.text.replacingOccurrences(of: "\n", with: " ").dropFirst(skip))
        canvas.write(visible, in: field)
        canvas.cursor = (field.row, field.column + min(input.cursor - skip, field.width))
    }
}
