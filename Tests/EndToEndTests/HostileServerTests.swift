import ChatAPI
import ChatTestSupport
import Foundation
import Synchronization
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

        convenience init(answer: Data) throws {
            try self.init { _ in answer }
        }

        /// Answers each request with what `answer` gives for its request line.
        init(answer: @escaping @Sendable (String) -> Data) throws {
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
                    let requestLine = String(decoding: request.prefix { $0 != 13 }, as: UTF8.self)
                    answer(requestLine).withUnsafeBytes { raw in
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

    @Test func aChatListOverItsLimitIsRefusedBySize() async throws {
        var answer = Data("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(70 << 20)\r\nConnection: close\r\n\r\n".utf8)
        answer.append(Data(repeating: UInt8(ascii: " "), count: 70 << 20))
        let (alice, hostile) = try await accountPointedAt(answer)
        defer { hostile.stop() }
        let (output, peak) = try await peakOfChats(alice)
        print("70 MB chat list: termchat chats peak RSS \(peak / 1024) MB")
        #expect(output.contains("larger than 64 MB, so it was refused"), "\(output)")
        #expect(output.contains("exit 1"), "\(output)")
        #expect(peak < 200 * 1024, "peak RSS \(peak) KB")
    }

    /// A 50 MB page of messages is refused by its size, with a sentence, and sync says so.
    @Test func aFiftyMegabytePageIsRefusedBySize() async throws {
        let (alice, placeholder) = try await accountPointedAt(Data())
        placeholder.stop()
        let me = UserInfo(id: 1, name: "Alice", username: "alice")
        let other = UserInfo(id: 2, name: "Bob", username: "bob")
        let id = UUID()
        let now = Date()
        let chat = ChatInfo(id: id, title: nil, isPersonal: true, owner: other, allUsers: [me, other],
                            lastMessage: MessageInfo(id: 7, localId: "2+\(UUID().uuidString)", chatId: id, authorId: 2, text: "big", createdAt: now, updatedAt: now))
        let list = try JSONEncoder.chatAPI().encode([chat])
        let listAnswer = Data("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(list.count)\r\nConnection: close\r\n\r\n".utf8) + list
        // Chunked, so that only counting the bytes as they come can stop it.
        var page = Data("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".utf8)
        let chunk = Data(repeating: UInt8(ascii: " "), count: 1 << 20)
        for _ in 0..<50 { page += Data("100000\r\n".utf8) + chunk + Data("\r\n".utf8) }
        page += Data("0\r\n\r\n".utf8)
        let pageAnswer = page
        let server = try CannedServer { line in line.contains("/messages") ? pageAnswer : listAnswer }
        defer { server.stop() }
        try alice.repoint(from: placeholder.port, to: server.port)
        let (output, peak) = try await peakOf(alice, ["sync"])
        print("50 MB page: termchat sync peak RSS \(peak / 1024) MB")
        #expect(output.contains("larger than 16 MB, so it was refused"), "\(output)")
        #expect(!output.contains("exit 0"), "\(output)")
        #expect(peak < 200 * 1024, "peak RSS \(peak) KB")
    }

    /// A server with 100,000 chats (about 50 MB of chat list, which the
    /// protocol cannot page) is listed and synced in bounded time and memory; only the chats
    /// that have messages are asked for a page.
    @Test func aHundredThousandChatsAreListedAndSyncedInBoundedMemory() async throws {
        let me = UserInfo(id: 1, name: "Alice", username: "alice")
        let now = Date()
        let chats = (0..<100_000).map { index in
            let other = UserInfo(id: 2 + index, name: "Person \(index)", username: "person\(index)")
            let id = UUID()
            let last = index % 1000 == 0
                ? MessageInfo(id: index + 1, localId: "\(other.id)+\(UUID().uuidString)", chatId: id, authorId: other.id, text: "hello \(index)",
                              createdAt: now, updatedAt: now)
                : nil
            return ChatInfo(id: id, title: nil, isPersonal: true, owner: other, allUsers: [me, other], lastMessage: last)
        }
        let list = try JSONEncoder.chatAPI().encode(chats)
        print("100,000 chats: made the list")
        @Sendable func http(_ body: Data) -> Data {
            Data("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
        }
        let pageRequests = RequestCounter()
        let listAnswer = http(list)
        let emptyPage = http(Data("[]".utf8))
        let (alice, hostile) = try await accountPointedAt(http(Data()))
        hostile.stop()
        let server = try CannedServer { line in
            if line.hasPrefix("GET /chats?full=1") || line.hasPrefix("GET /chats ") { return listAnswer }
            if line.contains("/messages") {
                pageRequests.count.withLock { $0 += 1 }
                return emptyPage
            }
            return Data("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
        }
        defer { server.stop() }
        try alice.repoint(from: hostile.port, to: server.port)
        print("100,000 chats: a chat list of \(list.count / 1_048_576) MB")

        let clock = ContinuousClock()
        var started = clock.now
        let (listed, listPeak) = try await peakOf(alice, ["chats"])
        print("100,000 chats: termchat chats took \(clock.now - started), peak RSS \(listPeak / 1024) MB")
        #expect(listed.contains("exit 0"), "\(listed.suffix(500))")
        #expect(listed.contains("Person 99999"))
        #expect(listed.split(separator: "\n").count > 100_000)
        #expect(listPeak < 1024 * 1024, "peak RSS \(listPeak) KB")

        pageRequests.count.withLock { $0 = 0 }
        started = clock.now
        let (synced, syncPeak) = try await peakOf(alice, ["sync"])
        print("100,000 chats: termchat sync took \(clock.now - started), peak RSS \(syncPeak / 1024) MB, \(pageRequests.count.withLock { $0 }) page requests")
        #expect(synced.contains("exit 0"), "\(synced.suffix(500))")
        #expect(syncPeak < 1024 * 1024, "peak RSS \(syncPeak) KB")
        // Only the 100 chats with a last message are asked for a page.
        #expect(pageRequests.count.withLock { $0 } == 100)
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
        try await peakOf(alice, ["chats"])
    }

    /// `termchat ARGUMENTS` run by the account: its output, exit line and peak RSS (KB).
    func peakOf(_ alice: TestPerson, _ arguments: [String]) async throws -> (String, Int) {
        // Peak memory of the real binary, as the kernel counts it (KB).
        let termchat = try BuiltProduct.url("termchat").path
        let measured = try await ChildProcess.run("/usr/bin/env", ["python3", "-c", """
            import resource, subprocess, sys
            result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
            print(result.stdout + result.stderr)
            print("exit", result.returncode)
            print("maxrss_kb", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            """, termchat] + arguments, environment: alice.environment)
        let output = measured.output
        let peak = output.split(separator: "\n").first { $0.hasPrefix("maxrss_kb") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? -1
        return (output, peak)
    }
}

final class RequestCounter: Sendable {
    let count = Mutex(0)
}
