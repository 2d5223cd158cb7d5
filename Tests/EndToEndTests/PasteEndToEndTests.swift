import ChatTestSupport
import Foundation
import Testing

/// A paste without bracketed paste (tmux `paste-buffer` without `-p`, many
/// terminals over ssh) sent each line as a message. It is kept in the compose box, whole, and
/// goes as one message when the person presses Enter.
@Suite struct PasteEndToEndTests {
    @Test(arguments: [false, true]) func aPastedTextIsKeptToEditAndSentAsOneMessage(bracketed: Bool) async throws {
        let home = TemporaryDirectory.make()
        let environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data", "LANG": "C.UTF-8"]
        let session = try await TmuxSession([try BuiltProduct.url("termchat").path, "demo", "--fresh"], environment: environment)
        do {
            try await session.waitFor("● online")
            try await session.press("Enter")
            try await session.waitFor("new ──")
            try await session.paste("first pasted line\nsecond pasted line\nthird pasted line", bracketed: bracketed)
            let screen = try await session.waitFor("› first pasted line")
            #expect(screen.contains("second pasted line") && screen.contains("third pasted line"), "\(screen)")
            // A person reads what they pasted before going on; keys that follow a paste within
            // a moment are taken as more of it (a long paste arrives over several reads).
            try await Task.sleep(for: .milliseconds(300))
            try await session.type(" and typed")
            try await session.press("Enter")
            // One message of three lines, delivered once: one ✓, after its last line.
            let sent = try await session.waitFor("third pasted line and typed ✓")
            let first = try #require(sent.split(separator: "\n").first { $0.contains("You: first pasted line") })
            #expect(!first.contains("✓"), "the first line went as a message of its own:\n\(sent)")
        } catch {
            await session.kill()
            throw error
        }
        await session.kill()
    }
}
