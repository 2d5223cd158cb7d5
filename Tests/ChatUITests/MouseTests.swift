import ChatAPI
import ChatStore
@testable import ChatUI
import Foundation
import Testing
import TerminalUI

/// The mouse: clicks and the wheel land where the screen drew things.
@Suite struct MouseTests {
    /// The first row of the rendered screen that holds `text`, and the column it starts at.
    func position(of text: String, in state: AppState) -> (row: Int, column: Int)? {
        let canvas = Screen.render(state)
        for (row, line) in canvas.lines.enumerated() {
            if let range = line.range(of: text) {
                return (row, line[line.startIndex..<range.lowerBound].count)
            }
        }
        return nil
    }

    func click(_ state: inout AppState, row: Int, column: Int) -> [Effect] {
        Reducer.reduce(&state, .keyPressed(.mouse(MouseEvent(.press(button: 0), row: row, column: column))))
    }

    @Test func clickingAChatInTheListOpensItToWrite() throws {
        var state = Fixtures.state(rows: 20, columns: 100)
        let team = try #require(position(of: "Team 🚀", in: state))
        let effects = click(&state, row: team.row, column: team.column)
        #expect(state.openChatId == Fixtures.group && state.focus == .compose)
        #expect(state.list.selectedChatId == Fixtures.group)
        #expect(effects.contains { if case .openChat(Fixtures.group) = $0 { true } else { false } })
        // A click on the empty part of the list only focuses it.
        _ = click(&state, row: 17, column: 2)
        #expect(state.focus == .chats && state.openChatId == Fixtures.group)
    }

    @Test func theWheelMovesTheListSelectionAndScrollsTheConversation() throws {
        var state = Fixtures.state(rows: 20, columns: 100)
        _ = press(&state, .enter)
        let long = (1...40).map { Fixtures.message(100 + $0, from: $0 % 2 + 1, "line \($0)", minutes: Double($0)) }
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, long))
        let geometry = ScreenGeometry(state)
        #expect(state.conversation.scrollOffset == 0)
        let wheelUp = MouseEvent(.wheelUp, row: geometry.conversation.row + 3, column: geometry.conversation.column + 5)
        _ = Reducer.reduce(&state, .keyPressed(.mouse(wheelUp)))
        #expect(state.conversation.scrollOffset == Reducer.wheelLines)
        #expect(!Screen.render(state).text.contains("line 40"))
        let wheelDown = MouseEvent(.wheelDown, row: wheelUp.row, column: wheelUp.column)
        _ = Reducer.reduce(&state, .keyPressed(.mouse(wheelDown)))
        #expect(state.conversation.scrollOffset == 0)
        #expect(Screen.render(state).text.contains("line 40"))
        // Over the list, the wheel walks the chats, whatever has the focus.
        let before = state.list.selectedChatId
        _ = Reducer.reduce(&state, .keyPressed(.mouse(MouseEvent(.wheelDown, row: 3, column: 3))))
        #expect(state.list.selectedChatId != before)
        #expect(state.openChatId == Fixtures.personal)
    }

    @Test func clickingAMessageSelectsItAndClickingTheComposeBoxWrites() throws {
        var state = Fixtures.state(rows: 20, columns: 64)
        _ = press(&state, .enter)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Fixtures.conversation))
        // The second line of a wrapped message belongs to it too.
        let wrapped = try #require(position(of: "next line", in: state))
        #expect(try #require(position(of: "Hello Bob", in: state)).row < wrapped.row)
        _ = click(&state, row: wrapped.row, column: wrapped.column + 2)
        #expect(state.focus == .conversation && state.conversation.selection == "1+6")
        let other = try #require(position(of: "Hi Alice!", in: state))
        _ = click(&state, row: other.row, column: other.column)
        #expect(state.conversation.selection == "2+5")
        let compose = ConversationRects(ScreenGeometry(state).conversation, state: state).compose
        _ = click(&state, row: compose.row, column: compose.column + 4)
        #expect(state.focus == .compose && state.conversation.selection == nil)
        _ = type(&state, "hi")
        #expect(state.composer.buffer.text == "hi")
    }

    @Test func overlaysAndOtherButtonsIgnoreTheMouse() throws {
        var state = Fixtures.state(rows: 20, columns: 100)
        _ = press(&state, .character("?"))
        #expect(state.overlay != nil)
        let team = try #require(position(of: "Team", in: Fixtures.state(rows: 20, columns: 100)))
        #expect(click(&state, row: team.row, column: team.column).isEmpty)
        #expect(state.openChatId == nil)
        _ = press(&state, .escape)
        let right = MouseEvent(.press(button: 2), row: team.row, column: team.column)
        #expect(Reducer.reduce(&state, .keyPressed(.mouse(right))).isEmpty)
        #expect(state.openChatId == nil)
    }
}
