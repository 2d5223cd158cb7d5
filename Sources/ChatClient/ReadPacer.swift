import NIOCore

/// Spaces the event socket's reads `spacing` apart while data keeps coming, so that a burst is
/// read a few frames at a time instead of one wake-up per frame.
///
/// In a burst of 1,000 events a second each frame arrived alone and woke the event loop from
/// `epoll_wait`: in the profile a third of the client's time was thread switches, most of them
/// these wake-ups. Reads that bring data spend from a budget of `burst`, refilled one per
/// `spacing`; a read with the budget spent is held until it refills (the socket's buffer fills
/// meanwhile, and one read takes all of it). A few reads close together go at once: someone
/// typing sends a typing notice a few milliseconds before each message, and spaced strictly,
/// the message waited behind its notice. The engine stores a burst at most every 20 ms anyway.
final class ReadPacer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias InboundOut = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    let spacing: TimeAmount
    let burst: Int
    /// Reads with data that may happen now (fractions accrue as time passes), as of `countedAt`.
    private var reads: Double
    private var countedAt: NIODeadline?
    /// Whether data came since the last read went to the socket (one read spends once).
    private var spent = false
    private var heldRead: Scheduled<Void>?

    init(spacing: TimeAmount, burst: Int = 3) {
        self.spacing = spacing
        self.burst = max(1, burst)
        reads = Double(self.burst)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !spent {
            spent = true
            accrue(to: context.eventLoop.now)
            reads = max(0, reads - 1)
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        guard heldRead == nil else { return }
        accrue(to: context.eventLoop.now)
        guard reads < 1 else { return pass(context) }
        let wait = TimeAmount.nanoseconds(Int64((1 - reads) * Double(spacing.nanoseconds)))
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        heldRead = context.eventLoop.scheduleTask(in: wait) {
            let (pacer, context) = loopBound.value
            pacer.heldRead = nil
            pacer.pass(context)
        }
    }

    private func pass(_ context: ChannelHandlerContext) {
        spent = false
        context.read()
    }

    private func accrue(to now: NIODeadline) {
        if let countedAt, now > countedAt {
            reads = min(Double(burst), reads + Double((now - countedAt).nanoseconds) / Double(spacing.nanoseconds))
        }
        countedAt = max(countedAt ?? now, now)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelHeldRead()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelHeldRead()
    }

    private func cancelHeldRead() {
        heldRead?.cancel()
        heldRead = nil
    }
}
