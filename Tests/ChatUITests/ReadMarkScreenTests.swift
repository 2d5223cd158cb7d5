import ChatAPI
import ChatStore
@testable import ChatUI
import Foundation
import Testing
import TerminalUI

/// A read mark on a message means the ones before it are read too (the
/// store adds the reader to them, `aReadMarkCoversEveryEarlierMessage`): ✓✓ on each, and in a
/// group one "read by" line where the mark is, not one under every message.
@Suite struct ReadMarkScreenTests {
    @Test func earlierMessagesShowReadAndTheReaderIsNamedWhereTheMarkIs() {
        var state = Fixtures.state(rows: 24, columns: 80)
        _ = press(&state, .down, .enter)
        var messages = (1...3).map { Fixtures.message(50 + $0, in: Fixtures.group, from: 1, "mine \($0)", minutes: Double($0)) }
        messages[0].readBy = [2]
        messages[1].readBy = [2]
        messages[1].readAt = [2: Fixtures.base]
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.group, messages))
        let lines = Screen.render(state).text.split(separator: "\n").map(String.init)
        func line(_ text: String) -> String { lines.first { $0.contains(text) } ?? "" }
        #expect(line("mine 1").hasSuffix("✓✓") && line("mine 2").hasSuffix("✓✓"), "\(lines)")
        #expect(line("mine 3").hasSuffix(" ✓"))
        #expect(lines.filter { $0.contains("read by Bob") }.count == 1)
        let markLine = lines.firstIndex { $0.contains("read by Bob") }
        #expect(markLine == lines.firstIndex { $0.contains("mine 2") }.map { $0 + 1 })
    }
}

/// Read marks, the other half: the client marks what it shows. A message that arrives
/// while the person reads further up is not marked read until they come down to it.
@Suite struct ReadWhatIsShownTests {
    @Test func whatArrivesBelowTheViewIsNotReadUntilTheViewReachesIt() {
        var state = Fixtures.state(rows: 12, columns: 80)
        _ = press(&state, .enter)
        let old = (1...40).map { Fixtures.message($0, from: $0 % 2 == 0 ? 1 : 2, "message \($0)", minutes: Double($0) / 10) }
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, old))
        _ = Reducer.reduce(&state, .knownHistoryChanged(Fixtures.personal, [HistoryRange(low: 0, high: 200)]))
        var chats = Fixtures.chats
        chats[0].unreadCount = 0
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        _ = press(&state, .tab, .pageUp)
        #expect(!state.conversation.isAtNewest)
        // Bob writes; the chat list counts it unread.
        let new = Fixtures.message(41, from: 2, "while you read above", minutes: 5)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, old + [new]))
        chats[0].unreadCount = 1
        #expect(!Reducer.reduce(&state, .chatListChanged(chats)).contains(.markRead(Fixtures.personal)))
        // Down to the newest: now it is shown, and read.
        let effects = press(&state, .end)
        #expect(state.conversation.isAtNewest)
        #expect(effects.contains(.markRead(Fixtures.personal)))
    }
}
