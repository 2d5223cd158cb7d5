import TerminalUI

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

    /// The chat list pane.
    public var list: Rect { Rect(row: 0, column: 0, height: conversationHeight, width: listWidth) }

    /// The conversation (or settings) pane.
    public var conversation: Rect { Rect(row: 0, column: conversationColumn, height: conversationHeight, width: conversationWidth) }
}

/// The conversation pane's parts, for the view that draws them and the reducer that scrolls
/// them: a header row, the messages (one column in from the pane's left), a row for typing and
/// "↓ new" hints, and the compose box (a rule and 1 to 4 lines).
public struct ConversationRects: Equatable, Sendable {
    public var header: Rect
    public var messages: Rect
    public var hint: Rect
    public var compose: Rect

    public init(_ pane: Rect, state: AppState) {
        let (header, belowHeader) = pane.splitTop(1)
        let (above, compose) = belowHeader.splitBottom(ConversationLayout.composeHeight(state, width: pane.width))
        let (messages, hint) = above.splitBottom(1)
        self.header = header
        self.messages = messages.insetLeft(1)
        self.hint = hint.insetLeft(1)
        self.compose = compose
    }
}
