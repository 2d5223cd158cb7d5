/// What the terminal says of its graphics when asked: the kitty graphics protocol (a query
/// image it answers OK for), sixel (attribute 4 in its primary device attributes) and its cell
/// size in pixels (`CSI 16 t`). Asked before curses starts, in raw mode, with one timeout:
/// every terminal answers the device attributes, so the wait ends as soon as that answer comes.
public struct TerminalGraphics: Equatable, Sendable {
    public var answered = false
    public var kitty = false
    public var sixel = false
    public var cellWidth: Int?
    public var cellHeight: Int?

    public init() {}

    /// Reads the answers out of what the terminal sent back.
    public static func parse(_ reply: String) -> TerminalGraphics {
        var graphics = TerminalGraphics()
        graphics.kitty = reply.contains("\u{1B}_Gi=31;OK")
        if let start = reply.firstRange(of: "\u{1B}[?"), let end = reply[start.upperBound...].firstIndex(of: "c") {
            graphics.answered = true
            graphics.sixel = reply[start.upperBound..<end].split(separator: ";").contains("4")
        }
        if let start = reply.firstRange(of: "\u{1B}[6;"), let end = reply[start.upperBound...].firstIndex(of: "t") {
            let numbers = reply[start.upperBound..<end].split(separator: ";").compactMap { Int($0) }
            if numbers.count == 2, (4...200).contains(numbers[0]), (2...100).contains(numbers[1]) {
                (graphics.cellHeight, graphics.cellWidth) = (numbers[0], numbers[1])
            }
        }
        return graphics
    }
}
