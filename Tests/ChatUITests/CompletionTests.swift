import ChatAPI
import ChatStore
@testable import ChatUI
import Foundation
import Testing
import TerminalUI

/// What weechat, gomuks and iamb users expect in the compose box — Tab
/// completes `@names` and `/commands` (Tab switched panes there), and `/me` says an action.
@Suite struct CompletionTests {
    /// The group "Team 🚀" (Alice, Bob, Carol) open, its compose box focused.
    func openGroup() -> AppState {
        var state = Fixtures.state()
        _ = press(&state, .down, .enter)
        #expect(state.openChatId == Fixtures.group && state.focus == .compose)
        return state
    }

    @Test func tabCompletesAMembersNameAfterAnAt() {
        var state = openGroup()
        _ = type(&state, "thanks @ca")
        _ = press(&state, .tab)
        #expect(state.composer.buffer.text == "thanks @carol1 ")
        #expect(state.focus == .compose)
    }

    @Test func severalMatchesAreListedAndTheCommonPartFilled() {
        var state = openGroup()
        _ = type(&state, "@")
        _ = press(&state, .tab)
        #expect(state.composer.buffer.text == "@")
        #expect(state.composer.completions == ["@bobby1", "@carol1"], "I am not offered")
        #expect(Screen.render(state).text.contains("@bobby1  @carol1"))
        _ = type(&state, "b")
        _ = press(&state, .tab)
        #expect(state.composer.buffer.text == "@bobby1 ")
        #expect(state.composer.completions.isEmpty)
    }

    @Test func theTextAfterTheCursorStays() {
        var state = openGroup()
        _ = type(&state, "@bo is here")
        _ = press(&state, .home)
        for _ in 0..<3 { _ = press(&state, .right) }
        _ = press(&state, .tab)
        #expect(state.composer.buffer.text == "@bobby1 is here")
        #expect(state.composer.buffer.beforeCursor == "@bobby1")
    }

    @Test func tabCompletesCommands() {
        var state = openGroup()
        _ = type(&state, "/sett")
        _ = press(&state, .tab)
        #expect(state.composer.buffer.text == "/settings ")
        _ = press(&state, .control("u"))
        _ = type(&state, "/arc")
        _ = press(&state, .tab)
        #expect(state.composer.buffer.text == "/archive")
        #expect(state.composer.completions == ["/archive", "/archived"])
        _ = press(&state, .control("u"))
        _ = type(&state, "/zz")
        _ = press(&state, .tab)
        #expect(state.composer.buffer.text == "/zz")
        #expect(state.notice?.text == "No command starts with /zz.")
    }

    @Test func tabInAnEmptyBoxStillMovesOnAndNeverLeavesADraft() {
        var state = openGroup()
        _ = press(&state, .tab)
        #expect(state.focus != .compose, "an empty box: Tab moves to the next pane as before")
        state = openGroup()
        _ = type(&state, "hello")
        _ = press(&state, .tab)
        #expect(state.focus == .compose, "a draft is never left by Tab")
        #expect(state.composer.buffer.text == "hello")
        #expect(state.notice?.text.contains("Shift-Tab") == true)
    }

    @Test func meSendsAnActionAnyClientCanReadAndItIsShownAsOne() {
        var state = openGroup()
        _ = type(&state, "/me waves")
        let effects = press(&state, .enter)
        #expect(effects.contains(.send(Fixtures.group, "/me waves")))
        #expect(state.composer.buffer.isEmpty)
        let bob = Fixtures.message(40, in: Fixtures.group, from: 2, "/me waves back", minutes: 10)
        let mine = Fixtures.message(41, in: Fixtures.group, from: 1, "/me smiles", minutes: 10.5)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.group, [bob, mine]))
        let text = Screen.render(state).text
        #expect(text.contains("* Bob waves back"), "\(text)")
        #expect(text.contains("* Alice smiles"), "an action names its author even in a run:\n\(text)")
        #expect(!text.contains("/me"), "\(text)")
    }
}
