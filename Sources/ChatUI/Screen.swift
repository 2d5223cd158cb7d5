import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// Draws the whole screen from state into a fresh canvas. Nothing is patched: every frame is
/// drawn from state, so what is on screen is always what the state says.
public enum Screen {
    public static func render(_ state: AppState, theme: Theme = .standard) -> Canvas {
        var canvas = Canvas(rows: state.rows, columns: state.columns)
        let geometry = ScreenGeometry(state)
        if geometry.isTooSmall {
            let message = "Terminal too small: \(ScreenGeometry.minimumColumns)×\(ScreenGeometry.minimumRows) at least (now \(state.columns)×\(state.rows))"
            for (row, line) in zip(geometry.screen.slices(of: 1), TextWidth.wrap(message, columns: max(1, state.columns))) {
                canvas.write(line, in: row)
            }
            return canvas
        }
        if let mode = state.screenReader, let heading = geometry.heading {
            canvas.write(TextWidth.truncate(mode.heading, to: heading.width), in: heading, style: theme.header)
        }
        if let line = geometry.announcement, let announcement = state.announcement {
            canvas.write(TextWidth.truncate(announcement, to: line.width), in: line)
        }
        if geometry.showsList {
            ChatListView.draw(state, into: &canvas, in: geometry.list, theme: theme)
        }
        if let border = geometry.border {
            for row in border.slices(of: 1) { canvas.write("│", in: row, style: theme.border) }
        }
        if geometry.showsConversation {
            if state.focus == .settings {
                SettingsView.draw(state, into: &canvas, in: geometry.conversation, theme: theme)
            } else {
                ConversationView.draw(state, into: &canvas, in: geometry.conversation, theme: theme)
            }
        }
        StatusBar.draw(state, into: &canvas, in: geometry.status, theme: theme)
        switch state.overlay {
        case .help(let offset)?: HelpOverlay.draw(into: &canvas, in: geometry.overlayArea, keys: state.keys, offset: offset, theme: theme)
        case .newChat(let flow)?: NewChatOverlay.draw(flow, into: &canvas, in: geometry.overlayArea, theme: theme)
        case .confirm(let confirmation)?: QuestionBar.draw(confirmation.question, input: nil, into: &canvas, in: geometry.question, theme: theme)
        case .prompt(let prompt)?:
            let shown = prompt.purpose.isMasked ? String(repeating: "•", count: prompt.input.characters.count) : prompt.input.text
            let cursor = prompt.purpose.isMasked ? prompt.input.cursor : TextWidth.of(prompt.input.beforeCursor)
            QuestionBar.draw(prompt.label + " ", input: (shown, cursor), into: &canvas, in: geometry.question, theme: theme)
        case .search(let search)?: SearchOverlay.draw(search, state, into: &canvas, in: geometry.overlayArea, theme: theme)
        case .switcher(let switcher)?: SwitcherOverlay.draw(switcher, into: &canvas, in: geometry.overlayArea, theme: theme)
        case .links(let addresses, let selected)?: LinksOverlay.draw(addresses, selected: selected, into: &canvas, in: geometry.overlayArea, theme: theme)
        case .details(let chat, let localId)?:
            if chat == state.openChatId, let message = state.conversation.messages.last(where: { $0.localId == localId }) {
                DetailsOverlay.draw(message, state, into: &canvas, in: geometry.overlayArea, theme: theme)
            }
        case nil: break
        }
        if state.screenReader != nil { canvas.blankOut(SpokenScreen.isDrawing) }
        return canvas
    }

    /// The terminal's title: the unread count first, as browsers and weechat do.
    public static func title(_ state: AppState) -> String {
        let unread = state.unreadTotals.messages
        return unread > 0 ? "(\(unread)) TermChat" : "TermChat"
    }
}

extension Canvas {
    /// Writes spans one after another; answers the columns used.
    @discardableResult
    mutating func write(_ line: StyledLine, row: Int, column: Int, width: Int) -> Int {
        var x = column
        for span in line {
            let remaining = column + width - x
            guard remaining > 0 else { break }
            x += write(span.text, row: row, column: x, width: remaining, style: span.style)
        }
        return x - column
    }
}
