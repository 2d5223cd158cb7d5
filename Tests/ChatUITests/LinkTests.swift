import ChatAPI
import ChatStore
@testable import ChatUI
import Foundation
import Testing
import TerminalUI

/// Links: found, drawn as hyperlinks, never indented inside, listed with `u`.
@Suite struct LinkTests {
    @Test func addressesEndAtSpacesAndLeaveTheSentencesPunctuation() {
        #expect(Links.addresses(in: "see https://example.org/a.html.") == ["https://example.org/a.html"])
        #expect(Links.addresses(in: "(at http://x.org/wiki/Foo_(bar)) and HTTPS://Y.org/?q=1, ok") == ["http://x.org/wiki/Foo_(bar)", "HTTPS://Y.org/?q=1"])
        #expect(Links.addresses(in: "<https://a.org/b> \"https://c.org\"") == ["https://a.org/b", "https://c.org"])
        #expect(Links.addresses(in: "nohttps://a.org http:// ftp://x.org plain text").isEmpty)
        #expect(Links.addresses(in: "https://例え.jp/パス!") == ["https://例え.jp/パス"])
    }

    func conversation(_ text: String, columns: Int) -> AppState {
        var state = Fixtures.state(rows: 16, columns: columns)
        _ = press(&state, .enter)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [Fixtures.message(30, from: 2, text)]))
        _ = press(&state, .tab)  // compose → conversation
        return state
    }

    @Test func anAddressIsALinkAndALongOneStartsAtThePanesEdge() throws {
        let long = "https://example.org/" + String(repeating: "abcdefghij", count: 8) + "/end"
        let state = conversation("look https://short.org/x and \(long) thanks", columns: 80)
        let canvas = Screen.render(state)
        let pane = ConversationRects(ScreenGeometry(state).conversation, state: state).messages
        // The short one, inline: every cell of it carries the address.
        let row = try #require(canvas.lines.firstIndex { $0.contains("https://short.org/x") })
        let line = canvas.lines[row]
        let start = line.distance(from: line.startIndex, to: line.range(of: "https://short.org/x")!.lowerBound)
        for column in start..<(start + 19) { #expect(canvas[row, column].style.link == "https://short.org/x") }
        #expect(canvas[row, start].style.underline)
        #expect(canvas[row, start - 1].style.link == nil)
        // The long one: its own lines, from the pane's first column, each piece a link to the whole.
        let pieces = canvas.lines.indices.filter { canvas[$0, pane.column].style.link == long }
        #expect(pieces.count == 2, "\(canvas.text)")
        let joined = pieces.map { String(canvas.lines[$0].dropFirst(pane.column)) }.joined()
        #expect(joined == long)
        #expect(canvas.lines.contains { $0.hasSuffix("      thanks") })
    }

    @Test func uListsTheSelectedMessagesAddressesAndANumberOpensOne() {
        var state = conversation("docs: https://a.org/1 and https://b.org/2", columns: 80)
        _ = press(&state, .character("v"))
        #expect(state.conversation.selection == "2+30")
        _ = press(&state, .character("u"))
        #expect(state.overlay == .links(addresses: ["https://a.org/1", "https://b.org/2"], selected: 0))
        let canvas = Screen.render(state)
        #expect(canvas.text.contains(" 1   https://a.org/1"))
        #expect(canvas.text.contains(" 2   https://b.org/2"))
        #expect(press(&state, .character("2")) == [.openLink("https://b.org/2")])
        #expect(state.overlay == nil)
        _ = press(&state, .character("u"))
        #expect(press(&state, .down, .enter) == [.openLink("https://b.org/2")])
        _ = press(&state, .character("u"))
        #expect(press(&state, .escape).isEmpty && state.overlay == nil)
        // A message without an address says so.
        var plain = conversation("no links here", columns: 120)
        _ = press(&plain, .character("v"), .character("u"))
        #expect(plain.overlay == nil)
        #expect(Screen.render(plain).text.contains("No web address in that message."))
    }
}
