import ChatServer
import ChatTestSupport
import Foundation
import Synchronization
import Testing

/// Devices, from the client: the account's devices listed and one signed out, from
/// the CLI and from the settings pane; an idle device is told why it was signed out.
@Suite struct DevicesEndToEndTests {
    /// A second device of `person`: a home of its own, signed in with `termchat login`.
    static func secondDevice(of person: TestPerson, on server: TestServer) async throws -> [String: String] {
        let environment = TestPerson.home()
        let result = try await ChildProcess.run(
            "termchat", ["login", "--server", server.baseURL, "--username", person.username],
            environment: environment.merging(["TERMCHAT_PASSWORD": "password1"]) { $1 }
        )
        guard result.status == 0 else { throw TestFailure("login failed: \(result.output)") }
        return environment
    }

    static func sessionId(_ environment: [String: String]) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: environment["XDG_CONFIG_HOME"]! + "/termchat/credentials-default.json"))
        let credentials = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return try #require(credentials?["sessionId"] as? String).lowercased()
    }

    @Test func theCLIListsDevicesAndSignsOneOut() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let phone = try await Self.secondDevice(of: alice, on: server)
        let listed = try await ChildProcess.run("termchat", ["devices"], environment: alice.environment)
        #expect(listed.status == 0, "\(listed.output)")
        let lines = listed.output.split(separator: "\n")
        #expect(lines.count == 2, "\(listed.output)")
        #expect(lines.first?.hasSuffix(", this device") == true, "\(listed.output)")
        let phoneId = String(try Self.sessionId(phone).prefix(8))
        #expect(lines.last?.contains("(\(phoneId)), last used today") == true, "\(listed.output)")
        // Both are "termchat on <host>": the name alone is ambiguous, and said so.
        let name = String(lines.last!.prefix { $0 != "(" }.dropLast())
        let ambiguous = try await ChildProcess.run("termchat", ["devices", "--sign-out", name], environment: alice.environment)
        #expect(ambiguous.status != 0)
        #expect(ambiguous.output.contains("2 devices are called"), "\(ambiguous.output)")
        let mine = try await ChildProcess.run("termchat", ["devices", "--sign-out", String(try Self.sessionId(alice.environment).prefix(8))], environment: alice.environment)
        #expect(mine.output.contains("That is this device"), "\(mine.output)")

        let ended = try await ChildProcess.run("termchat", ["devices", "--sign-out", phoneId], environment: alice.environment)
        #expect(ended.status == 0, "\(ended.output)")
        #expect(ended.output.contains("Signed out termchat on"), "\(ended.output)")
        let after = try await ChildProcess.run("termchat", ["devices"], environment: alice.environment)
        #expect(after.output.split(separator: "\n").count == 1, "\(after.output)")
        let refused = try await ChildProcess.run("termchat", ["sync"], environment: phone)
        #expect(refused.status != 0, "\(refused.output)")
    }

    @Test func theSettingsPaneListsDevicesAndSignsOneOut() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let phone = try await Self.secondDevice(of: alice, on: server)
        let phoneId = String(try Self.sessionId(phone).prefix(8))
        let a = try await TmuxSession.client(for: alice)
        try await a.waitFor("● online")
        try await a.press("s")
        try await a.waitFor("Devices")
        for _ in 0..<4 { try await a.press("j") }
        try await a.press("Enter")
        try await a.waitFor("2 signed in")
        try await a.waitFor("\(phoneId) · last used today · Enter: sign out")
        // This device first, then the phone: asked before anything ends.
        try await a.press("j")
        try await a.press("j")
        try await a.press("Enter")
        try await a.waitFor("(\(phoneId))? It must sign in again.")
        try await a.press("n")
        try await a.waitFor("Cancelled; nothing was changed.")
        try await a.press("Enter")
        try await a.waitFor("(\(phoneId))? It must sign in again.")
        try await a.press("y")
        try await a.waitFor("Signed out termchat on")
        try await a.waitFor("1 signed in")
        try await a.waitUntil("the list no longer holds the phone") { !$0.contains("\(phoneId) ·") }
        await a.kill()
        let refused = try await ChildProcess.run("termchat", ["sync"], environment: phone)
        #expect(refused.status != 0, "\(refused.output)")
    }

    /// A device unused for 90 days (the server's clock moved on) starts on the sign-in
    /// screen with the server's reason.
    @Test func anIdleDeviceIsToldWhyItWasSignedOut() async throws {
        let clock = TestClock()
        let server = try await TestServer.start(configure: { $0.now = clock.now })
        let alice = try await TestPerson.register("Alice", on: server)
        clock.advance(days: 91)
        let sync = try await ChildProcess.run("termchat", ["sync"], environment: alice.environment)
        #expect(sync.output.contains("this device was idle for 90 days"), "\(sync.output)")
        let a = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice.environment, columns: 120, rows: 32)
        try await a.waitFor("this device was idle for 90 days")
        await a.kill()
    }
}
