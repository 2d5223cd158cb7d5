import TerminalUI

/// Draws the sign-in screen: a centred box with the fields, the mode and the last error.
public enum SignInView {
    public static func render(_ form: SignInForm, theme: Theme = .standard) -> Canvas {
        var canvas = Canvas(rows: form.rows, columns: form.columns)
        let width = min(form.columns - 2, 64)
        let height = form.fields.count * 2 + 8
        guard width >= 30, form.rows >= height else {
            let message = "Terminal too small to sign in: 32×\(height) at least (now \(form.columns)×\(form.rows))"
            for (index, line) in TextWidth.wrap(message, columns: max(1, form.columns)).prefix(max(0, form.rows)).enumerated() {
                canvas.write(line, row: index, column: 0)
            }
            return canvas
        }
        let top = (form.rows - height) / 2
        let left = (form.columns - width) / 2
        let title = form.mode == .login ? " TermChat — sign in" : " TermChat — create an account"
        canvas.write(TextWidth.truncate(title, to: width), row: top, column: left, width: width, style: theme.header)
        let labelWidth = 12
        let valueWidth = width - labelWidth - 1
        for (index, field) in form.fields.enumerated() {
            let row = top + 2 + index * 2
            let isFocused = field == form.focus
            canvas.write(" " + SignInReducer.label(field), row: row, column: left, width: labelWidth, style: isFocused ? theme.accent : .plain)
            let buffer = form.values[field] ?? ComposeBuffer()
            let shown = Array(field == .password ? String(repeating: "•", count: buffer.characters.count) : buffer.text)
            // Long values scroll so the cursor stays in view.
            var start = 0
            while start < buffer.cursor, TextWidth.of(String(shown[start..<buffer.cursor])) >= valueWidth { start += 1 }
            let visible = String(shown[start...])
            let cursorColumn = TextWidth.of(String(shown[start..<buffer.cursor]))
            canvas.fill(row: row, column: left + labelWidth, height: 1, width: valueWidth, style: CellStyle(underline: true))
            canvas.write(visible, row: row, column: left + labelWidth, width: valueWidth, style: CellStyle(underline: true))
            if isFocused, !form.isBusy { canvas.cursor = (row, left + labelWidth + cursorColumn) }
        }
        var row = top + 2 + form.fields.count * 2
        if form.isBusy {
            canvas.write(" " + (form.mode == .login ? "Signing in…" : "Creating the account…"), row: row, column: left, width: width, style: theme.accent)
        } else if let info = form.info {
            for line in TextWidth.wrap(info, columns: width - 1).prefix(2) {
                canvas.write(" " + line, row: row, column: left, width: width, style: theme.accent)
                row += 1
            }
        } else if let error = form.error {
            for line in TextWidth.wrap(error, columns: width - 1).prefix(2) {
                canvas.write(" " + line, row: row, column: left, width: width, style: theme.error)
                row += 1
            }
        }
        let hints = form.mode == .login
            ? "Enter: sign in · Tab: next field · Ctrl-R: register instead · Esc: quit"
            : "Enter: register · Tab: next field · Ctrl-R: sign in instead · Esc: quit"
        for (index, line) in TextWidth.wrap(hints, columns: width - 1).prefix(2).enumerated() {
            canvas.write(" " + line, row: top + height - 2 + index, column: left, width: width, style: theme.dim)
        }
        return canvas
    }
}
