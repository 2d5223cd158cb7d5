import ChatTestSupport
import ChatAPI
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
        let request = upgradeRequest(port: port, path: path, token: token)
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

    /// A WebSocket upgrade request for `path`, with `token` as its Bearer token if given.
    static func upgradeRequest(port: Int, path: String, token: String?) -> String {
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        if let token { request += "Authorization: Bearer \(token)\r\n" }
        return request + "\r\n"
    }
}

/// What a server answered to raw bytes: the status (nil if it sent none), the body, and whether
/// it closed the connection before `timeout` ran out.
struct RawReply: Sendable {
    var status: Int?
    var body: String
    var closed: Bool
    var headers: String

    /// The protocol's error reason, if the body is one.
    var reason: String? {
        guard let body = try? JSONDecoder.chatAPI().decode(ErrorBody.self, from: Data(body.utf8)), body.error else { return nil }
        return body.reason
    }
}

extension RawHTTP {
    /// Sends `bytes` on a new connection (in `chunks`, if given, with `pause` between them) and
    /// reads until the server closes or `timeout` passes.
    static func exchange(port: Int, _ bytes: [UInt8], timeout: Double = 30) async throws -> RawReply {
        try await offThePool { try blockingExchange(port: port, bytes, timeout: timeout) }
    }

    static func exchange(port: Int, _ text: String, timeout: Double = 30) async throws -> RawReply {
        try await exchange(port: port, Array(text.utf8), timeout: timeout)
    }

    static func blockingExchange(port: Int, _ bytes: [UInt8], timeout: Double) throws -> RawReply {
        let fd = try connectLoopback(port: port)
        defer { close(fd) }
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { break }  // the server may answer and close before reading everything
            sent += count
        }
        return try readReply(fd, timeout: timeout)
    }

    /// Reads what arrives on `fd` until the peer closes it or `timeout` passes.
    /// Reads from `fd` until what arrived holds `text` (true), or it closes or `timeout` passes.
    static func readUntil(_ fd: Int32, contains text: String, timeout: Double) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var pollFd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pollFd, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000))) > 0 else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
            if String(decoding: received, as: UTF8.self).contains(text) { return true }
        }
        return false
    }

    static func readReply(_ fd: Int32, timeout: Double) throws -> RawReply {
        let deadline = Date().addingTimeInterval(timeout)
        var received: [UInt8] = []
        var closed = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            var pollFd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let remaining = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
            guard poll(&pollFd, 1, remaining) > 0 else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 {
                closed = true
                break
            }
            received += buffer[0..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        let statusLine = head.split(separator: "\r\n").first ?? ""
        let fields = statusLine.split(separator: " ")
        let status = fields.count >= 2 ? Int(fields[1]) : nil
        return RawReply(status: status, body: parts.dropFirst().joined(separator: "\r\n\r\n"), closed: closed, headers: head)
    }
}
