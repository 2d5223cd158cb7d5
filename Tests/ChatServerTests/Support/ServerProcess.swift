import ChatTestSupport
import Foundation

/// The real `termchat-server` binary as a child process, for tests that kill it.
final class ServerProcess {
    let process = Process()
    let port: Int
    /// Where `/metrics` is served, when started with `--metrics-port`.
    private(set) var metricsPort: Int?
    private let output = Pipe()
    /// Standard error, when asked for (`capturingLogs`).
    let errors = Pipe()

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the server on a free port and waits for its "listening on" line. The wait reads
    /// a pipe, so it runs on a thread of its own: two of these blocking the cooperative pool's
    /// two threads froze every in-process server of the run (a PostgreSQL-backed binary can
    /// take long to start while other tests' transactions wait on those frozen servers).
    init(dataDirectory: String, arguments extra: [String] = [], capturingLogs: Bool = false) async throws {
        process.executableURL = try BuiltProduct.url("termchat-server")
        let level = extra.contains("--log-level") ? [] : ["--log-level", "warning"]
        // Tests that are not about rate limits post and sign in faster than people do.
        let limits = extra.contains("--rate-limit") ? [] : ["--rate-limit", "off"]
        process.arguments = ["--port", "0", "--data-dir", dataDirectory, "--bcrypt-cost", "4"] + level + limits + extra
        process.standardOutput = output
        process.standardError = capturingLogs ? errors : FileHandle.nullDevice
        try process.run()
        let wantsMetrics = extra.contains("--metrics-port")
        let output = self.output
        (port, metricsPort) = try await offThePool {
            var buffer = ""
            func portNumber(after marker: String) -> Int? {
                guard let line = buffer.split(separator: "\n").first(where: { $0.contains(marker) }) else { return nil }
                let address = line.split(separator: " ").last { $0.hasPrefix("http://") } ?? ""
                return address.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }
            }
            while true {
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { throw TestFailure("server exited before listening: \(buffer)") }
                buffer += String(decoding: chunk, as: UTF8.self)
                if let api = portNumber(after: "listening on http://"), !wantsMetrics || portNumber(after: "metrics on http://") != nil {
                    return (api, portNumber(after: "metrics on http://"))
                }
            }
        }
    }

    func kill(signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill(signal: SIGKILL) }
    }
}
