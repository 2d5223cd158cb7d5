import Foundation

/// The most this machine can fan out: a minimal writer of the server's own event frames to 100
/// loopback sockets, read by the same reader the server figure uses. What the server does on
/// top (HTTP, JSON, storage, routing) is the difference between the two rates.
enum FanOutLimit {
    /// Messages per second written to every socket and read back in full. `payload` is one
    /// event as the server sent it; its message number (after `MessageNumbering.marker`) is
    /// rewritten for each message.
    static func rate(sessions: Int, messages: Int, payload: [UInt8]) throws -> Double {
        guard let at = payload.firstRange(of: MessageNumbering.marker)?.upperBound, at + 12 <= payload.count else {
            throw BenchError("the sample event carries no message number")
        }
        let listener = try Listener()
        defer { close(listener.fd) }
        var connected: [(LoopbackSocket, Int32)] = []
        for _ in 0..<sessions { connected.append((try LoopbackSocket(port: listener.port), try listener.accept())) }
        let readers = connected.map(\.0)
        let writers = connected.map(\.1)
        defer {
            for socket in readers { socket.closeSocket() }
            for fd in writers { close(fd) }
        }
        var header: [UInt8] = [0x81]
        if payload.count < 126 {
            header.append(UInt8(payload.count))
        } else {
            header += [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        }
        let template = header + payload
        let offset = header.count + at
        let expected = messages * sessions
        let stop = Flag()
        let start = monotonicSeconds()
        let reader = Thread.run { () -> (Double, Int) in
            var delivered = 0
            var last = start
            _ = WebSocketFleet.read(readers, stop: stop) { _, payload in
                guard payload.hexNumber(after: MessageNumbering.marker) != nil else { return }
                delivered += 1
                if delivered == expected {
                    last = monotonicSeconds()
                    stop.set()
                }
            }
            return (last, delivered)
        }
        let writer = Thread.run { () -> Bool in
            var frame = template
            let digits = Array("0123456789abcdef".utf8)
            for number in 1...messages {
                var value = number
                for index in stride(from: 11, through: 0, by: -1) {
                    frame[offset + index] = digits[value & 0xF]
                    value >>= 4
                }
                for fd in writers {
                    let ok = frame.withUnsafeBytes { bytes -> Bool in
                        var sent = 0
                        while sent < bytes.count {
                            let count = write(fd, bytes.baseAddress! + sent, bytes.count - sent)
                            guard count > 0 else { return false }
                            sent += count
                        }
                        return true
                    }
                    if !ok { return false }
                }
            }
            return true
        }
        let watchdog = Thread.run {
            let deadline = monotonicSeconds() + 60
            while !stop.isSet, monotonicSeconds() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            stop.set()
        }
        let wrote = writer.wait()
        let (last, delivered) = reader.wait()
        watchdog.wait()
        guard wrote, delivered == expected else { throw BenchError("the minimal writer delivered \(delivered) of \(expected)") }
        return Double(messages) / (last - start)
    }

    /// A loopback listening socket on a free port.
    struct Listener {
        let fd: Int32
        let port: Int

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.fd = fd
            guard fd >= 0 else { throw BenchError("socket: errno \(errno)") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0, listen(fd, 512) == 0 else { throw BenchError("bind/listen: errno \(errno)") }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        func accept() throws -> Int32 {
            let client = Glibc.accept(fd, nil, nil)
            guard client >= 0 else { throw BenchError("accept: errno \(errno)") }
            var one: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            return client
        }
    }
}
