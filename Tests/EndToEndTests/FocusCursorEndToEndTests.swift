import ChatTestSupport
import Foundation
import Testing

/// With the real binary: the terminal cursor (which braille displays and
/// screen readers follow) is on the selected chat and on the chosen settings row, as tmux
/// reports it (it was at column 70, row 34 while the selected chat was on row 3).
@Suite struct FocusCursorEndToEndTests {
    @Test func theCursorFollowsTheSelection() async throws {
        let home = TemporaryDirectory.make()
        let environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data", "LANG": "C.UTF-8"]
        let session = try await TmuxSession([try BuiltProduct.url("termchat").path, "demo", "--fresh"], environment: environment)
        do {
            try await session.waitFor("● online")
            // The list: a heading, then two rows a chat. The first chat's name is on row 1.
            try await waitForCursor(session, row: 1, column: 1)
            try await session.press("j")
            try await waitForCursor(session, row: 3, column: 1)
            // The settings pane: its header, then the chosen (first) row.
            try await session.press("s")
            try await session.waitFor("↑↓ choose")
            try await waitForCursor(session, row: 1, column: nil)
            try await session.press("Down")
            try await waitForCursor(session, row: 2, column: nil)
        } catch {
            await session.kill()
            throw error
        }
        await session.kill()
    }

    /// Re-reads where the cursor is until it is at `row` (and `column`); the terminal reports
    /// no event for the cursor moving, so this polls as `waitFor` does the screen.
    func waitForCursor(_ session: TmuxSession, row: Int, column: Int?) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        var last = (column: -1, row: -1)
        while ContinuousClock.now < deadline {
            last = try await session.cursor()
            if last.row == row && (column == nil || last.column == column) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("the cursor stayed at column \(last.column), row \(last.row), not \(column.map(String.init) ?? "any"),\(row):\n\(try await session.screen())")
    }
}
