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

    public init() {}
    public static let standard = Theme()
}
