import ChatAPI
import ChatStore
import ChatUI
import Foundation
import Testing
import TerminalUI

/// Reading a conversation: what a message shows, a view that stays put while history is read, huge and wide text.
@Suite struct ConversationReadingTests {
    @Test func tabsAndCarriageReturnsAreShownNotDropped() {
        #expect(DisplayableText.make("tab\there") == "tab     here")
        #expect(DisplayableText.make("a\r\nb\rc") == "a\nb\nc")
        #expect(DisplayableText.make("\u{1B}[2Jx\u{7}") == "^[[2Jx^G")
        var state = Fixtures.state()
        _ = press(&state, .enter)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [Fixtures.message(1, from: 2, "tab\there")]))
        #expect(screenText(state).contains("tab     here"))
    }

    @Test func readingHistoryStaysPutAndCountsWhatArrives() {
        var state = Fixtures.state(rows: 12, columns: 80)
        _ = press(&state, .enter)
        let many = (1...40).map { Fixtures.message($0, from: $0 % 2 == 0 ? 1 : 2, "line \($0)", minutes: Double($0)) }
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, many))
        state.focus = .conversation
        _ = press(&state, .pageUp)
        let offset = state.conversation.scrollOffset
        #expect(offset > 0)
        let before = screenText(state)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, many + [Fixtures.message(41, from: 2, "new one", minutes: 41)]))
        #expect(state.conversation.scrollOffset > offset)
        #expect(state.conversation.newBelow == 1)
        let after = screenText(state)
        // The same messages are on screen; the hint counts the new one.
        let messageLines = { (text: String) in text.split(separator: "\n").filter { $0.contains("line ") }.map { String($0.suffix(30)) } }
        #expect(messageLines(before) == messageLines(after))
        #expect(after.contains("↓ 1 new"))
        _ = press(&state, .end)
        #expect(state.conversation.scrollOffset == 0 && state.conversation.newBelow == 0)
    }

    /// The window holds the newest N: a message arriving pushes the oldest out at the top, which
    /// must not move what is on screen either.
    @Test func readingHistoryStaysPutWhenTheOldestLeavesTheWindow() {
        var state = Fixtures.state(rows: 12, columns: 80)
        _ = press(&state, .enter)
        let all = (1...45).map { Fixtures.message($0, from: $0 % 3 == 0 ? 1 : 2, "line \($0)", minutes: Double($0) * 2) }
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Array(all[0..<40])))
        state.focus = .conversation
        _ = press(&state, .pageUp)
        #expect(state.conversation.scrollOffset > 0)
        let messageLines = { (text: String) in text.split(separator: "\n").filter { $0.contains("line ") }.map { String($0.suffix(30)) } }
        let before = messageLines(screenText(state))
        for newest in 41...45 {
            _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Array(all[(newest - 40)..<newest])))
            #expect(messageLines(screenText(state)) == before)
        }
        #expect(state.conversation.newBelow == 5)
    }

    @Test func flagsAndFamiliesAreDrawnAsWideAsTerminalsShowThem() {
        #expect(TextWidth.of(Character("🇯🇵")) == 2)
        #expect(TextWidth.of(Character("👨‍👩‍👧")) == 2)
        var canvas = Canvas(rows: 1, columns: 10)
        canvas.write("🇯🇵x", row: 0, column: 0)
        #expect(canvas.lines[0].hasPrefix("🇯🇵x"))
    }

    @Test func aHugeMessageIsLaidOutInBoundedSpace() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        let huge = String(repeating: "word ", count: 1_000_000)  // 5 MB
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [Fixtures.message(1, from: 2, huge)]))
        let folded = ConversationLayout.lines(state, width: 60)
        #expect(folded.count < 20, "folded")
        #expect(screenText(state).isEmpty == false)
        // Shown whole, it is still bounded, and says what it leaves out.
        state.conversation.expanded.insert(Fixtures.message(1, from: 2, huge).localId)
        let lines = ConversationLayout.lines(state, width: 60)
        #expect(lines.count < 1000 && lines.count > folded.count)
        let words = lines.map { $0.map(\.text).joined() }.joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(words.contains("more bytes not shown"))
    }
}
