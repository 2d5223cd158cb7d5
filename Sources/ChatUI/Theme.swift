import TerminalUI

/// The colours and marks of the interface, in one place so they can be reviewed and changed.
public struct Theme: Equatable, Sendable {
    public var accent = CellStyle(foreground: .cyan, bold: true)
    public var me = CellStyle(foreground: .green, bold: true)
    public var other = CellStyle(foreground: .cyan, bold: true)
    public var dim = CellStyle(foreground: .gray)
    public var error = CellStyle(foreground: .red, bold: true)
    public var selected = CellStyle(reverse: true)
    public var status = CellStyle(reverse: true)
    public var statusError = CellStyle(foreground: .red, reverse: true)
    public var header = CellStyle(bold: true, underline: true)
    public var border = CellStyle(foreground: .gray)
    /// A mention of you in a message.
    public var mention = CellStyle(foreground: .yellow, bold: true, reverse: true)
    /// The "── 3 new ──" line.
    public var unread = CellStyle(foreground: .magenta, bold: true)
    /// The people's colours: each person gets one, by user id (never yours or the error colour).
    public var people: [CellStyle] = [6, 3, 4, 5, 14, 11, 12, 13].map { CellStyle(foreground: .palette($0), bold: true) }

    public init() {}
    public static let standard = Theme()
}
