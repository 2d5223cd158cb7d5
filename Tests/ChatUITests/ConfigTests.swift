import ChatAPI
import ChatStore
import ChatUI
import Foundation
import Testing
import TerminalUI

@Suite struct ConfigTests {
    @Test func reboundKeysDriveTheReducer() {
        var state = Fixtures.state()
        state.keys.newChat = "c"
        state.keys.quit = "Q"
        // n is no key any more: a letter that is not a list key filters the list.
        _ = Reducer.reduce(&state, .keyPressed(.character("n")))
        #expect(state.overlay == nil && state.list.filter == "n")
        _ = Reducer.reduce(&state, .keyPressed(.escape))
        _ = Reducer.reduce(&state, .keyPressed(.character("c")))
        #expect(state.overlay == .newChat(NewChatState()))
        _ = Reducer.reduce(&state, .keyPressed(.escape))
        #expect(Reducer.reduce(&state, .keyPressed(.character("q"))).isEmpty)
        _ = Reducer.reduce(&state, .keyPressed(.escape))
        #expect(Reducer.reduce(&state, .keyPressed(.character("Q"))) == [.quit])
    }

    @Test func theAttachKeyPrefillsTheCommand() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .keyPressed(.character("f")))
        #expect(state.focus == .compose && state.composer.buffer.text == "/attach ")
    }

    @Test func gapsInTheKnownHistoryAreShown() {
        var state = Fixtures.state(rows: 20, columns: 90)
        _ = Reducer.reduce(&state, .keyPressed(.enter))
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Fixtures.conversation))
        // 5 is cached alone; 6 and 7 came with a later page: nothing known in between.
        _ = Reducer.reduce(&state, .knownHistoryChanged(Fixtures.personal, [HistoryRange(low: 6, high: 7), HistoryRange(low: 0, high: 5)]))
        let text = Screen.render(state).text
        #expect(text.contains("┄┄ gap: not loaded yet, scroll up ┄┄"))
        _ = Reducer.reduce(&state, .knownHistoryChanged(Fixtures.personal, [HistoryRange(low: 0, high: 7)]))
        #expect(!Screen.render(state).text.contains("gap"))
    }
}
