import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The demo's server: `termchat-server` from beside this executable (or on `PATH`), as a child
/// on a free loopback port. Quiet (the screen belongs to the client), fast password hashing, and
/// no rate limits: the demo world seeds long chats through the API at once, and nobody else uses
/// this server. A child rather than a server linked in keeps the server's code out of every
/// `termchat` process (about a third of the binary).
final class DemoServer: Sendable {
    let url: URL
    private let process: Process
    /// The child's standard input: it shuts down when this ends, when we close it or die.
    private let input: Pipe
    private let exit: AsyncStream<Int32>

    private init(url: URL, process: Process, input: Pipe, exit: AsyncStream<Int32>) {
        self.url = url
        self.process = process
        self.input = input
        self.exit = exit
    }

    static func start(dataDirectory: String) async throws -> DemoServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = ["--data-dir", dataDirectory, "--host", "127.0.0.1", "--port", "0", "--bcrypt-cost", "4",
                             "--log-level", "critical", "--rate-limit", "off", "--exit-when-input-closes"]
        // The demo keeps its chats in its own folder, whatever database this shell names.
        var environment = ProcessInfo.processInfo.environment
        environment["TERMCHAT_DATABASE_URL"] = nil
        process.environment = environment
        let input = Pipe(), output = Pipe()
        // Not inherited by what this process starts later (an editor, a hook): the server must
        // see the end of its input when termchat ends, not when the last of those does.
        _ = fcntl(input.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        let (exit, continuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { process in
            continuation.yield(process.terminationStatus)
            continuation.finish()
        }
        try process.run()
        try? output.fileHandleForWriting.close()
        let line = await firstLine(of: output.fileHandleForReading)
        guard let address = line.split(separator: " ").last.map(String.init), line.hasPrefix("termchat-server listening on "),
              let url = URL(string: address) else {
            process.terminate()
            let said = line.trimmingCharacters(in: .whitespacesAndNewlines)
            throw CLIError("The demo's server did not start\(said.isEmpty ? "." : ": \(said)")")
        }
        return DemoServer(url: url, process: process, input: input, exit: exit)
    }

    /// Ends the server gracefully (the end of its input), and waits for it; a server that has
    /// not ended within five seconds is killed.
    func stop() async {
        try? input.fileHandleForWriting.close()
        let process = self.process
        let deadline = Task {
            try await Task.sleep(for: .seconds(5))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        for await _ in exit {}
        deadline.cancel()
    }

    /// `termchat-server` beside this executable (a build folder, an install prefix), else on `PATH`.
    private static func executable() throws -> String {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let beside = (own as NSString).deletingLastPathComponent + "/termchat-server"
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        if let found = path.split(separator: ":").map({ "\($0)/termchat-server" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            return found
        }
        throw CLIError("The demo runs termchat-server, which is neither beside termchat (\(beside)) nor on PATH. "
                       + "Build it: swift build --product termchat-server")
    }

    /// The child's first line ("termchat-server listening on …"), or what it said before it
    /// ended. Read on a thread of its own (a blocking read); later output is drained there too,
    /// so a server that writes never blocks on a full pipe.
    private static func firstLine(of handle: FileHandle) async -> String {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                var text = "", answered = false
                while true {
                    let data = handle.availableData
                    if !answered {
                        text += String(decoding: data, as: UTF8.self)
                        if data.isEmpty || text.contains("\n") {
                            continuation.resume(returning: String(text.prefix { $0 != "\n" }))
                            answered = true
                        }
                    }
                    if data.isEmpty { return }
                }
            }
            thread.start()
        }
    }
}
