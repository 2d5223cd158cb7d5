import ChatTestSupport
import Foundation
import Testing

/// Under `TERM=dumb` the client started and drew a broken status line;
/// `TERM=linux` (no alternate screen) left the client's screen behind on quit, so the shell's
/// prompt overwrote the status line.
@Suite struct TerminalKindEndToEndTests {
    /// `termchat demo` in `term`, followed by its exit status, in a pane that stays open after.
    func demo(term: String) async throws -> TmuxSession {
        let home = TemporaryDirectory.make()
        let environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data",
                           "LANG": "C.UTF-8", "TERM": term]
        let termchat = try BuiltProduct.url("termchat").path
        return try await TmuxSession(["/bin/sh", "-c", "\"$0\" demo --fresh; echo \"exit $?\"; sleep 600", termchat], environment: environment)
    }

    @Test func aTerminalThatCannotMoveTheCursorIsRefusedClearly() async throws {
        let session = try await demo(term: "dumb")
        do {
            let screen = try await session.waitFor("exit 1")
            #expect(screen.contains("TERM=dumb cannot move the cursor"))
            #expect(!screen.contains("online"))
        } catch {
            await session.kill()
            throw error
        }
        await session.kill()
    }

    @Test func quittingWhereThereIsNoAlternateScreenLeavesItClean() async throws {
        let session = try await demo(term: "linux")
        do {
            try await session.waitFor("● online")
            try await session.press("q")
            let screen = try await session.waitFor("exit 0")
            #expect(!screen.contains("online"), "the client's screen stayed behind:\n\(screen)")
            #expect(screen.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("exit 0"), "\(screen)")
        } catch {
            await session.kill()
            throw error
        }
        await session.kill()
    }
}
