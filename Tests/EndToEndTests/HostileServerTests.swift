import ChatTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real `termchat` against a server that answers with a gzip bomb: its memory stays
/// bounded, it refuses with a sentence, and it shows the cache saying so.
@Suite(.serialized) struct HostileServerTests {
    /// A loopback HTTP server that answers every request with the same bytes, on a thread of
    /// its own, until stopped.
    final class CannedServer: Sendable {
        let port: Int
        private let listener: Int32

        init(answer: Data) throws {
            let (listener, port) = listenLoopback(backlog: 16)
            self.listener = listener
            self.port = port
            // Stopping closes the listener, which ends the loop.
            let thread = Thread {
                while true {
                    let client = accept(listener, nil, nil)
                    if client < 0 {
                        if errno == EINTR { continue }
                        return
                    }
                    var buffer = [UInt8](repeating: 0, count: 65536)
                    var request: [UInt8] = []
                    while !request.suffix(4).elementsEqual([13, 10, 13, 10]) {
                        let count = recv(client, &buffer, buffer.count, 0)
                        if count <= 0 { break }
                        request += buffer[0..<count]
                    }
                    answer.withUnsafeBytes { raw in
                        var sent = 0
                        while sent < raw.count {
                            let count = send(client, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                            if count <= 0 { break }
                            sent += count
                        }
                    }
                    close(client)
                }
            }
            thread.start()
        }

        func stop() {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
        }
    }

    /// 1 GB of `[` compressed (about 1 MB), made by Python's gzip in chunks.
    static func gzipBomb() throws -> Data {
        let file = TemporaryDirectory.make() + "/bomb.gz"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import gzip
            chunk = b"[" * (1 << 20)
            with gzip.open("\(file)", "wb", compresslevel=9) as out:
                for _ in range(1024):
                    out.write(chunk)
            """]
        try process.run()
        process.waitUntilExit()
        return try Data(contentsOf: URL(fileURLWithPath: file))
    }

    @Test func aGzipBombIsRefusedWithASentenceAndBoundedMemory() async throws {
        // (An answer over 16 MB uncompressed is cut off the same way, by its size.)
        let bomb = try Self.gzipBomb()
        var answer = Data("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: \(bomb.count)\r\nConnection: close\r\n\r\n".utf8)
        answer.append(bomb)
        let (alice, hostile) = try await accountPointedAt(answer)
        defer { hostile.stop() }
        let (output, peak) = try await peakOfChats(alice)
        print("gzip bomb: termchat chats peak RSS \(peak / 1024) MB")
        #expect(output.contains("compressed its answer although asked not to, so it was refused"), "\(output)")
        #expect(output.contains("Shown from the local cache"), "\(output)")
        #expect(output.contains("exit 1"), "\(output)")
        #expect(output.contains("  Bob"), "\(output)")  // the cache is still shown
        #expect(peak > 0 && peak < 200 * 1024, "peak RSS \(peak) KB")
    }

    @Test func anAnswerOverTheLimitIsRefusedBySize() async throws {
        var answer = Data("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(20 << 20)\r\nConnection: close\r\n\r\n".utf8)
        answer.append(Data(repeating: UInt8(ascii: " "), count: 20 << 20))
        let (alice, hostile) = try await accountPointedAt(answer)
        defer { hostile.stop() }
        let (output, peak) = try await peakOfChats(alice)
        print("20 MB answer: termchat chats peak RSS \(peak / 1024) MB")
        #expect(output.contains("larger than 16 MB, so it was refused"), "\(output)")
        #expect(output.contains("exit 1"), "\(output)")
    }

    /// A signed-in account whose cache holds a chat with Bob, pointed at a server that answers
    /// every request with `answer`.
    func accountPointedAt(_ answer: Data) async throws -> (TestPerson, CannedServer) {
        // An account whose cache holds a chat, then pointed at the hostile server.
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        #expect(try await ChildProcess.run("termchat", ["send", bob.username, "hello"], environment: alice.environment).status == 0)
        await server.stop()

        let hostile = try CannedServer(answer: answer)
        try alice.repoint(from: server.port, to: hostile.port)
        return (alice, hostile)
    }

    /// `termchat chats` run by the account: its output, exit line and peak RSS (KB).
    func peakOfChats(_ alice: TestPerson) async throws -> (String, Int) {
        // Peak memory of the real binary, as the kernel counts it (KB).
        let termchat = try BuiltProduct.url("termchat").path
        let measured = try await ChildProcess.run("/usr/bin/env", ["python3", "-c", """
            import resource, subprocess, sys
            result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
            print(result.stdout + result.stderr)
            print("exit", result.returncode)
            print("maxrss_kb", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            """, termchat, "chats"], environment: alice.environment)
        let output = measured.output
        let peak = output.split(separator: "\n").first { $0.hasPrefix("maxrss_kb") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? -1
        return (output, peak)
    }
}
