import ChatTestSupport
import Foundation
import Testing

/// `termchat demo` runs `termchat-server` as its child: the server ends with the demo, whether
/// the person quits or the client is killed (`kill -9` leaves no server behind on its port).
@Suite struct DemoServerLifetimeTests {
    @Test(arguments: [false, true])
    func theDemosServerEndsWithTheDemo(killed: Bool) async throws {
        let home = TemporaryDirectory.make()
        let environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
        let session = try await TmuxSession([try BuiltProduct.url("termchat").path, "demo", "--fresh"], environment: environment)
        try await stopping({ await session.kill() }) {
            try await session.waitFor("● online")
            let client = try await session.panePID()
            let servers = Self.children(of: client, named: "termchat-server")
            #expect(servers.count == 1, "one termchat-server child of termchat (\(client)): \(servers)")
            let server = try #require(servers.first)
            if killed {
                kill(client, SIGKILL)
            } else {
                try await session.press("q")
            }
            try await eventually("the demo's server \(server) has ended") { !Self.isRunning(server) }
        }
    }

    /// The demo's server keeps its chats in the demo's folder even when the shell names a
    /// PostgreSQL database for servers (`TERMCHAT_DATABASE_URL`, here one nobody serves).
    @Test func theDemoKeepsToItsOwnFolderWhateverDatabaseTheShellNames() async throws {
        let home = TemporaryDirectory.make()
        let environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
                           "TERMCHAT_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nothing"]
        let session = try await TmuxSession([try BuiltProduct.url("termchat").path, "demo", "--fresh"], environment: environment)
        try await stopping({ await session.kill() }) {
            try await session.waitFor("● online")
            #expect(FileManager.default.fileExists(atPath: home + "/data/termchat/demo/server/chat.sqlite"))
        }
    }

    /// Processes whose parent is `parent`, by their name in /proc.
    static func children(of parent: Int32, named name: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return false }
            let command = stat[stat.index(after: open)..<close]
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return command == name && fields.count > 1 && Int32(fields[1]) == parent
        }
    }

    /// Alive, not a zombie waiting for its parent.
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].hasPrefix(" Z")
    }
}
