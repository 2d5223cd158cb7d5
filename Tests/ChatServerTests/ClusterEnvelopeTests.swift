@testable import ChatServer
import Foundation
import Testing

/// An instance skips its own notifications by their first bytes: that only works while every
/// envelope it sends begins with them, inline or stored.
@Suite struct ClusterEnvelopeTests {
    @Test func anInstancesEnvelopesBeginWithItsPrefixAndNoOtherInstancesDo() throws {
        let instance = UUID()
        let prefix = PostgresClusterBus.envelopePrefix(of: instance)
        let messages: [ClusterMessage] = [
            .event(frame: #"{"event":"message","source":"1","payload":{"text":"{\"from\":\"x\"}"}}"#, users: [1, 2]),
            .events([Delivery(frame: "{}", users: [3])]),
            .sessionsChanged(ended: [UUID()]),
        ]
        for message in messages {
            let inline = String(decoding: try PostgresClusterBus.encode(PostgresClusterBus.Envelope(from: instance, message: message)), as: UTF8.self)
            #expect(inline.hasPrefix(prefix), "\(inline)")
            let other = String(decoding: try PostgresClusterBus.encode(PostgresClusterBus.Envelope(from: UUID(), message: message)), as: UTF8.self)
            #expect(!other.hasPrefix(prefix))
        }
        let stored = String(decoding: try PostgresClusterBus.encode(PostgresClusterBus.Envelope(from: instance, outboxId: 7)), as: UTF8.self)
        #expect(stored.hasPrefix(prefix))
    }
}
