import ChatTestSupport
import Foundation
import Testing

/// Ctrl-Z did nothing. Like every full-screen program it suspends: the
/// shell's screen comes back with the job stopped, and `fg` brings the client back.
@Suite struct SuspendEndToEndTests {
    @Test func ctrlZSuspendsToTheShellAndFgBringsTheClientBack() async throws {
        let home = TemporaryDirectory.make()
        let environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data",
                           "LANG": "C.UTF-8", "PS1": "READY$ ", "TERMCHAT": try BuiltProduct.url("termchat").path]
        // A shell with job control, as a person has: only it can continue a stopped job.
        let session = try await TmuxSession(["/bin/bash", "--norc", "--noprofile", "-i"], environment: environment)
        do {
            try await session.waitFor("READY$")
            try await session.type("\"$TERMCHAT\" demo --fresh")
            try await session.press("Enter")
            try await session.waitFor("● online")
            try await session.press("Enter")
            try await session.type("kept while away")
            try await session.press("C-z")
            let shell = try await session.waitUntil("the shell says the job stopped") { $0.contains("Stopped") }
            #expect(!shell.contains("● online"), "the client's screen stayed:\n\(shell)")
            try await session.type("fg")
            try await session.press("Enter")
            try await session.waitFor("● online")
            // The draft is still there, and keys still reach the client.
            try await session.waitFor("kept while away")
            try await session.press("Escape")
            try await session.press("q")
            try await session.waitUntil("the shell's prompt is back") { !$0.contains("● online") && $0.contains("READY$") }
        } catch {
            await session.kill()
            throw error
        }
        await session.kill()
    }
}
