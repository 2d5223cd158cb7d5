import ChatTestSupport
import Foundation
import Testing
@testable import ChatClient
#if canImport(Glibc)
import Glibc
#endif

/// A server that never accepts the connection is unreachable after the
/// connect timeout (a setting), not after the request timeout.
@Suite struct ConnectTimeoutTests {
    @Test func aServerThatNeverAcceptsIsUnreachableAfterTheConnectTimeout() async throws {
        // A listener whose accept queue is full and never drained: the kernel drops further
        // connection attempts, as a host behind a silent firewall does.
        let (listener, port) = listenLoopback(backlog: 0)
        defer { close(listener) }
        var fillers: [Int32] = []
        defer { fillers.forEach { close($0) } }
        for _ in 0..<4 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            fillers.append(fd)
        }
        let api = APIClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!, token: "t", connectTimeout: 1, requestTimeout: 600)
        do {
            _ = try await api.me()
            Issue.record("an answer from a server that never accepted")
        } catch {
            #expect(error == .unreachable("no connection within 1 s"), "\(error)")
            #expect(error.userMessage == "Cannot reach the server (no connection within 1 s).")
        }
    }

    @Test func aClosedPortIsRefusedAtOnce() async throws {
        let (listener, port) = listenLoopback()
        close(listener)
        let api = APIClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!, connectTimeout: 5)
        await #expect(throws: ClientError.unreachable("connection refused")) { _ = try await api.me() }
    }
}
