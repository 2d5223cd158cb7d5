import ChatTestSupport
import Foundation
import Testing

/// Links, on the real binary: an address longer than a line starts at the pane's
/// edge (no indent inside it), and `u` on the message lists its addresses; a number opens one
/// with the opener.
@Suite(.serialized) struct LinksEndToEndTests {
    @Test func aLongAddressIsUnindentedAndANumberOpensIt() async throws {
        let server = try await TestServer.start()
        let opened = TemporaryDirectory.make() + "/opened.txt"
        let alice = try await TestPerson.register("Alice", on: server, extra: ["TERMCHAT_OPENER": "printf '%s\\n' >> \(opened)"])
        let bob = try await TestPerson.register("Bob", on: server)
        let long = "https://example.org/guide/" + String(repeating: "chapter-", count: 14) + "end"
        let result = try await ChildProcess.run("termchat", ["send", alice.username, "read https://example.org/short then \(long) please"], environment: bob.environment)
        guard result.status == 0 else { throw TestFailure("send failed: \(result.output)") }
        let a = try await TmuxSession.client(for: alice)
        try await stopping({ await a.kill(); await server.stop() }) {
            try await a.waitFor("Bob")
            try await a.press("Enter")
            let screen = try await a.waitFor("please")
            let lines = screen.split(separator: "\n").map(String.init)
            // The conversation's messages start at column 34 (list 32, border, a space).
            // Unindented lines that are pieces of the address, in order, make the whole of it.
            let joined = lines.map { String($0.dropFirst(34)) }.filter { !$0.hasPrefix(" ") && !$0.contains("Bob:") && long.contains($0) }.joined()
            #expect(joined == long, "\(screen)")
            try await a.press("Tab")
            try await a.press("v")
            try await a.press("u")
            try await a.waitFor("Links — a number or Enter opens one")
            try await a.press("2")
            try await a.waitFor("Opened \(long.prefix(40))")
            let text = try await eventuallyRead(opened) { $0.hasSuffix("\n") }  // the opener runs apart from the test
            #expect(text == long + "\n")
        }
    }
}
