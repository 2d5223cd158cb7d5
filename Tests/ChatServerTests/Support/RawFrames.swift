import ChatAPI
import ChatTestSupport
import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// WebSocket frames written and read on a raw socket.
enum RawFrames {
    /// A new person's event stream, upgraded over a raw socket; `body` gets the socket, which
    /// is closed after it. An upgrade that is not 101 fails the test.
    static func withEventStream(on server: TestServer, _ body: (Int32) async throws -> Void) async throws {
        let alice = try await TestUser.register("Alice", on: server)
        let (fd, status) = try await RawHTTP.upgrade(port: server.port, path: APIPath.events(alice.sessionId), token: alice.token)
        defer { close(fd) }
        guard status == 101 else { throw TestFailure("the event stream's upgrade was answered \(status), not 101") }
        try await body(fd)
    }

    struct Frame {
        var opcode: UInt8
        var payload: [UInt8]
        /// A close frame's code.
        var code: Int? { payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : nil }
    }

    /// One masked, final frame (payloads under 126 bytes).
    static func send(_ fd: Int32, opcode: UInt8, _ payload: [UInt8]) {
        let mask: [UInt8] = [7, 1, 9, 4]
        let frame = [0x80 | opcode, 0x80 | UInt8(payload.count)] + mask + payload.enumerated().map { $1 ^ mask[$0 % 4] }
        _ = frame.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// The server's frames until one satisfies `stop`, or until it closes the connection; fails
    /// after 20 s of silence (a server that never answers fails instead of hanging).
    static func read(_ fd: Int32, until stop: (Frame) -> Bool) throws -> [Frame] {
        var limit = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var frames: [Frame] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            while let (frame, length) = parse(received) {
                received.removeFirst(length)
                frames.append(frame)
                if stop(frame) { return frames }
            }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return frames }
            if count < 0 { throw TestFailure("nothing from the server for 20 s; frames so far: \(frames.map(\.opcode))") }
            received += buffer[0..<count]
        }
    }

    /// An unmasked server frame at the start of `bytes`, and its length in bytes.
    static func parse(_ bytes: [UInt8]) -> (Frame, Int)? {
        guard bytes.count >= 2 else { return nil }
        var length = Int(bytes[1] & 0x7F)
        var start = 2
        if length == 126 {
            guard bytes.count >= 4 else { return nil }
            length = Int(bytes[2]) << 8 | Int(bytes[3])
            start = 4
        } else if length == 127 {
            guard bytes.count >= 10 else { return nil }
            length = bytes[2..<10].reduce(0) { $0 << 8 | Int($1) }
            start = 10
        }
        guard bytes.count >= start + length else { return nil }
        return (Frame(opcode: bytes[0] & 0x0F, payload: Array(bytes[start..<(start + length)])), start + length)
    }

    /// The text payloads of the whole frames in `buffers`, read one after another (nil if
    /// anything but whole text frames is there).
    static func payloads(of buffers: [ByteBuffer]) -> [String]? {
        var bytes = buffers.flatMap { Array($0.readableBytesView) }
        var texts: [String] = []
        while !bytes.isEmpty {
            guard let (frame, length) = parse(bytes), frame.opcode == 0x1 else { return nil }
            texts.append(String(decoding: frame.payload, as: UTF8.self))
            bytes.removeFirst(length)
        }
        return texts
    }
}
