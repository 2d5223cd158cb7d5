import ChatAPI
import ChatModel
import Foundation
import TerminalUI

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
        // The column left of the messages holds the selection's bar; screen-reader mode has none.
        let gutter = state.screenReader == nil ? 1 : 0
        self.messages = messages.insetLeft(gutter)
        self.hint = hint.insetLeft(gutter)
        self.compose = compose
    }
}

/// What the conversation's reducer needs to know of the screen: the rectangle the messages
/// are drawn in (the same `ConversationRects` the view draws in) and how they are laid out, so
/// that scrolling is clamped at what is drawn.
struct ConversationMetrics {
    var area: Rect
    var context: LayoutContext

    init(_ state: AppState) {
        area = ConversationRects(ScreenGeometry(state).conversation, state: state).messages
        context = state.layoutContext
    }

    var visibleRows: Int { max(1, area.height) }

    /// Lines a page key scrolls: a screenful less one line kept for context.
    var page: Int { max(1, visibleRows - 1) }

    func laidOut(_ conversation: ConversationState) -> ConversationLines {
        ConversationLayout.layout(conversation, context, width: area.width)
    }

    func lineCount(_ conversation: ConversationState) -> Int {
        ConversationLayout.lineCount(conversation, context, width: area.width)
    }

    /// Scrolls so that lines `first...last` are on screen (the first of them when they are
    /// more than a screenful).
    func reveal(_ lines: ClosedRange<Int>, total: Int, in pane: inout ConversationState) {
        let bottom = total - pane.scrollOffset  // one past the last line shown
        let top = bottom - visibleRows
        if lines.lowerBound < top || lines.upperBound - lines.lowerBound + 1 > visibleRows {
            pane.scrollOffset = total - lines.lowerBound - visibleRows
        } else if lines.upperBound >= bottom {
            pane.scrollOffset = total - lines.upperBound - 1
        }
        pane.scrollOffset = max(0, min(pane.scrollOffset, total - visibleRows))
    }

    // MARK: The anchor

    /// What is on the bottom row of the view: an entry of the window (a message by its localId,
    /// or a note) and how many of its block's lines are below that row.
    struct Anchor: Equatable {
        var key: String
        var linesBelow: Int
        /// The message at or just below the anchor (where the window is read around).
        var message: Int?
    }

    static func key(_ entry: ConversationLayout.Entry) -> String {
        switch entry {
        case .message(let message): message.localId
        case .note(let note): "note \(note.id)"
        }
    }

    /// The anchor of the view as it stands; nil for an empty window.
    func anchor(_ pane: ConversationState) -> Anchor? {
        let blocks = ConversationLayout.blocks(pane, context, width: area.width)
        var remaining = pane.scrollOffset
        var index = blocks.count - 1
        var lastMessage: Int?
        while index >= 0 {
            if case .message = blocks.entries[index] { lastMessage = index }
            let height = blocks.height(index)
            if remaining < height || index == 0 {
                let position = lastMessage.flatMap { entry -> Int? in
                    guard case .message(let message) = blocks.entries[entry] else { return nil }
                    return pane.messages.firstIndex { $0.localId == message.localId }
                }
                return Anchor(key: Self.key(blocks.entries[index]), linesBelow: min(remaining, max(0, height - 1)), message: position)
            }
            remaining -= height
            index -= 1
        }
        return nil
    }

    /// The scroll offset that puts `anchor` on the bottom row again; nil when the window does
    /// not hold it.
    func offset(of anchor: Anchor, in pane: ConversationState) -> Int? {
        let blocks = ConversationLayout.blocks(pane, context, width: area.width)
        var below = 0
        var index = blocks.count - 1
        while index >= 0 {
            let height = blocks.height(index)
            if Self.key(blocks.entries[index]) == anchor.key { return below + min(anchor.linesBelow, max(0, height - 1)) }
            below += height
            index -= 1
        }
        return nil
    }
}
