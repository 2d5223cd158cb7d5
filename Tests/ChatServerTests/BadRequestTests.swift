import ChatTestSupport
import ChatAPI
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every bad request gets an answer: malformed HTTP is answered with the protocol's JSON error
/// and the connection closed; what cannot be answered (silence mid-request) is closed after the
/// idle timeout; bodies past the limit are 413 at once; one peer cannot hold every socket.
@Suite struct BadRequestTests {
    /// A server with short timeouts, so that "closed after the idle timeout" is quick to see.
    func withQuickServer<T>(
        on backend: StorageBackend, idleTimeout: Duration = .seconds(3), maxConnections: Int? = nil, _ body: (TestServer) async throws -> T
    ) async throws -> T {
        try await withServer(on: backend, configure: { configuration in
            configuration.idleTimeout = idleTimeout
            configuration.maxConnections = maxConnections
        }, body)
    }

    static let malformed: [(name: String, bytes: [UInt8], status: Int)] = [
        ("NUL in the path", Array("GET /users/me\0x HTTP/1.1\r\nHost: a\r\n\r\n".utf8), 400),
        ("NUL in a header", Array("GET /users/me HTTP/1.1\r\nHost: a\r\nX-A: b\0c\r\n\r\n".utf8), 400),
        ("100 KB Authorization", Array(("GET /users/me HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + String(repeating: "a", count: 100_000) + "\r\n\r\n").utf8), 431),
        ("negative Content-Length", Array("POST /users HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n{}".utf8), 400),
        ("two Content-Lengths", Array("POST /users HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}".utf8), 400),
        ("garbage request line", Array("HELLO THERE\r\n\r\n".utf8), 400),
        ("binary garbage", (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) } + Array("\r\n\r\n".utf8), 400),
        ("invalid chunk size", Array("POST /users HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n".utf8), 400),
    ]

    @Test(arguments: StorageBackend.available) func malformedRequestsAreAnsweredWithJSONAndClosed(_ backend: StorageBackend) async throws {
        try await withQuickServer(on: backend) { server in
            for item in Self.malformed {
                let reply = try await RawHTTP.exchange(port: server.port, item.bytes, timeout: 30)
                #expect(reply.status == item.status, "\(item.name): \(reply.headers)")
                #expect(reply.reason?.isEmpty == false, "\(item.name): \(reply.body)")
                #expect(reply.closed, "\(item.name) left the connection open")
            }
            // The server is still up and answering.
            #expect(try await HTTPClient(baseURL: server.baseURL).get(APIPath.me).status == 401)
        }
    }

    @Test(arguments: StorageBackend.available) func silenceMidRequestIsClosedAfterTheIdleTimeout(_ backend: StorageBackend) async throws {
        try await withQuickServer(on: backend) { server in
            let silent: [(String, String)] = [
                ("partial headers", "GET /users/me HTTP/1.1\r\nHost: a\r\n"),
                ("nothing at all", ""),
                ("a Content-Length larger than the body", "POST /users HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{}"),
            ]
            for (name, text) in silent {
                // 3 s idle timeout; 60 s is only the test's own limit for "it never closed"
                // (generous: the whole suite runs alongside on two cores).
                let reply = try await RawHTTP.exchange(port: server.port, text, timeout: 60)
                #expect(reply.closed, "\(name) was never closed")
                if let status = reply.status { #expect((400..<500).contains(status), "\(name): \(status)") }
            }
        }
    }

    @Test(arguments: StorageBackend.available) func bodiesPastTheLimitAre413AtOnce(_ backend: StorageBackend) async throws {
        // The default idle timeout: on a busy machine an answer may take longer than a short one.
        try await withServer(on: backend) { server in
            let anonymous = HTTPClient(baseURL: server.baseURL)
            // Over 1 MB of JSON, even unauthenticated.
            let padded = Data(("{\"name\": \"" + String(repeating: "a", count: 1_100_000) + "\"}").utf8)
            let big = try await anonymous.request("POST", APIPath.users, body: padded)
            #expect(big.status == 413)
            #expect(try big.errorReason().contains("1 MB"))
            // A declared 10 GB body is refused before it is sent (the reply comes at once).
            let huge = try await RawHTTP.exchange(
                port: server.port,
                "POST /users HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n{",
                timeout: 20
            )
            #expect(huge.status == 413)
            #expect(huge.reason != nil)
            #expect(huge.closed)
        }
    }

    @Test(arguments: StorageBackend.available) func theConnectionCapRefusesClearlyAndFreesItsPlaces(_ backend: StorageBackend) async throws {
        // A long idle timeout, so the idle sockets keep their places however busy the machine is.
        try await withQuickServer(on: backend, idleTimeout: .seconds(120), maxConnections: 40) { server in
            let request = "GET /users/me HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
            var idle: [Int32] = []
            defer { for fd in idle { close(fd) } }
            for _ in 0..<40 { idle.append(try connectLoopback(port: server.port)) }
            // The server counts a connection once it has accepted it: wait for the refusal.
            var refused: RawReply?
            for _ in 0..<200 where refused == nil {
                let reply = try await RawHTTP.exchange(port: server.port, request, timeout: 10)
                if reply.status == 503 { refused = reply }
            }
            #expect(refused?.reason?.contains("connection limit") == true)
            #expect(refused?.closed == true)
            // Places are given back when connections close.
            for fd in idle { close(fd) }
            idle = []
            var served = false
            for _ in 0..<200 where !served {
                served = try await RawHTTP.exchange(port: server.port, request, timeout: 10).status == 401
            }
            #expect(served)
        }
    }

    /// The server and the 800 idle sockets each run in a process of their own, so that this
    /// test process (which starts children) keeps few descriptors.
    @Test(arguments: StorageBackend.available) func eightHundredIdleSocketsDoNotStopARequest(_ backend: StorageBackend) async throws {
        let server = try await ServerProcess(dataDirectory: TemporaryDirectory.make(), arguments: try await backend.makeDatabase().arguments)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import socket, sys
            held = [socket.create_connection(("127.0.0.1", \(server.port))) for _ in range(800)]
            sys.stdout.write(f"ready {len(held)}\\n")
            sys.stdout.flush()
            sys.stdin.read()
            """]
        let input = Pipe()
        let output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
            server.kill(signal: SIGTERM)
        }
        let ready = try await offThePool {
            var text = ""
            while !text.contains("\n") {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            return text
        }
        #expect(ready.contains("ready 800"), "\(ready)")
        let alice = try await TestUser.register("Alice", at: TestServerAddress(server.baseURL))
        #expect(try await alice.http.get(APIPath.me).status == 200)
    }
}
