import ChatTestSupport
import Foundation
import Testing

/// Every flag of the server binary refuses a bad value with a sentence and a non-zero exit,
/// before anything is opened or listened on.
@Suite struct ServerCommandLineTests {
    @Test(arguments: [
        (["--metrics-port", "70000"], "--metrics-port must be between 0 and 65535"),
        (["--log-format", "xml"], "--log-format is text or json"),
        (["--port", "70000"], "--port must be between 0 and 65535"),
        (["--database", "sqlite:///tmp/x"], "not a postgresql://"),
        (["--database", "postgresql://user@host"], "names no database"),
        (["migrate", "--database", "postgresql://host/db"], "names no user"),
        (["copy", "--from", "/tmp", "--to", "mysql://u@h/db"], "--to: not a postgresql://"),
        (["copy", "--to", "postgresql://u@h/db"], "Missing expected argument '--from"),
        (["copy", "--from", "/nonexistent-termchat", "--to", "postgresql://u@127.0.0.1:1/db?sslmode=disable"], "no TermChat database at /nonexistent-termchat/chat.sqlite"),
    ])
    func aBadValueIsRefusedWithAReason(_ arguments: [String], _ expected: String) async throws {
        let result = try await ChildProcess.run("termchat-server", arguments)
        #expect(result.status != 0)
        #expect(result.output.contains(expected), "\(result.output)")
    }
}
