import ChatTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Sends a WebSocket upgrade request over a plain socket and reads the status code, to check
/// what the server answers when it refuses an upgrade.
enum RawHTTP {
    static func upgradeStatus(port: Int, path: String, token: String?) async throws -> Int {
        let (fd, status) = try await upgrade(port: port, path: path, token: token)
        close(fd)
        return status
    }

    /// `blockingUpgrade` off the cooperative pool: the server answering it runs on that pool.
    static func upgrade(port: Int, path: String, token: String?) async throws -> (Int32, Int) {
        try await offThePool { try blockingUpgrade(port: port, path: path, token: token) }
    }

    /// Sends an upgrade request and answers the open socket and the status; the caller closes
    /// the socket. A socket left unread stands for a peer that stopped reading.
    static func blockingUpgrade(port: Int, path: String, token: String?) throws -> (Int32, Int) {
        let fd = try connectLoopback(port: port, receiveBuffer: 4096)
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        if let token { request += "Authorization: Bearer \(token)\r\n" }
        request += "\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = recv(fd, &buffer, buffer.count, 0)
        let statusLine = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\r\n").first ?? "" : ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            close(fd)
            throw TestFailure("bad status line \(statusLine)")
        }
        return (fd, status)
    }
}
