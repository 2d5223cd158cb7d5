import ChatAPI
import ChatStore
import ChatUI
import Foundation
import Testing
import TerminalUI

/// The compose box: pastes, grapheme clusters, Esc, multi-line drafts and recall, long input.
@Suite struct ComposeEditingTests {
    @Test func aPasteIsOneTextWithItsNewlinesAndIsNeverSent() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        let effects = press(&state, .paste("first line\nsecond line\nthird"))
        #expect(!effects.contains { if case .send = $0 { true } else { false } })
        #expect(state.composer.buffer.text == "first line\nsecond line\nthird")
        // A paste with the list focused still lands in the compose box of the open chat.
        _ = press(&state, .escape)
        _ = press(&state, .paste(" more"))
        #expect(state.focus == .compose && state.composer.buffer.text.hasSuffix("third more"))
    }

    @Test func aLongPasteIsInsertedInOneLinearStep() {
        var buffer = ComposeBuffer()
        let text = String(repeating: "abcdé 世界 ", count: 500)
        buffer.insert(text)
        #expect(buffer.text == text)
        #expect(buffer.cursor == buffer.characters.count)
    }

    @Test func editingActsOnWholeGraphemeClusters() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        // The terminal delivers the family one scalar at a time.
        for scalar in "👨‍👩‍👧".unicodeScalars { _ = press(&state, .character(Character(scalar))) }
        for scalar in "🇯🇵".unicodeScalars { _ = press(&state, .character(Character(scalar))) }
        for scalar in "e\u{301}".unicodeScalars { _ = press(&state, .character(Character(scalar))) }
        #expect(state.composer.buffer.characters == ["👨‍👩‍👧", "🇯🇵", "é"])
        _ = press(&state, .left, .backspace)
        #expect(state.composer.buffer.text == "👨‍👩‍👧e\u{301}")
        _ = press(&state, .backspace)
        #expect(state.composer.buffer.text == "e\u{301}")
    }

    @Test func escQuicklyFollowedByAKeyLosesNeither() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        #expect(state.focus == .compose)
        // Esc then j arrives as Alt-j: back to the list, then j moves down.
        _ = press(&state, .alt("j"))
        #expect(state.focus == .chats)
        #expect(state.selectedChatId == Fixtures.group)
    }

    @Test func upAndDownMoveInAMultiLineDraftAndRecallEarlierInputWhenEmpty() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        _ = type(&state, "first")
        _ = press(&state, .enter)
        _ = type(&state, "second")
        _ = press(&state, .enter)
        // Empty: Up recalls, newest first; Down comes back to an empty box.
        _ = press(&state, .up)
        #expect(state.composer.buffer.text == "second")
        _ = press(&state, .up)
        #expect(state.composer.buffer.text == "first")
        _ = press(&state, .down, .down)
        #expect(state.composer.buffer.text.isEmpty)
        // A multi-line draft: Up and Down move the cursor between its lines.
        _ = type(&state, "top line")
        _ = press(&state, .altEnter)
        _ = type(&state, "bottom")
        let scroll = state.conversation.scrollOffset
        _ = press(&state, .up)
        #expect(state.composer.buffer.cursor == 6)  // "top li|ne": same column, line above
        _ = type(&state, "X")
        #expect(state.composer.buffer.text == "top liXne\nbottom")
        _ = press(&state, .down)
        _ = type(&state, "Y")
        #expect(state.composer.buffer.text == "top liXne\nbottomY")
        #expect(state.conversation.scrollOffset == scroll)
    }

    @Test func longInputShowsABytesCounterAndOffersToSendAFile() {
        var state = Fixtures.state(columns: 120)
        _ = press(&state, .enter)
        _ = press(&state, .paste(String(repeating: "é", count: 900)))  // 1,800 bytes
        #expect(screenText(state).contains("1800/2048 bytes"))
        _ = press(&state, .paste(String(repeating: "x", count: 3200)))  // 5,000 bytes
        #expect(screenText(state).contains("5000/2048 bytes · Enter: send as a .txt file"))
        let text = state.composer.buffer.text
        #expect(press(&state, .enter).isEmpty)
        guard case .confirm(let offer)? = state.overlay else { Issue.record("no offer"); return }
        #expect(offer.question.contains("Send it as a .txt file?"))
        let effects = press(&state, .character("y"))
        #expect(effects.first == .sendTextAsFile(Fixtures.personal, text))
        #expect(state.composer.buffer.isEmpty)
    }
}
