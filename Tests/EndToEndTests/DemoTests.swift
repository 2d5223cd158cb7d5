import ChatTestSupport
import Foundation
import Testing

/// The README's first command, under tmux on a fresh home: a populated, live chat.
@Suite struct DemoTests {
    @Test func theDemoShowsPopulatedChatsAndAFriendWhoAnswers() async throws {
        let home = TemporaryDirectory.make()
        let environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
        let session = try await TmuxSession([try BuiltProduct.url("termchat").path, "demo", "--fresh"], environment: environment)
        do {
            let screen = try await session.waitUntil("the seeded chat list") {
                $0.contains("● online") && $0.contains("Weekend hike 🥾") && $0.contains("Bob Builder") && $0.contains("Carol 李")
            }
            #expect(screen.contains("Chats (3)"))  // and one more in the archive
            // Open the chat with Bob through the new-chat search (it finds the existing chat).
            try await session.press("n")
            try await session.waitFor("New chat")
            try await session.type("bobby")
            try await session.waitFor("@bobby")
            try await session.press("Enter")
            try await session.waitFor(" opened.")
            try await session.type("hello bob")
            try await session.press("Enter")
            // Bob types for a second and a half, then answers. On a loaded machine a screen read
            // can miss the typing line, so the answer is what must come; typing, if seen, first.
            let answered = try await session.waitUntil("Bob types, then answers") {
                $0.contains("Bob Builder is typing…") || $0.contains("Hey! 👋 Good to see you here.")
            }
            if !answered.contains("Hey! 👋") { try await session.waitFor("Hey! 👋 Good to see you here.") }
            try await session.press("Escape")
            try await session.waitFor("i or Enter to write")
            try await session.press("A")
            try await session.waitFor("Archive (1)")
            try await session.press("q")
            try await session.waitUntil("termchat exited") { !$0.contains("● online") }
        } catch {
            await session.kill()
            throw error
        }
        await session.kill()
    }
}
