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
            try await RawFrames.withEventStream(on: server) { fd in
                RawFrames.send(fd, opcode: 0x9, Array("are you there".utf8))
                let frames = try await offThePool { try RawFrames.read(fd, until: { $0.opcode == 0xA }) }
                #expect(frames.last?.opcode == 0xA)
                #expect(frames.last.map { String(decoding: $0.payload, as: UTF8.self) } == "are you there")
            }
        }
    }

    @Test func aCloseIsAnsweredWithItsCodeAndTheConnectionEnds() async throws {
        try await withServer { server in
            try await RawFrames.withEventStream(on: server) { fd in
                RawFrames.send(fd, opcode: 0x8, [0x03, 0xE8])  // 1000
                let frames = try await offThePool { try RawFrames.read(fd, until: { _ in false }) }
                #expect(frames.last?.opcode == 0x8)
                #expect(frames.last?.code == 1000)
            }
        }
    }

    /// A peer that answers no ping (gone without a FIN: a laptop lid shut) is ended with 1001
    /// at the next ping, so its place and its fan-out writes are freed.
    @Test func aSessionThatLeavesAPingUnansweredIsEnded() async throws {
        try await withServer(configure: { $0.eventPingInterval = .milliseconds(200) }) { server in
            try await RawFrames.withEventStream(on: server) { fd in
                let frames = try await offThePool { try RawFrames.read(fd, until: { _ in false }) }
                #expect(frames.first?.opcode == 0x9)
                #expect(frames.last?.opcode == 0x8)
                #expect(frames.last?.code == 1001)
            }
        }
    }
}
