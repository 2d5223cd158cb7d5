/// Where the panes go for a terminal size: two panes side by side from 60 columns, one pane
/// (the focused one) below that, and a status line at the bottom.
public struct ScreenGeometry: Equatable, Sendable {
    public static let minimumRows = 8
    public static let minimumColumns = 30

    public var rows: Int
    public var columns: Int
    public var isTooSmall: Bool
    public var showsList: Bool
    public var showsConversation: Bool
    public var listWidth: Int
    public var conversationColumn: Int
    public var conversationWidth: Int
    /// Rows above the status line.
    public var conversationHeight: Int

    public init(_ state: AppState) {
        rows = state.rows
        columns = state.columns
        isTooSmall = rows < Self.minimumRows || columns < Self.minimumColumns
        let twoPanes = columns >= 60
        showsList = twoPanes || state.focus == .chats
        showsConversation = twoPanes || state.focus != .chats
        listWidth = twoPanes ? min(32, columns * 3 / 10) : columns
        conversationColumn = twoPanes ? listWidth + 1 : 0
        conversationWidth = twoPanes ? columns - listWidth - 1 : columns
        conversationHeight = max(0, rows - 1)
    }
}
