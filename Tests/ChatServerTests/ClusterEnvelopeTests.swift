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

    /// An event's envelope is written by hand on the post path: byte for byte what JSONEncoder
    /// writes, or left to it.
    @Test func anEventsEnvelopeIsWrittenAsJSONEncoderWritesIt() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let frames = [
            #"{"event":"message","payload":{"id":9223372036854775800,"text":"a/b \"q\" \\ é 👍"},"source":"1"}"#,
            "", "plain", "\u{7F} and \u{2028}", "/\\\"",
        ]
        for frame in frames {
            for users in [[], [ClusterNotification.usersMark], [1, -2, 300]] {
                let envelope = PostgresClusterBus.Envelope(from: UUID(), message: .event(frame: frame, users: users))
                let fast = try #require(PostgresClusterBus.eventJSON(from: envelope.from, frame: frame, users: users))
                #expect(fast == Array(try encoder.encode(envelope)), "\(String(decoding: fast, as: UTF8.self))")
                #expect(try PostgresClusterBus.encode(envelope) == (try encoder.encode(envelope)))
            }
        }
        #expect(PostgresClusterBus.eventJSON(from: UUID(), frame: "tab\there", users: [1]) == nil)
    }
}
