import ChatAPI
import ChatStore
@testable import ChatUI
import Foundation
import Testing
import TerminalUI

/// Braille displays and screen readers follow the terminal cursor, which sat
/// far from what was selected (chat list focused: column 70, row 34 while the chat was on row
/// 3). The cursor is placed on the focus in every pane and overlay, hidden where no text is
/// written.
@Suite struct FocusCursorTests {
    func row(_ canvas: Canvas, containing text: String) -> Int? { canvas.lines.firstIndex { $0.contains(text) } }

    @Test func theCursorIsOnTheSelectedChat() {
        var state = Fixtures.state(rows: 24, columns: 100)
        var canvas = Screen.render(state)
        #expect(canvas.cursor == nil)
        #expect(canvas.focus?.row == row(canvas, containing: " Bob (2)"))
        #expect(canvas.focus?.column == 1)
        _ = press(&state, .down)
        canvas = Screen.render(state)
        #expect(canvas.focus?.row == row(canvas, containing: " Team 🚀"))
    }

    @Test func theCursorIsOnTheSelectedMessagesFirstLine() {
        var state = Fixtures.state(rows: 24, columns: 100)
        _ = press(&state, .enter)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Fixtures.conversation))
        // Writing: the visible cursor is in the compose box.
        #expect(Screen.render(state).cursor != nil)
        _ = press(&state, .tab, .enter, .up)
        let canvas = Screen.render(state)
        let selected = try! #require(state.conversation.selectedMessage)
        #expect(canvas.cursor == nil)
        let firstLine = row(canvas, containing: String(selected.text!.prefix(20)))
        #expect(canvas.focus?.row == firstLine, "\(canvas.text)")
        #expect(canvas.focus.map { canvas.lines[$0.row].contains("▌") } == true)
    }

    @Test func theCursorIsOnTheSettingsRowAndTheOverlaysLine() {
        var state = Fixtures.state(rows: 30, columns: 100)
        _ = press(&state, .character("s"))
        var canvas = Screen.render(state)
        let chosen = SettingsItem.items(for: state)[state.settings.selection].label
        #expect(canvas.focus?.row == row(canvas, containing: " " + chosen))
        _ = press(&state, .escape, .character("?"))
        canvas = Screen.render(state)
        #expect(canvas.focus?.row == row(canvas, containing: " Help — "))
    }
}
