import ChatTestSupport
import Foundation
import Testing

/// Hooks, with the real binaries: a hook receives hostile message text as data (an
/// argument and JSON on its standard input) and nothing in it runs.
@Suite struct HookEndToEndTests {
    @Test func aHookGetsHostileTextAsDataAndNothingRuns() async throws {
        let server = try await TestServer.start()
        let folder = TemporaryDirectory.make()
        let script = folder + "/hook.sh"
        // The hook writes its standard input, then its first argument (last: the test waits
        // for that file) where the test reads them.
        try """
            #!/bin/sh
            cat > "\(folder)/input.json"
            printf '%s' "$1" > "\(folder)/argument.tmp" && mv "\(folder)/argument.tmp" "\(folder)/argument"
            """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        let configFolder = alice.environment["XDG_CONFIG_HOME"]! + "/termchat"
        try FileManager.default.createDirectory(atPath: configFolder, withIntermediateDirectories: true)
        try """
            [hooks]
            on_message = ["\(script)", "{author}: {text}"]
            """.write(toFile: configFolder + "/config.toml", atomically: true, encoding: .utf8)
        let a = try await TmuxSession.client(for: alice)
        try await stopping({ await a.kill(); await server.stop() }) {
            let hostile = "$(touch \(folder)/pwned1) `touch \(folder)/pwned2`; touch \(folder)/pwned3"
            let sent = try await ChildProcess.run("termchat", ["send", alice.username, hostile], environment: bob.environment)
            #expect(sent.status == 0, "\(sent.output)")
            try await a.waitFor("Bob: $(touch")
            #expect(try await eventuallyRead(folder + "/argument") == "Bob: " + hostile)
            let input = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/input.json"))) as? [String: String]
            #expect(input?["text"] == hostile && input?["event"] == "message" && input?["username"] == bob.username)
            for name in ["pwned1", "pwned2", "pwned3"] {
                #expect(!FileManager.default.fileExists(atPath: folder + "/" + name), "\(name) was created: the text ran")
            }
        }
    }
}
