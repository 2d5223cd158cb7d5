import Foundation

/// Executables built beside the test bundle (`swift build --build-tests` builds them all).
public enum BuiltProduct {
    public static func url(_ name: String) throws -> URL {
        let testBundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBundle.deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw TestFailure("\(name) is not built beside \(testBundle.path); run `swift build --build-tests` first")
    }
}

/// A child process whose output is collected and whose exit can be awaited.
public final class ChildProcess: Sendable {
    public let process: Process
    private let output: Pipe
    private let exit: AsyncStream<Int32>

    public var pid: Int32 { process.processIdentifier }

    /// Starts `product` with `arguments`; `environment` is added to this process's environment.
    /// `captureOutput: false` sends output to /dev/null: needed for programs that leave a
    /// daemon behind (tmux), which would hold the pipe open forever.
    public init(_ product: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil,
                captureOutput: Bool = true) throws {
        let process = Process()
        process.executableURL = product.hasPrefix("/") ? URL(fileURLWithPath: product) : try BuiltProduct.url(product)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = captureOutput ? output : FileHandle.nullDevice
        process.standardError = captureOutput ? output : FileHandle.nullDevice
        if !captureOutput { try? output.fileHandleForWriting.close() }
        if let input {
            let pipe = Pipe()
            process.standardInput = pipe
            pipe.fileHandleForWriting.write(Data(input.utf8))
            try pipe.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let (exit, continuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { process in
            continuation.yield(process.terminationStatus)
            continuation.finish()
        }
        self.process = process
        self.output = output
        self.exit = exit
        try process.run()
    }

    /// Waits for the exit and answers the status and everything printed.
    public func finish() async -> (status: Int32, output: String) {
        // Read to the end first (a child blocked on a full pipe never exits), and off the
        // cooperative pool: the child may be waiting for a server in this process.
        let handle = output.fileHandleForReading
        let data = (try? await offThePool { handle.readDataToEndOfFile() }) ?? Data()
        var status: Int32 = -1
        for await code in exit { status = code }
        return (status, String(decoding: data, as: UTF8.self))
    }

    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Runs to completion and answers the status and output.
    public static func run(_ product: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil,
                           captureOutput: Bool = true) async throws -> (status: Int32, output: String) {
        try await ChildProcess(product, arguments, environment: environment, input: input, captureOutput: captureOutput).finish()
    }
}
