import Foundation

/// Many WebSocket sessions over raw sockets: the upgrade by hand, then one thread that polls
/// every socket, answers pings and hands each text frame's payload to a handler. A full client
/// per session (NIO channel, tasks) would make the load generator the bottleneck.
enum WebSocketFleet {
    /// Opens the event stream of one session; throws unless the server answers 101.
    static func connect(port: Int, session: UUID, token: String) throws -> LoopbackSocket {
        let socket = try LoopbackSocket(port: port)
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let request = "GET /\(session.uuidString) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer \(token)\r\n\r\n"
        try socket.send(Array(request.utf8))
        var head: [UInt8] = []
        var byte = [UInt8](repeating: 0, count: 1)
        // Byte by byte up to the blank line, so no frame bytes are taken from the stream.
        while !head.ends(with: [13, 10, 13, 10]) {
            guard try socket.receive(into: &byte) == 1 else { throw BenchError("the server closed the upgrade") }
            head.append(byte[0])
        }
        guard String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 101") else {
            socket.closeSocket()
            throw BenchError("upgrade refused: \(String(decoding: head.prefix(40), as: UTF8.self))")
        }
        return socket
    }

    /// Reads every socket until `stop` is set, answering pings; `onText(index, payload)` runs
    /// on this thread for each text or binary message, with the payload's bytes valid only
    /// during the call. Answers how many sockets the server closed. Written to do little per
    /// frame (no copies, no generic searches): this thread must outrun the server it measures.
    static func read(_ sockets: [LoopbackSocket], stop: Flag, onText: (Int, UnsafeRawBufferPointer) -> Void) -> Int {
        var buffers = [[UInt8]](repeating: [], count: sockets.count)
        var starts = [Int](repeating: 0, count: sockets.count)
        var fds = sockets.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        var chunk = [UInt8](repeating: 0, count: 262_144)
        var closed = 0
        while !stop.isSet {
            guard poll(&fds, nfds_t(fds.count), 20) > 0 else { continue }
            for index in fds.indices where fds[index].revents != 0 {
                fds[index].revents = 0
                let count = (try? sockets[index].receive(into: &chunk)) ?? 0
                if count == 0 {
                    fds[index].fd = -1  // poll ignores it from now on
                    closed += 1
                    continue
                }
                buffers[index].append(contentsOf: chunk[..<count])
                var consumed = starts[index]
                buffers[index].withUnsafeBytes { bytes in
                    while let frame = parseFrame(bytes, from: consumed) {
                        let payload = UnsafeRawBufferPointer(rebasing: bytes[frame.payload])
                        switch frame.opcode {
                        case 0x1, 0x2: onText(index, payload)
                        case 0x9: try? sockets[index].send(maskedFrame(opcode: 0xA, payload: Array(payload)))
                        default: break
                        }
                        consumed = frame.payload.upperBound
                    }
                }
                // Drop what was consumed once it is most of the buffer (not on every frame).
                if consumed == buffers[index].count {
                    buffers[index].removeAll(keepingCapacity: true)
                    consumed = 0
                } else if consumed > 65_536 {
                    buffers[index].removeFirst(consumed)
                    consumed = 0
                }
                starts[index] = consumed
            }
        }
        return closed
    }

    /// The next complete frame from `start`, or nil until more bytes arrive. Server frames are
    /// unmasked.
    static func parseFrame(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (opcode: UInt8, payload: Range<Int>)? {
        guard bytes.count - start >= 2 else { return nil }
        let opcode = bytes[start] & 0x0F
        var length = Int(bytes[start + 1] & 0x7F)
        var offset = start + 2
        if length == 126 {
            guard bytes.count - offset >= 2 else { return nil }
            length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            offset += 2
        } else if length == 127 {
            guard bytes.count - offset >= 8 else { return nil }
            length = (0..<8).reduce(0) { $0 << 8 | Int(bytes[offset + $1]) }
            offset += 8
        }
        guard bytes.count - offset >= length else { return nil }
        return (opcode, offset..<(offset + length))
    }

    /// A client frame: clients must mask what they send.
    static func maskedFrame(opcode: UInt8, payload: [UInt8]) -> [UInt8] {
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        var frame: [UInt8] = [0x80 | opcode, 0x80 | UInt8(min(payload.count, 125))]
        frame += mask
        for (index, byte) in payload.prefix(125).enumerated() { frame.append(byte ^ mask[index % 4]) }
        return frame
    }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}

extension UnsafeRawBufferPointer {
    /// The hexadecimal number after `marker`, e.g. the message number at the end of a localId.
    func hexNumber(after marker: [UInt8]) -> Int? {
        guard let base = baseAddress, let start = firstOffset(of: marker, in: base) else { return nil }
        var index = start + marker.count
        let first = index
        var value = 0
        while index < count {
            let byte = self[index]
            let digit: Int
            switch byte {
            case 48...57: digit = Int(byte) - 48
            case 97...102: digit = Int(byte) - 87
            case 65...70: digit = Int(byte) - 55
            default: return index > first ? value : nil
            }
            value = value << 4 | digit
            index += 1
        }
        return index > first ? value : nil
    }

    /// Where `marker` starts: memchr for its first byte, then memcmp.
    private func firstOffset(of marker: [UInt8], in base: UnsafeRawPointer) -> Int? {
        var offset = 0
        return marker.withUnsafeBytes { needle -> Int? in
            while offset + needle.count <= count {
                guard let hit = memchr(base + offset, Int32(needle[0]), count - offset - needle.count + 1) else { return nil }
                let at = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + at, needle.baseAddress!, needle.count) == 0 { return at }
                offset = at + 1
            }
            return nil
        }
    }
}
