import Foundation
import Synchronization

/// A real program whose standard output is read line by line as it comes (`termchat watch`,
/// `termchat rpc`), with lines written to its standard input.
public final class LineProcess: Sendable {
    public let process: Process
    private let input: FileHandle
    private let received = Mutex<[String]>([])

    public init(_ product: String, _ arguments: [String], environment: [String: String]) throws {
        let process = Process()
        process.executableURL = try BuiltProduct.url(product)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = input
        self.process = process
        self.input = input.fileHandleForWriting
        try process.run()
        let reading = output.fileHandleForReading
        let thread = Thread { [self] in
            var pending = Data()
            while case let chunk = reading.availableData, !chunk.isEmpty {
                pending.append(chunk)
                while let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[pending.startIndex..<end], as: UTF8.self)
                    pending = Data(pending[pending.index(after: end)...])
                    self.received.withLock { $0.append(line) }
                }
            }
        }
        thread.start()
    }

    /// Every line so far.
    public var lines: [String] { received.withLock { $0 } }

    /// Waits for a line satisfying `condition` among those from `index` on; answers it and its index.
    @discardableResult
    public func waitForLine(_ what: String, from index: Int = 0, timeout: Duration = .seconds(30),
                            _ condition: (String) -> Bool) async throws -> (line: String, index: Int) {
        var found: (String, Int)?
        try await eventually(what, timeout: timeout) {
            let lines = self.lines
            found = lines.indices.dropFirst(index).first { condition(lines[$0]) }.map { (lines[$0], $0) }
            return found != nil
        }
        return found!
    }

    public func send(_ line: String) throws {
        try input.write(contentsOf: Data((line + "\n").utf8))
    }

    public func closeInput() throws { try input.close() }

    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    /// Parses the JSON object of each line that holds one.
    public static func objects(_ lines: [String]) -> [[String: Any]] {
        lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}
