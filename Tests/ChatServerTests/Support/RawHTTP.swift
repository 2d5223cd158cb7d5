import ChatTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Sends a WebSocket upgrade request over a plain socket and reads the status code, to check
/// what the server answers when it refuses an upgrade.
enum RawHTTP {
    static func upgradeStatus(port: Int, path: String, token: String?) throws -> Int {
        let (fd, status) = try upgrade(port: port, path: path, token: token)
        close(fd)
        return status
    }

    /// Sends an upgrade request and answers the open socket and the status; the caller closes
    /// the socket. A socket left unread stands for a peer that stopped reading.
    static func upgrade(port: Int, path: String, token: String?) throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed") }
        var receiveBuffer: Int32 = 4096
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw TestFailure("connect failed")
        }
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
