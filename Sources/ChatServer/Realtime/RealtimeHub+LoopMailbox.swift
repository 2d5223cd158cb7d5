import Logging
import NIOCore
import NIOWebSocket
import Synchronization

extension RealtimeHub {
    /// Frames waiting for one event loop. The first frame posted to an empty mailbox schedules
    /// a drain; frames that arrive while the loop is busy join it, so under load each
    /// connection gets several frames in one write instead of a write and a syscall per frame.
    final class LoopMailbox: Sendable {
        let loop: any EventLoop
        let queueLimit: Int
        let logger: Logger
        let metrics: ServerMetrics?
        private let pending = Mutex<[(frame: ByteBuffer, connections: [Connection])]>([])

        init(loop: any EventLoop, queueLimit: Int, logger: Logger, metrics: ServerMetrics?) {
            self.loop = loop
            self.queueLimit = queueLimit
            self.logger = logger
            self.metrics = metrics
        }

        func post(_ frame: ByteBuffer, to connections: [Connection]) {
            let wasEmpty = pending.withLock { pending in
                pending.append((frame, connections))
                return pending.count == 1
            }
            if wasEmpty { loop.execute { self.drain() } }
        }

        /// On the loop: writes everything posted so far, then flushes each connection once.
        /// Consecutive frames to the same connections (a busy group: every event to all its
        /// members) go as one buffer of them all, shared by those connections: one write each
        /// instead of one per frame.
        private func drain() {
            let batch = pending.withLock { pending in
                defer { pending = [] }
                return pending
            }
            var toFlush: [Connection] = []
            var delivered = 0
            var dropped = 0
            defer {
                if delivered > 0 { metrics?.eventsDelivered.increment(by: delivered) }
                if dropped > 0 { metrics?.queueDrops.increment(by: dropped) }
            }
            var start = 0
            while start < batch.count {
                let connections = batch[start].connections
                var end = start + 1
                while end < batch.count, Self.same(batch[end].connections, connections) { end += 1 }
                var frames = ByteBufferAllocator().buffer(capacity: batch[start..<end].reduce(0) { $0 + $1.frame.readableBytes + 10 })
                for index in start..<end { Self.writeTextFrame(batch[index].frame, to: &frames) }
                let count = end - start
                start = end
                for connection in connections {
                    switch connection.onLoop.value.admit(writable: connection.channel.isWritable, frames: count, queueLimit: queueLimit) {
                    case .ended:
                        continue
                    case .write(let writer, let firstSinceFlush):
                        writer.write(NIOAny(frames), promise: nil)
                        delivered += count
                        if firstSinceFlush { toFlush.append(connection) }
                    case .drop(let disconnect):
                        if disconnect {
                            logger.warning("event queue full: disconnecting a slow session", metadata: ["user": "\(connection.userId)"])
                            connection.channel.close(promise: nil)
                        }
                        dropped += count
                    }
                }
            }
            for connection in toFlush { connection.onLoop.value.flushed()?.flush() }
        }

        /// The same connections in the same order.
        private static func same(_ a: [Connection], _ b: [Connection]) -> Bool {
            guard a.count == b.count else { return false }
            for index in a.indices where a[index] !== b[index] { return false }
            return true
        }

        /// `payload` as one unmasked, final text frame (RFC 6455 §5.2), encoded once for all
        /// of its recipients on this loop.
        static func textFrame(_ payload: ByteBuffer) -> ByteBuffer {
            var frame = ByteBufferAllocator().buffer(capacity: payload.readableBytes + 10)
            writeTextFrame(payload, to: &frame)
            return frame
        }

        static func writeTextFrame(_ payload: ByteBuffer, to frame: inout ByteBuffer) {
            let length = payload.readableBytes
            frame.writeInteger(UInt8(0x81))
            if length < 126 {
                frame.writeInteger(UInt8(length))
            } else if length <= Int(UInt16.max) {
                frame.writeInteger(UInt8(126))
                frame.writeInteger(UInt16(length))
            } else {
                frame.writeInteger(UInt8(127))
                frame.writeInteger(UInt64(length))
            }
            frame.writeImmutableBuffer(payload)
        }
    }
}

/// A connection's side of the fan-out, kept on its channel's event loop (one box: one loop check
/// per frame).
struct ConnectionWriteState {
    /// Where encoded frames are written: the context of the channel's WebSocket frame encoder,
    /// so that a frame encoded once for every recipient skips the encoder and the handlers
    /// after it (nil once the session ended).
    var writer: ChannelHandlerContext?
    /// Frames written while the channel was unwritable.
    var backlog = 0
    /// Written to since its last flush.
    var awaitingFlush = false

    enum Admission {
        case write(ChannelHandlerContext, firstSinceFlush: Bool)
        /// Over the slow-consumer limit: the frame is dropped, and the first time the
        /// connection is to be closed.
        case drop(disconnect: Bool)
        case ended
    }

    /// What becomes of `frames` more frames (written as one): a peer that stops reading has its
    /// frames buffered by the channel until `queueLimit` went to it while unwritable.
    mutating func admit(writable: Bool, frames: Int, queueLimit: Int) -> Admission {
        guard let writer else { return .ended }
        if writable {
            backlog = 0
        } else {
            let before = backlog
            backlog += frames
            if backlog > queueLimit { return .drop(disconnect: before <= queueLimit) }
        }
        defer { awaitingFlush = true }
        return .write(writer, firstSinceFlush: !awaitingFlush)
    }

    /// The writer to flush, once per batch of writes.
    mutating func flushed() -> ChannelHandlerContext? {
        awaitingFlush = false
        return writer
    }
}
