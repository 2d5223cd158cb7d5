import NIOCore

/// Spaces the event socket's reads at least `spacing` apart while data keeps coming, so that a
/// burst is read a few frames at a time instead of one wake-up per frame.
///
/// In a burst of 1,000 events a second each frame arrived alone and woke the event loop from
/// `epoll_wait`: in the profile a third of the client's time was thread switches, most of them
/// these wake-ups. A read that follows another within `spacing` is held back until `spacing`
/// has passed (the socket's buffer fills meanwhile, and one read takes all of it); a read after
/// a quiet spell happens at once, so a lone message is not delayed. The engine stores what
/// arrives at most every 20 ms anyway, so a few milliseconds here rarely delay what is shown.
final class ReadPacer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias InboundOut = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    let spacing: TimeAmount
    private var lastRead: NIODeadline?
    private var heldRead: Scheduled<Void>?

    init(spacing: TimeAmount) {
        self.spacing = spacing
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastRead = context.eventLoop.now
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        guard heldRead == nil else { return }
        guard let lastRead, case let due = lastRead + spacing, due > context.eventLoop.now else {
            context.read()
            return
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        heldRead = context.eventLoop.scheduleTask(deadline: due) {
            let (pacer, context) = loopBound.value
            pacer.heldRead = nil
            context.read()
        }
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
