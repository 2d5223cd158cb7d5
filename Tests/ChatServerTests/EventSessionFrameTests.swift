import ChatAPI
import ChatTestSupport
import Foundation
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing
@testable import ChatServer
#if canImport(Glibc)
import Glibc
#endif

/// The event stream's control frames, as raw bytes on a socket: the session is a handler on
/// its channel, not a library's task tree, so what that library did is checked here.
@Suite struct EventSessionFrameTests {
    /// The hub encodes each event's frame once, past NIO's encoder: byte for byte what that
    /// encoder writes, at each of the three length forms.
    @Test(arguments: [5, 125, 126, 300, 65_535, 65_536, 70_000])
    func anEventsFrameIsWhatNIOsEncoderWrites(length: Int) throws {
        let payload = ByteBuffer(repeating: UInt8(ascii: "x"), count: length)
        let channel = EmbeddedChannel(handler: WebSocketFrameEncoder())
        try channel.writeOutbound(WebSocketFrame(fin: true, opcode: .text, data: payload))
        var expected = ByteBuffer()
        while var part = try channel.readOutbound(as: ByteBuffer.self) { expected.writeBuffer(&part) }
        #expect(RealtimeHub.LoopMailbox.textFrame(payload) == expected)
    }

    @Test func aPingIsAnsweredWithAPongOfTheSamePayload() async throws {
        try await withServer { server in
            let alice = try await TestUser.register("Alice", on: server)
            let (fd, status) = try await RawHTTP.upgrade(port: server.port, path: APIPath.events(alice.sessionId), token: alice.token)
            defer { close(fd) }
            #expect(status == 101)
            RawFrames.send(fd, opcode: 0x9, Array("are you there".utf8))
            let frames = try await offThePool { try RawFrames.read(fd, until: { $0.opcode == 0xA }) }
            #expect(frames.last?.opcode == 0xA)
            #expect(frames.last.map { String(decoding: $0.payload, as: UTF8.self) } == "are you there")
        }
    }

    @Test func aCloseIsAnsweredWithItsCodeAndTheConnectionEnds() async throws {
        try await withServer { server in
            let alice = try await TestUser.register("Alice", on: server)
            let (fd, status) = try await RawHTTP.upgrade(port: server.port, path: APIPath.events(alice.sessionId), token: alice.token)
            defer { close(fd) }
            #expect(status == 101)
            RawFrames.send(fd, opcode: 0x8, [0x03, 0xE8])  // 1000
            let frames = try await offThePool { try RawFrames.read(fd, until: { _ in false }) }
            #expect(frames.last?.opcode == 0x8)
            #expect(frames.last?.code == 1000)
        }
    }

    /// A peer that answers no ping (gone without a FIN: a laptop lid shut) is ended with 1001
    /// at the next ping, so its place and its fan-out writes are freed.
    @Test func aSessionThatLeavesAPingUnansweredIsEnded() async throws {
        try await withServer(configure: { $0.eventPingInterval = .milliseconds(200) }) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let (fd, status) = try await RawHTTP.upgrade(port: server.port, path: APIPath.events(alice.sessionId), token: alice.token)
            defer { close(fd) }
            #expect(status == 101)
            let frames = try await offThePool { try RawFrames.read(fd, until: { _ in false }) }
            #expect(frames.first?.opcode == 0x9)
            #expect(frames.last?.opcode == 0x8)
            #expect(frames.last?.code == 1001)
        }
    }
}

/// WebSocket frames written and read on a raw socket.
enum RawFrames {
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
}
