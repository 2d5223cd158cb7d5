@testable import ChatClient
import NIOCore
import NIOEmbedded
import Testing

/// The event socket's reads while a burst comes in: one at once after a quiet spell, the
/// next held until the spacing has passed, however often it is asked for meanwhile.
@Suite struct ReadPacerTests {
    /// Counts the reads that reach the socket (it sits on the socket's side of the pacer).
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = NIOAny
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    @Test func aReadAfterAQuietSpellIsAtOnceAndOneRightAfterDataWaitsForTheSpacing() throws {
        let loop = EmbeddedEventLoop()
        let counter = ReadCounter()
        let channel = EmbeddedChannel(handlers: [counter, ReadPacer(spacing: .milliseconds(5), burst: 1)], loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()

        channel.read()
        #expect(counter.reads == 1, "nothing was read lately: the read goes at once")

        try channel.writeInbound(ByteBuffer(string: "frame 1"))
        channel.read()
        channel.read()
        #expect(counter.reads == 1, "data just came: the next read waits")
        loop.advanceTime(by: .milliseconds(4))
        #expect(counter.reads == 1)
        loop.advanceTime(by: .milliseconds(1))
        #expect(counter.reads == 2, "the held read goes once the spacing has passed, once")

        loop.advanceTime(by: .milliseconds(50))
        channel.read()
        #expect(counter.reads == 3, "after a quiet spell a read goes at once again")
        _ = try channel.finish()
    }

    @Test func aHeldReadIsDroppedWhenTheConnectionCloses() throws {
        let loop = EmbeddedEventLoop()
        let counter = ReadCounter()
        let channel = EmbeddedChannel(handlers: [counter, ReadPacer(spacing: .milliseconds(5), burst: 1)], loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.writeInbound(ByteBuffer(string: "frame"))
        channel.read()
        _ = try channel.finish()
        loop.advanceTime(by: .milliseconds(10))
        #expect(counter.reads == 0)
    }

    /// A typing notice and its message a couple of milliseconds apart are both read at once;
    /// in a burst the budget runs out and reads are spaced again.
    @Test func aFewReadsCloseTogetherGoAtOnceThenTheyAreSpaced() throws {
        let loop = EmbeddedEventLoop()
        let counter = ReadCounter()
        let channel = EmbeddedChannel(handlers: [counter, ReadPacer(spacing: .milliseconds(5), burst: 3)], loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        for frame in 1...3 {
            channel.read()
            #expect(counter.reads == frame, "read \(frame) of the budget goes at once")
            try channel.writeInbound(ByteBuffer(string: "frame \(frame)"))
            loop.advanceTime(by: .milliseconds(1))
        }
        channel.read()
        #expect(counter.reads == 3, "the budget is spent: held")
        loop.advanceTime(by: .milliseconds(2))
        #expect(counter.reads == 4, "released once a read's worth is earned back (5 ms after the first)")
        _ = try channel.finish()
    }
}

