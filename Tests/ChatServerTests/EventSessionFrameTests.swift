import ChatAPI
import ChatTestSupport
import Foundation
import Logging
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

    /// Frames posted to the same connections before their loop drains go as one buffer, still
    /// separate frames in order; a frame to other connections starts a new buffer.
    @Test func framesPostedTogetherGoAsOneWriteOfSeparateFramesInOrder() throws {
        let loop = EmbeddedEventLoop()
        let hub = RealtimeHub(logger: Logger(label: "test"))
        let channels = [EmbeddedChannel(handler: WebSocketFrameEncoder(), loop: loop), EmbeddedChannel(handler: WebSocketFrameEncoder(), loop: loop)]
        let connections = try channels.enumerated().map { index, channel in
            let writer = try channel.pipeline.syncOperations.context(handlerType: WebSocketFrameEncoder.self)
            let connection = hub.register(userId: index + 1, sessionId: UUID(), channel: channel, writer: writer, close: { _ in })
            return try #require(connection)
        }
        hub.send(ByteBuffer(string: "{\"n\":1}"), to: [1, 2])
        hub.send(ByteBuffer(string: "{\"n\":2}"), to: [1, 2])
        hub.send(ByteBuffer(string: "{\"n\":3}"), to: [2])
        loop.run()
        func writes(_ channel: EmbeddedChannel) throws -> [ByteBuffer] {
            var buffers: [ByteBuffer] = []
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) { buffers.append(buffer) }
            return buffers
        }
        let first = try writes(channels[0])
        let second = try writes(channels[1])
        #expect(first.count == 1)  // frames 1 and 2 in one write
        #expect(second.count == 2)  // frames 1 and 2, then 3
        #expect(RawFrames.payloads(of: first) == [#"{"seq":1,"n":1}"#, #"{"seq":2,"n":2}"#])
        #expect(RawFrames.payloads(of: second) == [#"{"seq":1,"n":1}"#, #"{"seq":2,"n":2}"#, #"{"seq":3,"n":3}"#])
        _ = connections
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
