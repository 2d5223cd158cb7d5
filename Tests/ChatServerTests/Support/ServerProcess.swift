import ChatTestSupport
import Foundation

/// The real `termchat-server` binary as a child process, for tests that kill it.
final class ServerProcess {
    let process = Process()
    let port: Int
    private let output = Pipe()

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the server on a free port and waits for its "listening on" line.
    init(dataDirectory: String) throws {
        process.executableURL = try BuiltProduct.url("termchat-server")
        process.arguments = ["--port", "0", "--data-dir", dataDirectory, "--bcrypt-cost", "4", "--log-level", "warning"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffer = ""
        while true {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw TestFailure("server exited before listening: \(buffer)") }
            buffer += String(decoding: chunk, as: UTF8.self)
            if let line = buffer.split(separator: "\n").first(where: { $0.contains("listening on http://") }),
               let port = line.split(separator: ":").last.flatMap({ Int($0) }) {
                self.port = port
                return
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
