import ChatAPI
import ChatStore
@testable import ChatUI
import Foundation
import Testing
import TerminalUI

/// A message of 2,000 newlines took ~65 screens of blank rows. Long
/// messages are folded after a few lines (`… N more lines · Enter to expand`), runs of blank
/// lines squeezed to one; Enter on the selected message shows all of it, and folds it again.
@Suite struct LongMessageTests {
    func openWith(_ messages: [CachedMessage]) -> AppState {
        var state = Fixtures.state(rows: 30, columns: 80)
        _ = press(&state, .enter)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, messages))
        _ = Reducer.reduce(&state, .knownHistoryChanged(Fixtures.personal, [HistoryRange(low: 0, high: 200)]))
        return state
    }

    @Test func blankRunsAreSqueezedToOneLine() {
        let text = "top" + String(repeating: "\n", count: 2_000) + "bottom"
        let state = openWith([Fixtures.message(1, from: 2, text), Fixtures.message(2, from: 2, "after", minutes: 1)])
        let lines = ConversationLayout.lines(state, width: 60)
        let top = lines.firstIndex { $0.map(\.text).joined().contains("top") }
        let bottom = lines.firstIndex { $0.map(\.text).joined().contains("bottom") }
        #expect(top != nil && bottom == top.map { $0 + 2 }, "one blank line between them")
        #expect(Screen.render(state).text.contains("after"))
    }

    @Test func aLongMessageIsFoldedAndEnterOnItShowsAllAndFoldsAgain() {
        let text = (1...200).map { "line \($0)" }.joined(separator: "\n")
        var state = openWith([Fixtures.message(1, from: 2, text), Fixtures.message(2, from: 2, "after", minutes: 1)])
        var screen = Screen.render(state).text
        #expect(screen.contains("line 1") && screen.contains("line 10"))
        #expect(!screen.contains("line 11"), "\(screen)")
        #expect(screen.contains("… 190 more lines · Enter to expand"), "\(screen)")
        #expect(screen.contains("after"), "the next message is on the same screen")
        // Into the conversation, select the long message, Enter.
        _ = press(&state, .tab)
        #expect(state.focus == .conversation)
        _ = press(&state, .enter, .up)
        #expect(state.conversation.selection == "2+1")
        _ = press(&state, .enter)
        screen = Screen.render(state).text
        #expect(!screen.contains("more lines"), "\(screen)")
        #expect(ConversationLayout.lines(state, width: 80).count > 200)
        _ = press(&state, .enter)
        #expect(Screen.render(state).text.contains("… 190 more lines · Enter to expand"))
    }

    @Test func aFewLinesMoreAreShownRatherThanFolded() {
        let text = (1...12).map { "line \($0)" }.joined(separator: "\n")
        let state = openWith([Fixtures.message(1, from: 2, text)])
        let screen = Screen.render(state).text
        #expect(screen.contains("line 12") && !screen.contains("more lines"), "\(screen)")
    }
}
