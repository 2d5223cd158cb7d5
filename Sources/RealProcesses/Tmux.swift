import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program running in a detached tmux session on a private tmux server: keys go in with
/// send-keys, the screen comes out with capture-pane.
public final class TmuxSession: Sendable {
    public let socket: String
    public let name: String

    /// Starts `command` (argv) in a `columns`×`rows` session with `environment` set.
    public init(_ command: [String], environment: [String: String], columns: Int = 120, rows: Int = 32) async throws {
        socket = "termchat-e2e-\(UUID().uuidString.prefix(8))"
        name = "main"
        let env = environment.map { "\($0.key)=\($0.value)" }.sorted()
        let shellCommand = (["env"] + env + command).map(Self.quote).joined(separator: " ")
        // Foundation's Process notices a child's exit through a descriptor the child inherits;
        // the tmux server this starts keeps it open, so spawn and reap it directly instead.
        let status = Self.spawnAndWait(["/usr/bin/tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", name,
                                        "-x", "\(columns)", "-y", "\(rows)", shellCommand])
        guard status == 0 else { throw TestFailure("tmux did not start (status \(status))") }
    }

    static func spawnAndWait(_ arguments: [String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in 0...2 {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The test runner blocks some signals; tmux and its panes must start with none blocked.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        guard posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status >> 8) & 0xFF
    }

    /// Runs a tmux client command and answers what it printed. posix_spawn, not Foundation's
    /// Process: a test presses keys thousands of times, and Process.run crashed once in that
    /// many calls (inside Foundation). The server is already running, so nothing holds the
    /// pipe open after the client exits.
    func tmux(_ arguments: [String]) async throws -> String {
        let argv = ["/usr/bin/tmux", "-L", socket] + arguments
        return try await offThePool {
            var pipeFDs: [Int32] = [0, 0]
            guard pipe(&pipeFDs) == 0 else { throw TestFailure("pipe(): errno \(errno)") }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
            posix_spawn_file_actions_addclose(&actions, pipeFDs[1])
            var cArguments = argv.map { strdup($0) } + [nil]
            defer { cArguments.forEach { free($0) } }
            var pid: pid_t = 0
            let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
            close(pipeFDs[1])
            defer { close(pipeFDs[0]) }
            guard spawned == 0 else { throw TestFailure("tmux did not start: \(spawned)") }
            var output: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(pipeFDs[0], &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                output += buffer[0..<count]
            }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            return String(decoding: output, as: UTF8.self)
        }
    }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Types text literally.
    public func type(_ text: String) async throws {
        _ = try await tmux(["send-keys", "-t", name, "-l", text])
    }

    /// Types a short `line` into the compose box and sends it with Enter, then waits until the
    /// box no longer holds it (the client took the Enter). Text typed at once after an Enter
    /// can arrive in the same read, faster than a person types, and is then taken as a paste
    /// by mistake: a script that sends several lines waits for each.
    public func sendLine(_ line: String) async throws {
        try await type(line)
        try await waitFor("› " + line)
        try await press("Enter")
        try await waitUntil("the compose box took \"\(line)\"") { !$0.contains("› " + line) }
    }

    /// Presses named keys: Enter, Escape, Tab, C-u, Up…
    public func press(_ keys: String...) async throws {
        _ = try await tmux(["send-keys", "-t", name] + keys)
    }

    /// Pastes `text` as tmux's `paste-buffer` does: line breaks as carriage returns, and marked as
    /// a paste (ESC[200~ … ESC[201~) only when `bracketed` and the program asked for it.
    public func paste(_ text: String, bracketed: Bool) async throws {
        _ = try await tmux(["set-buffer", "-b", "e2e", "--", text])
        _ = try await tmux(["paste-buffer", "-b", "e2e", "-t", name] + (bracketed ? ["-p"] : []))
    }

    /// Presses one named key `times` times at once (`send-keys -N`), as a held key does.
    public func press(_ key: String, times: Int) async throws {
        _ = try await tmux(["send-keys", "-t", name, "-N", String(times), key])
    }

    /// The screen with its colours and attributes as escapes (`capture-pane -e`).
    public func capture(escapes: Bool) async throws -> String {
        try await tmux(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", name])
    }

    public func screen() async throws -> String {
        try await tmux(["capture-pane", "-p", "-t", name])
    }

    /// Waits until the screen shows `text`. The terminal gives no event for "drawn", so this
    /// re-reads the screen every 50 ms; the timeout only turns a hang into a failure.
    @discardableResult
    public func waitFor(_ text: String, timeout: Duration = .seconds(20)) async throws -> String {
        try await waitUntil("the screen shows \"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    @discardableResult
    public func waitUntil(_ what: String, timeout: Duration = .seconds(20), _ condition: (String) -> Bool) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var last = ""
        while clock.now < deadline {
            last = try await screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("timed out waiting until \(what); the screen was:\n\(last)")
    }

    /// Counts the bells the program rings from now on, with tmux's own alert hook: each bell
    /// adds a line to the returned file.
    public func countBells() async throws -> String {
        let file = TemporaryDirectory.make() + "/bells"
        FileManager.default.createFile(atPath: file, contents: nil)
        _ = try await tmux(["set-option", "-g", "bell-action", "any"])
        _ = try await tmux(["set-option", "-g", "monitor-bell", "on"])
        _ = try await tmux(["set-hook", "-g", "alert-bell", "run-shell \"echo bell >> \(file)\""])
        return file
    }

    /// Lets the program set tmux's paste buffer with OSC 52, as terminals let it set the clipboard.
    public func acceptClipboard() async throws {
        _ = try await tmux(["set-option", "-g", "set-clipboard", "on"])
    }

    /// What the program last put on the clipboard (tmux's newest paste buffer).
    public func clipboard() async throws -> String {
        try await tmux(["show-buffer"])
    }

    /// The pane's title, as the program set it (OSC 2).
    public func title() async throws -> String {
        try await tmux(["display-message", "-p", "-t", name, "#{pane_title}"]).trimmingCharacters(in: .newlines)
    }

    /// The mouse modes the program asked tmux for: "1 1" when it wants clicks (1000) in SGR
    /// form (1006), "0 0" when it wants none.
    public func mouseModes() async throws -> String {
        try await tmux(["display-message", "-p", "-t", name, "#{mouse_standard_flag} #{mouse_sgr_flag}"]).trimmingCharacters(in: .newlines)
    }

    /// Where the terminal cursor is (0-based column and row), shown or not.
    public func cursor() async throws -> (column: Int, row: Int) {
        let output = try await tmux(["display-message", "-p", "-t", name, "#{cursor_x},#{cursor_y}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = output.split(separator: ",").compactMap { Int($0) }
        guard parts.count == 2 else { throw TestFailure("no cursor position in \(output)") }
        return (parts[0], parts[1])
    }

    /// The process running in the pane (the command itself: `env` execs it).
    public func panePID() async throws -> Int32 {
        let output = try await tmux(["list-panes", "-t", name, "-F", "#{pane_pid}"])
        guard let pid = Int32(output.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw TestFailure("no pane pid in \(output)") }
        return pid
    }

    /// The columns this tmux gives `text` drawn at the start of a line: what the client's width
    /// probe should have found.
    public static func columns(of text: String) async throws -> Int {
        let session = try await TmuxSession(["/bin/sh", "-c", "printf '%s' \"$0\"; sleep 60", text], environment: [:], columns: 100, rows: 5)
        defer { Task { await session.kill() } }
        _ = try await session.waitUntil("the sample is printed") { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        let output = try await session.tmux(["display-message", "-p", "-t", session.name, "#{cursor_x}"])
        guard let column = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw TestFailure("no cursor column in \(output)") }
        return column
    }

    public func kill() async {
        _ = Self.spawnAndWait(["/usr/bin/tmux", "-L", socket, "kill-server"])
    }
}
