import Foundation
import Synchronization

/// Someone using the real `termchat` binary: a home of their own (config, data) and an
/// account registered through `termchat register`.
public struct TestPerson: Sendable {
    public let username: String
    public let name: String
    public let environment: [String: String]

    /// A fresh home: `HOME`, `XDG_CONFIG_HOME`, `XDG_DATA_HOME`, a UTF-8 locale and `TERM`.
    public static func home(extra: [String: String] = [:]) -> [String: String] {
        let home = TemporaryDirectory.make()
        return [
            "HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data",
            "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        ].merging(extra) { $1 }
    }

    /// Registers `name` (made unique) on `server`, signed in in a home of its own.
    public static func register(_ name: String, on server: TestServer, extra: [String: String] = [:]) async throws -> TestPerson {
        let environment = home(extra: extra)
        let username = UniqueName.make(name.lowercased().filter(\.isLetter))
        let result = try await ChildProcess.run("termchat", ["register", "--server", server.baseURL, "--name", name, "--username", username],
                                                environment: environment.merging(["TERMCHAT_PASSWORD": "password1"]) { $1 })
        guard result.status == 0 else { throw TestFailure("register failed: \(result.output)") }
        return TestPerson(username: username, name: name, environment: environment)
    }
}

/// Usernames for tests, unique within the test process: a random start (so that runs on a
/// shared server differ) and a counter (so that a test registering hundreds never draws the
/// same one twice, as independent random suffixes did about one run in eight).
public enum UniqueName {
    private static let next = Mutex(Int.random(in: 10_000...50_000))

    public static func make(_ base: String) -> String {
        base + String(next.withLock { value in
            defer { value += 1 }
            return value
        })
    }
}

extension TmuxSession {
    /// The real `termchat` for `person`, signed in and online.
    /// (`online`: what says so on its screen; screen-reader mode says it in words.)
    public static func client(for person: TestPerson, columns: Int = 120, rows: Int = 32, online: String = "● online") async throws -> TmuxSession {
        let session = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: person.environment, columns: columns, rows: rows)
        try await session.waitFor(online)
        return session
    }
}
