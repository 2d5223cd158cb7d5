import TerminalUI

/// Where the panes go for a terminal size: two panes side by side from 60 columns, one pane
/// (the focused one) below that, and a status line at the bottom.
public struct ScreenGeometry: Equatable, Sendable {
    public static let minimumRows = 8
    public static let minimumColumns = 30

    public var isTooSmall: Bool
    public var showsList: Bool
    public var showsConversation: Bool
    /// The whole terminal, for what is centred on it.
    public var screen: Rect
    /// The chat list pane.
    public var list: Rect
    /// The conversation (or settings) pane.
    public var conversation: Rect
    /// The line between the two panes, when both are shown.
    public var border: Rect?
    /// The status line, at the bottom (above the announcement line in screen-reader mode).
    public var status: Rect
    /// Screen-reader mode: the first line (what the mode is) and the last (announcements).
    public var heading: Rect?
    public var announcement: Rect?

    public init(_ state: AppState) {
        screen = Rect(row: 0, column: 0, height: state.rows, width: state.columns)
        isTooSmall = state.rows < Self.minimumRows || state.columns < Self.minimumColumns
        // A screen reader follows one pane at a time, at the full width.
        let twoPanes = state.columns >= 60 && state.screenReader == nil
        showsList = twoPanes || state.focus == .chats
        showsConversation = twoPanes || state.focus != .chats
        var (panes, status) = screen.splitBottom(1)
        if state.screenReader != nil {
            let (top, rest) = panes.splitTop(1)
            let (middle, line) = rest.splitBottom(1)
            (heading, announcement, panes) = (top, status, middle)
            status = line
        }
        self.status = status
        if twoPanes {
            let (list, rest) = panes.splitLeft(min(32, state.columns * 3 / 10))
            let (border, conversation) = rest.splitLeft(1)
            (self.list, self.border, self.conversation) = (list, border, conversation)
        } else {
            (list, border, conversation) = (panes, nil, panes)
        }
    }

    /// Where overlays are centred: the whole terminal, or in screen-reader mode the rows
    /// between its first line and the status line (which stay readable).
    public var overlayArea: Rect {
        guard let heading else { return screen }
        return Rect(row: heading.row + 1, column: 0, height: max(1, status.row - heading.row - 1), width: screen.width)
    }

    /// The line above the status line, where confirmations and prompts ask.
    public var question: Rect { Rect(row: status.row - 1, column: 0, height: 1, width: screen.width) }
}
