import RealProcesses
import Foundation

/// The real `termchat-server` binary (built next to this one), as a child process on a free
/// loopback port with its own data directory, so its memory and CPU are its own.
final class ServerUnderTest {
    let process = Process()
    let port: Int
    let directory: String

    /// `arguments` are added to the command line (`--database`, `--files-dir`).
    init(bcryptCost: Int = 4, arguments extra: [String] = []) throws {
        directory = NSTemporaryDirectory() + "termchat-bench-server-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let server = try BuiltProduct.url("termchat-server")
        // Limits off: the bench posts 1,000 messages a second on purpose.
        let arguments = ["--port", "0", "--data-dir", directory, "--bcrypt-cost", "\(bcryptCost)", "--log-level", "error", "--rate-limit", "off",
                         // The idle-session row signs each of 100 accounts in a hundred times and opens
                         // 10,000 streams (a deployment's per-account limits are lower on purpose).
                         "--max-sockets-per-account", "1000", "--max-sessions-per-user", "1000"] + extra
        // TERMCHAT_BENCH_SERVER_PROFILER="heaptrack -o /tmp/server" runs the server under a
        // profiler, to see where a figure goes (the figures of such a run are the profiler's).
        if let profiler = ProcessInfo.processInfo.environment["TERMCHAT_BENCH_SERVER_PROFILER"]?.split(separator: " ").map(String.init),
           let tool = profiler.first {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [tool] + profiler.dropFirst() + [server.path] + arguments
        } else {
            process.executableURL = server
            process.arguments = arguments
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = try firstLine(of: output, containing: "listening on", failure: "termchat-server exited before listening")
        guard let range = text.range(of: "listening on http://127.0.0.1:"),
              let port = Int(text[range.upperBound...].prefix { $0.isNumber })
        else { throw BenchError("unexpected first line from termchat-server: \(text)") }
        self.port = port
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
    var pid: Int32 { process.processIdentifier }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Resident memory and CPU time of a process, from /proc.
enum ProcessStats {
    static func residentBytes(pid: Int32 = getpid(), field: String = "VmRSS:") -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kb * 1024
    }

    /// User plus system CPU time, in seconds.
    static func cpuSeconds(pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return 0 }
        // Fields after the command name: state is field 3; utime and stime are 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
