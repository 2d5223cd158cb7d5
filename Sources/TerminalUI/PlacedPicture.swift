/// A picture on the screen that is more than its cells.
public struct PlacedPicture: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A sixel image drawn with its top-left corner at the cell.
        case sixel(String)
        /// A kitty image shown by placeholder cells; the escapes send it, once.
        case kitty(id: UInt32, transmit: [String])
    }

    public var row: Int
    public var column: Int
    public var kind: Kind

    public init(row: Int, column: Int, kind: Kind) {
        self.row = row
        self.column = column
        self.kind = kind
    }
}
