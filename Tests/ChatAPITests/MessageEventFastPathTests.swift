import Foundation
import Testing
@testable import ChatAPI

/// The fast path for message frames either answers what JSONDecoder answers or leaves the
/// frame to it.
@Suite struct MessageEventFastPathTests {
    func fast(_ json: String) -> EventEnvelope? {
        Data(json.utf8).withUnsafeBytes(MessageEventFastPath.decode)
    }

    func reference(_ json: String) -> EventEnvelope? {
        try? EventEnvelope.decodeWithJSONDecoder(Data(json.utf8))
    }

    static let chat = "0F0E0D0C-0B0A-0908-0706-050403020100"
    static let plain = """
        {"event":"message","source":"7","payload":{"id":42,"localId":"7+ab-cd","chatId":"\(chat)","authorId":7,\
        "text":"hello, world","createdAt":"2026-11-25T01:02:58Z","updatedAt":"2026-11-25T01:02:59.250Z","isVisible":true}}
        """

    /// Frames the fast path reads: each exactly as JSONDecoder does.
    static let read: [String] = [
        plain,
        plain.replacingOccurrences(of: "\"message\"", with: "\"messageUpdate\""),
        plain.replacingOccurrences(of: "\"source\":\"7\"", with: "\"source\":\"system\""),
        plain.replacingOccurrences(of: "\"source\":\"7\",", with: ""),
        plain.replacingOccurrences(of: "\"source\":\"7\"", with: "\"source\":null"),
        plain.replacingOccurrences(of: "\"text\":\"hello, world\"", with: "\"text\":null"),
        plain.replacingOccurrences(of: "\"isVisible\":true", with: "\"isVisible\":false,\"editedAt\":\"2026-11-25T01:03:00Z\",\"deletedAt\":null"),
        plain.replacingOccurrences(of: ",\"updatedAt\":\"2026-11-25T01:02:59.250Z\"", with: ""),
        plain.replacingOccurrences(of: "\"isVisible\":true", with: "\"attachments\":[],\"readMarks\":[ ]"),
        plain.replacingOccurrences(of: chat, with: chat.lowercased()),
        plain.replacingOccurrences(of: "hello, world", with: "héllo 👋🏽 日本"),
        " " + plain.replacingOccurrences(of: ",\"", with: " ,\n\t\"").replacingOccurrences(of: "\":", with: "\" : ") + "\n",
        plain.replacingOccurrences(of: "\"id\":42", with: "\"id\":-3"),
    ]

    /// Frames it leaves to JSONDecoder (which reads some and refuses others).
    static let left: [String] = [
        plain.replacingOccurrences(of: "hello, world", with: "line\\nbreak \\u00e9 \\\"quoted\\\""),
        plain.replacingOccurrences(of: "\"isVisible\":true", with: "\"attachments\":[{\"id\":\"\(chat)\",\"fileType\":\"png\",\"fileSize\":3}]"),
        plain.replacingOccurrences(of: "\"createdAt\":\"2026-11-25T01:02:58Z\"", with: "\"createdAt\":785000000.5"),
        plain.replacingOccurrences(of: "\"id\":42", with: "\"id\":42.0"),
        plain.replacingOccurrences(of: "\"id\":42", with: "\"id\":4e1"),
        plain.replacingOccurrences(of: "\"id\":42", with: "\"id\":042"),
        plain.replacingOccurrences(of: "\"id\":42", with: "\"id\":99999999999999999999"),
        plain.replacingOccurrences(of: "\"isVisible\":true", with: "\"isVisible\":true,\"extra\":1"),
        plain.replacingOccurrences(of: "\"isVisible\":true", with: "\"isVisible\":true,\"id\":43"),
        plain.replacingOccurrences(of: "\"message\"", with: "\"chatUpdate\""),
        plain.replacingOccurrences(of: "\"source\":\"7\"", with: "\"source\":7"),
        plain.replacingOccurrences(of: chat, with: "not-a-uuid"),
        plain.replacingOccurrences(of: "\"createdAt\":\"2026-11-25T01:02:58Z\"", with: "\"createdAt\":null"),
        plain.replacingOccurrences(of: "2026-11-25T01:02:58Z", with: "2026-11-25T01:02:58+01:00"),
        plain + " x",
        "{\"event\":\"message\",\"payload\":null}",
        "{}",
        "",
    ]

    @Test(arguments: read) func aPlainMessageFrameIsReadAsJSONDecoderReadsIt(_ json: String) throws {
        let decoded = try #require(fast(json))
        #expect(decoded == reference(json))
        #expect(try EventEnvelope.decode(Data(json.utf8)) == decoded)
    }

    @Test(arguments: left) func anythingElseIsLeftToJSONDecoder(_ json: String) {
        #expect(fast(json) == nil)
        // And decoding goes on as before: JSONDecoder's answer, or its error.
        #expect((try? EventEnvelope.decode(Data(json.utf8))) == reference(json))
    }

    @Test func everyCutOfAFrameIsLeftOrReadAlike() {
        let bytes = Array(Self.plain.utf8)
        for end in 0..<bytes.count {
            let json = String(decoding: bytes[..<end], as: UTF8.self)
            if let decoded = fast(json) { #expect(decoded == reference(json), "cut at \(end)") }
        }
    }

    @Test(arguments: ["E621E1F8-C36C-495A-93FC-0C247A3E6E5F", "e621e1f8-c36c-495a-93fc-0c247a3e6e5f", "00000000-0000-0000-0000-000000000000",
                      "E621E1F8C36C495A93FC0C247A3E6E5F", "E621E1F8-C36C-495A-93FC-0C247A3E6E5G", "E621E1F8-C36C-495A-93FC_0C247A3E6E5F", ""])
    func uuidTextIsReadAsFoundationReadsIt(_ text: String) {
        #expect(UUIDText.parse(text) == UUID(uuidString: text))
    }
}
