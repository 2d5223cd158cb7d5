import ChatAPI
import ChatApp
import ChatClient
import ChatSync
import RealProcesses
import Foundation

/// The real `termchat` binary under tmux: its memory on a big cache, and its CPU while idle
/// with an open socket.
enum RealClientBenchmarks {
    static func environment(home: String) -> [String: String] {
        ["HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data",
         "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
    }

    /// Where the cache of `username` on `server` lives in `home`.
    static func cachePath(home: String, server: URL, username: String) -> String {
        AppPaths(environment: environment(home: home)).cacheFile(server: server, username: username)
    }

    static func saveCredentials(_ credentials: Credentials, home: String) throws {
        try CredentialStore(paths: AppPaths(environment: environment(home: home))).save(credentials, profile: "default")
    }

    /// RSS of `termchat` showing the chat list and the open biggest chat. The server address
    /// in the credentials is closed, so the client works from its cache (retrying meanwhile)
    /// and nothing is reconciled away.
    static func residentMemory(home: String, chats: Int) async throws -> (rss: Int, peak: Int, anonymous: Int) {
        let session = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: environment(home: home), columns: 200, rows: 60)
        defer { Task { await session.kill() } }
        try await session.waitFor("Chats (\(chats))", timeout: .seconds(120))
        try await session.press("Enter")
        try await session.waitFor("message number", timeout: .seconds(60))
        let pid = try await session.panePID()
        let result = (ProcessStats.residentBytes(pid: pid), ProcessStats.residentBytes(pid: pid, field: "VmHWM:"),
                      ProcessStats.residentBytes(pid: pid, field: "RssAnon:"))
        await session.kill()
        return result
    }

    /// From the shell's exec of `termchat` to its first frame listing `chats` chats, on the
    /// cache in `home`: `date +%s%N` just before the exec, the frame's time from the trace.
    static func startToFirstFrame(home: String, chats: Int, runs: Int, log: (String) -> Void) async throws -> [Double] {
        var samples: [Double] = []
        for run in 0..<runs {
            var trace = TraceFile(path: home + "/start-\(run).trace")
            let started = home + "/start-\(run).t0"
            var environment = environment(home: home)
            environment["TERMCHAT_TRACE"] = trace.path
            let command = "date +%s%N > '\(started)'; exec '\(try BuiltProduct.url("termchat").path)'"
            let session = try await TmuxSession(["/bin/sh", "-c", command], environment: environment, columns: 200, rows: 60)
            let frame: Int64
            do {
                frame = try trace.wait(timeout: 120, every: 0.01) { lines in
                    lines.first { $0.kind == "frame" && Int($0.detail.first ?? "") == chats }?.time
                }
            } catch {
                let screen = (try? await session.screen()) ?? "(no screen)"
                let tail = trace.lines().suffix(5).map { "\($0.time) \($0.kind) \($0.detail.joined(separator: " "))" }.joined(separator: "\n")
                await session.kill()
                throw BenchError("no frame listing \(chats) chats within 120 s; the trace ends with:\n\(tail)\nthe screen:\n\(screen)")
            }
            await session.kill()
            guard let text = try? String(contentsOfFile: started, encoding: .utf8), let t0 = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw BenchError("no start time in \(started)")
            }
            samples.append(Double(frame - t0) / 1e6)
        }
        log("real: start to first frame \(samples.map { String(format: "%.0f", $0) }) ms")
        return samples
    }

    /// New accounts on `server`, signed in as a real client would be.
    static func register(_ names: [String], on server: ServerUnderTest) async throws -> [Credentials] {
        let api = APIClient(baseURL: server.baseURL)
        var accounts: [Credentials] = []
        for name in names {
            let device = DeviceInfo(id: UUID(), name: "bench", model: "bench", token: "", transport: "none")
            let info = try await api.register(RegisterRequest(name: name, username: name, password: "bench-password", deviceInfo: device))
            guard let session = info.session(for: device.id), let token = session.accessToken else { throw BenchError("no session") }
            accounts.append(Credentials(server: server.baseURL, userId: info.info.id, username: name, name: name, token: token,
                                        sessionId: session.id, deviceId: device.id))
        }
        return accounts
    }

    /// CPU used by a connected, idle `termchat` over `seconds`, in percent of one core.
    static func idleCPU(server: ServerUnderTest, seconds: Double) async throws -> (percent: Double, rss: Int, anonymous: Int) {
        let home = NSTemporaryDirectory() + "termchat-bench-idle-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: home) }
        let accounts = try await register(["idlealice", "idlebobby"], on: server)
        // A chat with a little history, so the idle client has something on screen.
        let chat = try await accounts[1].api.createChat(CreateChatRequest(participants: [accounts[0].userId]))
        for index in 0..<20 {
            _ = try await accounts[1].api.postMessage(chat.id, PostMessageRequest(localId: "\(accounts[1].userId)+\(UUID().uuidString)", text: "hello \(index)"))
        }
        try saveCredentials(accounts[0], home: home)
        let session = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: environment(home: home))
        defer { Task { await session.kill() } }
        try await session.waitFor("● online", timeout: .seconds(60))
        try await session.waitFor("hello 19", timeout: .seconds(30))  // the chat listed, with its preview
        try await session.press("Enter")
        try await session.waitFor("hello 18", timeout: .seconds(30))  // the chat open
        let pid = try await session.panePID()
        try await Task.sleep(for: .seconds(2))  // let the open-chat work (read marks) settle first
        let before = ProcessStats.cpuSeconds(pid: pid)
        try await Task.sleep(for: .seconds(seconds))
        let used = ProcessStats.cpuSeconds(pid: pid) - before
        let screen = try await session.screen()
        guard screen.contains("● online") else { throw BenchError("the client went offline during the idle minute:\n\(screen)") }
        let rss = ProcessStats.residentBytes(pid: pid)
        let anonymous = ProcessStats.residentBytes(pid: pid, field: "RssAnon:")
        await session.kill()
        return (used / seconds * 100, rss, anonymous)
    }
}
