import ChatAPI
import ChatStore
@testable import ChatUI
import Foundation
import Testing
import TerminalUI

/// Screen-reader mode. Its screens hold no box drawing and no block
/// elements, every message is a labelled line `Name, HH:MM: text` with what glyphs said in
/// words, one pane at a time, news on the last line, and F2/F3 answer there.
@Suite struct ScreenReaderTests {
    var messageLine: Regex<(Substring, Substring, Substring?)> { #/^(Alice|Bob|Carol 李), (\d{1,2} \w+ )?\d\d:\d\d: .+/# }

    func spoken(rows: Int = 24, columns: Int = 100) -> AppState {
        var state = Fixtures.state(rows: rows, columns: columns)
        state.screenReader = ScreenReaderMode(source: "--screen-reader")
        return state
    }

    func drawsNothingButWords(_ canvas: Canvas, sourceLocation: SourceLocation = #_sourceLocation) {
        for line in canvas.lines {
            let drawing = line.unicodeScalars.filter { (0x2500...0x259F).contains($0.value) }
            #expect(drawing.isEmpty, "box drawing or blocks in: \(line)", sourceLocation: sourceLocation)
        }
    }

    @Test func theFlagBeatsTheVariableWhichBeatsTheFile() {
        #expect(ScreenReaderMode.resolve(flag: true, environment: "0", file: false)?.source == "--screen-reader")
        #expect(ScreenReaderMode.resolve(flag: false, environment: "1", file: false)?.source == "TERMCHAT_SCREEN_READER=1")
        #expect(ScreenReaderMode.resolve(flag: false, environment: "0", file: true) == nil)
        #expect(ScreenReaderMode.resolve(flag: false, environment: nil, file: true)?.source == "screen_reader in config.toml")
        #expect(ScreenReaderMode.resolve(flag: false, environment: "maybe", file: nil) == nil)
    }

    @Test func theListIsOnePaneOfPlainLinesUnderTheModesFirstLine() {
        var state = spoken()
        let canvas = Screen.render(state)
        drawsNothingButWords(canvas)
        #expect(canvas.lines[0].hasPrefix("Screen-reader mode, on by --screen-reader."))
        let bob = try! #require(canvas.lines.firstIndex { $0.hasPrefix("Bob, 2 unread. Last, Bob: こんにちは 👋") }, "\(canvas.text)")
        #expect(canvas.focus?.row == bob && canvas.focus?.column == 0)
        #expect(canvas.lines.contains { $0.hasPrefix("Team 🚀. Last, Carol 李: see you") })
        #expect(canvas.lines[22].hasPrefix("Online. alice1 at 127.0.0.1:8080. 2 unread messages in 1 chat."), "\(canvas.text)")
        _ = press(&state, .function(2))
        #expect(state.announcement == "Chat list, 1 of 2: Bob, 2 unread. Last, Bob: こんにちは 👋")
        #expect(Screen.render(state).lines[23].hasPrefix("Chat list, 1 of 2"))
    }

    @Test func everyMessageIsALabelledLineWithItsStateInWords() {
        var state = spoken()
        _ = press(&state, .enter)
        var mine = Fixtures.message(8, from: 1, "are you there?", minutes: 6)
        mine.readBy = [2]
        var queued = Fixtures.message(9, from: 1, "still queued", minutes: 7, state: .queued)
        queued.editedAt = Fixtures.base
        let deleted = { var message = Fixtures.message(10, from: 2, "gone", minutes: 8); message.deletedAt = Fixtures.base; return message }()
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Fixtures.conversation + [mine, queued, deleted]))
        let canvas = Screen.render(state)
        drawsNothingButWords(canvas)
        let starts = canvas.lines.filter { $0.contains(":") && ($0.hasPrefix("Alice,") || $0.hasPrefix("Bob,")) }
        #expect(starts.count == 6, "\(canvas.text)")
        for line in starts { #expect(line.wholeMatch(of: messageLine) != nil, "\(line)") }
        #expect(canvas.lines.contains { $0.hasPrefix("Bob, 24 Nov 10:00: Hi Alice! 你好") }, "\(canvas.text)")
        #expect(canvas.lines.contains { $0.hasPrefix("Alice, 10:06: are you there? (read)") })
        #expect(canvas.lines.contains { $0.hasPrefix("Alice, 10:07: still queued (edited, queued)") })
        #expect(canvas.lines.contains { $0.hasPrefix("Bob, 10:08: message deleted") })
        #expect(!canvas.lines.contains { $0.hasPrefix("Chats") }, "one pane at a time")
        _ = press(&state, .function(3))
        #expect(state.announcement == "Newest: Bob, 10:08: message deleted")
        _ = press(&state, .function(3))
        #expect(state.announcement == "2 back: Alice, 10:07: still queued (edited, queued)")
        _ = press(&state, .alt("4"))
        #expect(state.announcement?.hasPrefix("4 back: Bob, 10:05: こんにちは 👋") == true, "\(state.announcement ?? "")")
    }

    @Test func newsElsewhereAndTheConnectionAreAnnounced() {
        var state = spoken()
        var chats = Fixtures.chats
        chats[1].lastMessage = Fixtures.message(20, in: Fixtures.group, from: 2, "lunch, @alice1?", minutes: 9)
        chats[1].unreadCount = 1
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        #expect(state.announcement == "New message, Bob mentioned you in Team 🚀: lunch, @alice1?")
        var status = state.engine
        status.connection = .retrying(at: Fixtures.base.addingTimeInterval(9))
        _ = Reducer.reduce(&state, .engineStatusChanged(status))
        #expect(state.announcement == "Offline: what you send is queued and goes when back online.")
        #expect(Screen.render(state).lines[22].hasPrefix("Offline, retrying."), "no countdown: it would be read every second")
        status.connection = .online
        _ = Reducer.reduce(&state, .engineStatusChanged(status))
        #expect(state.announcement == "Online.")
    }

    @Test func overlaysLoseTheirFrames() {
        var state = spoken()
        _ = press(&state, .function(1))
        let canvas = Screen.render(state)
        drawsNothingButWords(canvas)
        #expect(canvas.text.contains("Help"))
    }
}
