import RealProcesses
import Foundation

/// A blocking TCP connection to a loopback port: the load generators' transport. Raw sockets
/// keep the generator's own cost small next to the server's on a 2-core machine.
struct LoopbackSocket {
    let fd: Int32

    init(port: Int) throws {
        fd = try connectLoopback(port: port, noDelay: true)
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { throw BenchError("write: errno \(errno)") }
            offset += written
        }
    }

    /// Reads what is there (blocking until something is): empty at end of stream.
    func receive(into buffer: inout [UInt8]) throws -> Int {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { throw BenchError("read: errno \(errno)") }
        return count
    }

    func closeSocket() { close(fd) }
}

/// HTTP/1.1 with keep-alive over one socket: one request at a time, the answer's status and body.
struct KeepAliveHTTP {
    let socket: LoopbackSocket
    let token: String
    private var pending: [UInt8] = []

    init(port: Int, token: String = "") throws {
        socket = try LoopbackSocket(port: port)
        self.token = token
    }

    mutating func post(_ path: String, json body: [UInt8]) throws -> (status: Int, body: [UInt8]) {
        try request("POST", path, headers: ["Authorization": "Bearer \(token)"], body: body)
    }

    mutating func request(_ method: String, _ path: String, headers: [String: String], body: [UInt8]) throws -> (status: Int, body: [UInt8]) {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try socket.send(Array((head + "\r\n").utf8) + body)
        return try readResponse()
    }

    private mutating func readResponse() throws -> (status: Int, body: [UInt8]) {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            if let end = pending.firstRange(of: [13, 10, 13, 10]) {
                let head = String(decoding: pending[..<end.lowerBound], as: UTF8.self)
                let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
                var length = 0
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
                if pending.count >= end.upperBound + length {
                    let body = Array(pending[end.upperBound..<(end.upperBound + length)])
                    pending.removeFirst(end.upperBound + length)
                    return (status, body)
                }
            }
            let count = try socket.receive(into: &buffer)
            guard count > 0 else { throw BenchError("the server closed the connection") }
            pending += buffer[..<count]
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
