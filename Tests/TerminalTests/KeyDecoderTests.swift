import CNcursesw
@testable import Terminal
import Testing
import TerminalUI

/// The key decoder on what `get_wch` would answer, read by read: plain keys, Escape alone and
/// with Alt, pastes over several reads, the mouse, and sequences ncurses does not know.
@Suite struct KeyDecoderTests {
    /// Answers the given reads in turn, then "nothing buffered" (ERR); more can be added later.
    final class Input {
        var pending: [(result: Int32, value: wint_t)] = []
        func type(_ text: String) { pending += text.unicodeScalars.map { (OK, wint_t($0.value)) } }
        func key(_ code: Int32) { pending.append((KEY_CODE_YES, wint_t(code))) }
        func read() -> (result: Int32, value: wint_t) { pending.isEmpty ? (ERR, 0) : pending.removeFirst() }
    }

    func decode(_ input: Input, _ decoder: inout KeyDecoder) -> [TerminalEvent] {
        var events: [TerminalEvent] = []
        while let event = decoder.next() { events.append(event) }
        return events
    }

    func decoded(_ setUp: (Input) -> Void) -> [TerminalEvent] {
        let input = Input()
        setUp(input)
        var decoder = KeyDecoder(read: input.read)
        return decode(input, &decoder)
    }

    @Test func plainCharactersControlsAndSpecialKeys() {
        #expect(decoded { $0.type("aé\r\t\u{7F}\u{01}") }
            == [.key(.character("a")), .key(.character("é")), .key(.enter), .key(.tab), .key(.backspace), .key(.control("a"))])
        #expect(decoded { $0.key(KEY_UP); $0.key(KEY_NPAGE); $0.key(KEY_BTAB) } == [.key(.up), .key(.pageDown), .key(.backTab)])
    }

    @Test func escapeAloneAltAndAltEnter() {
        #expect(decoded { $0.type("\u{1B}") } == [.key(.escape)], "nothing follows: Escape")
        #expect(decoded { $0.type("\u{1B}x") } == [.key(.alt("x"))])
        #expect(decoded { $0.type("\u{1B}\r") } == [.key(.altEnter)])
    }

    @Test func aPasteArrivesWholeEvenOverSeveralReads() {
        let input = Input()
        var decoder = KeyDecoder(read: input.read)
        input.type("\u{1B}[200~line one\r\nline")
        #expect(decode(input, &decoder).isEmpty, "the paste's end has not arrived: nothing yet")
        input.type(" two\u{1B}[201~q")
        #expect(decode(input, &decoder) == [.key(.paste("line one\nline two")), .key(.character("q"))])
    }

    @Test func mouseReportsAndUnknownSequences() {
        let events = decoded { $0.type("\u{1B}[<0;10;5M") }
        guard case .key(.mouse)? = events.first else {
            Issue.record("not a mouse event: \(events)")
            return
        }
        #expect(events.count == 1)
        #expect(decoded { $0.type("\u{1B}[99Z") } == [.key(.unknown(Int32(UInt8(ascii: "Z"))))], "unknown, not stray characters")
    }
}
