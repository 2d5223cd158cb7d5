import ChatAPI
import ChatStore
import ChatUI
import Foundation
import Testing
import TerminalUI

/// The width the reducer clamps scrolling with is the width that is drawn.
@Suite struct LayoutRectTests {
    @Test func scrollingToTheTopShowsTheFirstLineWhenEveryMessageWrapsOnlyAsDrawn() {
        var state = Fixtures.state(rows: 20, columns: 80)
        _ = Reducer.reduce(&state, .keyPressed(.enter))
        let rects = ConversationRects(ScreenGeometry(state).conversation, state: state)
        // "10:00 Bob: " and a text that fills the messages' width exactly, and one column more:
        // one line as drawn would be two at a width one column wider, and the other way round.
        let prefix = TextWidth.of("10:00 Bob: ")
        let messages = (1...30).map { index in
            Fixtures.message(100 + index, from: 2, String(format: "m%02d ", index) + String(repeating: "x", count: rects.messages.width - prefix - 3),
                             minutes: Double(index * 10))  // apart: each has its name and time
        }
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, messages))
        _ = Reducer.reduce(&state, .knownHistoryChanged(Fixtures.personal, [HistoryRange(low: 0, high: 200)]))
        _ = Reducer.reduce(&state, .keyPressed(.tab))
        for _ in 0..<5 { _ = Reducer.reduce(&state, .keyPressed(.pageUp)) }
        let text = Screen.render(state).text
        #expect(text.contains("Bob: m01"), "the first message is reachable:\n\(text)")
        #expect(!text.contains("Bob: m30"), "and the view stopped at the top:\n\(text)")
        #expect(ConversationLayout.lineCount(state) >= 2 * 30, "two lines a message, as drawn")
    }
}
