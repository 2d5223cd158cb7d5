import ChatTestSupport
import Foundation
import Testing

/// A `q` pressed right after start often took over 3 s to quit. Keys typed
/// while termchat asked the terminal what it can draw (pictures, emoji widths) were read with
/// the terminal's answers and thrown away: the `q` was lost and the person pressed it again.
@Suite struct TypedAheadEndToEndTests {
    @Test func aKeyTypedWhileTheTerminalIsAskedIsKept() async throws {
        let home = TemporaryDirectory.make()
        let environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data", "LANG": "C.UTF-8"]
        let termchat = try BuiltProduct.url("termchat").path
        // tmux answers the questions, after the keys that are already waiting.
        let session = try await TmuxSession(["/bin/sh", "-c", "\"$0\" demo --fresh; echo \"exit $?\"; sleep 600", termchat], environment: environment)
        do {
            try await session.press("q")
            try await session.waitFor("exit 0", timeout: .seconds(30))
        } catch {
            await session.kill()
            throw error
        }
        await session.kill()
    }
}
