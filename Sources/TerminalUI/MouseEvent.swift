/// A mouse report from the terminal (SGR mode, `ESC [ < b ; x ; y M` or `m`), at a cell of the
/// screen counted from 0.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A button went down: 0 left, 1 middle, 2 right.
        case press(button: Int)
        case release
        /// The pointer moved with a button held.
        case drag
        case wheelUp
        case wheelDown
    }

    public var kind: Kind
    public var row: Int
    public var column: Int

    public init(_ kind: Kind, row: Int, column: Int) {
        self.kind = kind
        self.row = row
        self.column = column
    }

    /// Reads the parameters of an SGR report (`<0;10;5`) and its final byte (`M` pressed or
    /// moved, `m` released); nil for anything else. Modifier bits (4 shift, 8 alt, 16 ctrl)
    /// are ignored: a terminal keeps shift-clicks for its own text selection.
    public static func sgr(parameters: String, final: Character) -> MouseEvent? {
        guard parameters.hasPrefix("<"), final == "M" || final == "m" else { return nil }
        let numbers = parameters.dropFirst().split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        guard numbers.count == 3, let code = numbers[0], let x = numbers[1], let y = numbers[2], x >= 1, y >= 1,
              x <= 10_000, y <= 10_000 else { return nil }
        let button = code & 0b11
        let kind: Kind
        if code & 64 != 0 {
            switch button {
            case 0: kind = .wheelUp
            case 1: kind = .wheelDown
            default: return nil  // horizontal wheels
            }
        } else if final == "m" {
            kind = .release
        } else if code & 32 != 0 {
            kind = .drag
        } else if button == 3 {
            kind = .release
        } else {
            kind = .press(button: button)
        }
        return MouseEvent(kind, row: y - 1, column: x - 1)
    }
}
