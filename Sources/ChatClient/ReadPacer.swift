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

    /// Reads with data that may happen now.
    private var reads: TokenBudget<LoopInstant>
    /// Whether data came since the last read went to the socket (one read spends once).
    private var spent = false
    private var heldRead: Scheduled<Void>?

    init(spacing: Duration, burst: Int = 3) {
        reads = TokenBudget(capacity: burst, interval: spacing)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !spent {
            spent = true
            reads.spend(at: LoopInstant(context.eventLoop.now))
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        guard heldRead == nil else { return }
        reads.accrue(to: LoopInstant(context.eventLoop.now))
        let wait = reads.wait()
        guard wait > .zero else { return pass(context) }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        heldRead = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(wait / .nanoseconds(1)))) {
            let (pacer, context) = loopBound.value
            pacer.heldRead = nil
            pacer.pass(context)
        }
    }

    private func pass(_ context: ChannelHandlerContext) {
        spent = false
        context.read()
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

/// The event loop's clock as an instant for the budget (an embedded loop in a test keeps its
/// own time).
struct LoopInstant: InstantProtocol {
    let uptimeNanoseconds: UInt64

    init(_ deadline: NIODeadline) {
        uptimeNanoseconds = deadline.uptimeNanoseconds
    }

    private init(uptimeNanoseconds: UInt64) {
        self.uptimeNanoseconds = uptimeNanoseconds
    }

    func advanced(by duration: Duration) -> LoopInstant {
        LoopInstant(uptimeNanoseconds: UInt64(Int64(uptimeNanoseconds) + Int64(duration / .nanoseconds(1))))
    }

    func duration(to other: LoopInstant) -> Duration {
        .nanoseconds(Int64(other.uptimeNanoseconds) - Int64(uptimeNanoseconds))
    }

    static func < (lhs: LoopInstant, rhs: LoopInstant) -> Bool { lhs.uptimeNanoseconds < rhs.uptimeNanoseconds }
}
