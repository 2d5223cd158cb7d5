import ChatTestSupport
import Foundation
import ImageCodecs
import Testing
import TerminalImages

/// Pictures, on the real binaries under tmux without passthrough: a picture Bob
/// sends from disk is drawn on Alice's screen in half blocks, from the server's preview.
@Suite(.serialized) struct PicturesEndToEndTests {
    @Test func aPictureSentByOneIsAHalfBlockPreviewOnTheOthersScreen() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        // Orange above, teal below: 64×32 pixels.
        let pixels = (0..<32).flatMap { y in (0..<64).flatMap { _ in y < 16 ? [255, 128, 0, 255] as [UInt8] : [0, 128, 128, 255] } }
        let path = TemporaryDirectory.make() + "/sunset.png"
        try ImageCodec.png(RGBAImage(width: 64, height: 32, pixels: pixels)).write(to: URL(fileURLWithPath: path))
        let a = try await TmuxSession.client(for: alice)
        try await stopping({ await a.kill(); await server.stop() }) {
            let sent = try await ChildProcess.run("termchat", ["send", alice.username, "--file", path], environment: bob.environment)
            guard sent.status == 0 else { throw TestFailure("send failed: \(sent.output)") }
            try await a.waitFor("Bob")
            try await a.press("Enter")
            let screen = try await a.waitUntil("the preview is drawn") { screen in
                screen.split(separator: "\n").filter { $0.filter { $0 == "▀" }.count >= 8 }.count >= 2
            }
            #expect(screen.contains("📎 sunset.png"))
            // The colours: tmux keeps them in its copy of the screen.
            let colored = try await a.capture(escapes: true)
            #expect(colored.contains("▀"))
            #expect(colored.contains("38;5;208") || colored.contains("38;2;255;128;0"), "\(colored)")
        }
    }
}
