import ChatAPI
import ChatStore
@testable import ChatUI
import Foundation
import Testing
import TerminalUI

/// Overlays had no border, so at 200×50 the help ran into the conversation
/// behind it ("Compilin /edit TEXT …"), and its lines were cut even at 200 columns
/// ("attachmen", "whee") with no "…".
@Suite struct OverlayFrameTests {
    func withHelp(rows: Int, columns: Int) -> Canvas {
        var state = Fixtures.state(rows: rows, columns: columns)
        _ = press(&state, .enter)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Fixtures.conversation))
        _ = press(&state, .escape, .character("?"))
        return Screen.render(state)
    }

    @Test func theHelpIsFramedAndWholeOnAWideScreen() {
        let canvas = withHelp(rows: 50, columns: 200)
        let text = canvas.text
        #expect(text.contains("┌") && text.contains("┐") && text.contains("└") && text.contains("┘"), "\(text)")
        // Every line shown (the rest scroll) is whole.
        var shown = 0
        for (keys, summary) in HelpOverlay.lines(KeyMap()) where !summary.isEmpty && text.contains(" " + keys + " ") {
            #expect(text.contains(summary), "cut: \(summary)")
            shown += 1
        }
        #expect(shown > 30)
        // The frame's sides are on every row between its corners.
        let top = canvas.lines.firstIndex { $0.contains("┌") }!
        let bottom = canvas.lines.firstIndex { $0.contains("└") }!
        let left = canvas.lines[top].distance(from: canvas.lines[top].startIndex, to: canvas.lines[top].firstIndex(of: "┌")!)
        for row in (top + 1)..<bottom { #expect(canvas[row, left].character == "│") }
    }

    @Test func whatIsCutOnANarrowScreenEndsInAnEllipsis() {
        let text = withHelp(rows: 24, columns: 80).text
        #expect(text.contains("…"), "\(text)")
        #expect(text.contains("┌"))
    }

    @Test func everyOverlayIsFramed() {
        var state = Fixtures.state(rows: 30, columns: 120)
        _ = press(&state, .control("f"))
        #expect(Screen.render(state).text.contains("┌"))
        _ = press(&state, .escape, .control("k"))
        #expect(Screen.render(state).text.contains("┌"))
        _ = press(&state, .escape, .character("n"))
        #expect(Screen.render(state).text.contains("┌"))
    }
}
