import ChatUI
import Foundation
import Testing
import TerminalUI

/// The help, the hints and the README's key table come from the key map.
@Suite struct KeyHelpTests {
    @Test func everyBindingIsInTheHelp() {
        let shown = Set(KeyHelp.rows.flatMap(\.bound))
        #expect(shown == Set(KeyMap.names.keys), "missing: \(Set(KeyMap.names.keys).subtracting(shown)), unknown: \(shown.subtracting(KeyMap.names.keys))")
    }

    @Test func aReboundKeyIsShownAsBoundInTheHelpAndTheHints() {
        var state = Fixtures.state(rows: 40, columns: 100)
        state.keys.newChat = "c"
        state.keys.help = "h"
        state.chats = []
        let hint = Screen.render(state).text
        #expect(hint.contains("Press c to start a chat, / for commands, h for help."), "\(hint)")
        #expect(hint.contains("No chats yet. c: new chat."), "\(hint)")
        _ = Reducer.reduce(&state, .keyPressed(.character("h")))
        let help = Screen.render(state).text
        #expect(help.contains("c   ") || help.contains(" c "), "\(help)")
        #expect(help.contains("new chat (search people)"))
        let line = help.split(separator: "\n").first { $0.contains("new chat (search people)") } ?? ""
        #expect(line.contains(" c ") && !line.contains(" n "), "\(line)")
    }

    /// The README's table is the generated one (regenerate it from `KeyHelp.markdownTable()`).
    @Test func theReadmesKeyTableIsTheGeneratedOne() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        #expect(text.contains(KeyHelp.markdownTable()), "README.md's key table differs from KeyHelp.markdownTable():\n\(KeyHelp.markdownTable())")
    }
}
