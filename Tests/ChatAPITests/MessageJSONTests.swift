import Foundation
import Testing
@testable import ChatAPI

/// The hand-written message JSON is byte for byte what JSONEncoder writes, or is not used.
@Suite struct MessageJSONTests {
    static let texts: [String?] = [
        nil, "", "hello, world", "a/b: slashes stay", "emoji 👩‍👩‍👧 and é", "del \u{7F} and line separator \u{2028}\u{2029}",
        "tab\there", "quote \" here", "back\\slash", "nul \u{0} and bell \u{7}", "日本語のテキスト",
    ]

    static let dates: [Date] = [
        Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_764_032_578), Date(timeIntervalSince1970: 1_764_032_578.999_9),
        Date(timeIntervalSince1970: 951_782_400.5),  // 2000-02-29
        Date(timeIntervalSince1970: 4_107_542_399),  // 2100-02-28T23:59:59
        Date(timeIntervalSince1970: 253_402_300_799),  // 9999-12-31T23:59:59
        Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: 253_402_300_800),
    ]

    func messages() -> [MessageInfo] {
        var generator = SystemRandomNumberGenerator()
        var result: [MessageInfo] = []
        for (index, text) in Self.texts.enumerated() {
            for date in Self.dates {
                result.append(MessageInfo(
                    id: index % 3 == 0 ? -index : Int.random(in: 0...Int.max, using: &generator), localId: "7+\(UUID().uuidString)",
                    chatId: UUID(), authorId: index * 1_000_003, text: text, createdAt: date,
                    updatedAt: date.addingTimeInterval(Double(index) * 0.37),
                    editedAt: index % 2 == 0 ? date.addingTimeInterval(86_400 * 31) : nil,
                    deletedAt: index % 3 == 1 ? date : nil, isVisible: index % 4 != 3
                ))
            }
        }
        // Random dates over the whole range the writer takes, fractions included.
        for _ in 0..<2_000 {
            let date = Date(timeIntervalSince1970: Double.random(in: 0..<253_402_300_800, using: &generator))
            result.append(MessageInfo(id: 1, localId: "1+x", chatId: UUID(), authorId: 1, text: "t", createdAt: date, updatedAt: date))
        }
        return result
    }

    @Test func aMessageIsWrittenAsJSONEncoderWritesIt() throws {
        var handWritten = 0
        for message in messages() {
            let reference = Array(try JSONEncoder.chatAPI().encode(message))
            if let bytes = MessageJSON.encode(message) {
                handWritten += 1
                #expect(bytes == reference, "\(String(decoding: bytes, as: UTF8.self)) != \(String(decoding: reference, as: UTF8.self))")
            }
        }
        // Plain texts and in-range dates are written by hand; escapes and far dates are not.
        #expect(handWritten > 2_000)
        let quoted = MessageInfo(id: 1, localId: "1+x", chatId: UUID(), authorId: 1, text: "a \"quote\"", createdAt: Date(), updatedAt: Date())
        #expect(MessageJSON.encode(quoted) == nil)
    }

    @Test func anEnvelopeIsWrittenAsJSONEncoderWritesIt() throws {
        var handWritten = 0
        for (index, message) in messages().enumerated() {
            let event: ChatEvent = index % 2 == 0 ? .message(message) : .messageUpdate(message)
            let envelope = EventEnvelope(event: event, source: index % 3 == 0 ? .system : .user(index))
            let fast = try envelope.encode()
            #expect(fast == (try envelope.encode(encoder: .chatAPI())))
            if MessageJSON.encode(message) != nil { handWritten += 1 }
        }
        #expect(handWritten > 2_000)
    }

    @Test func messagesWithAttachmentsOrReadMarksAreLeftToJSONEncoder() {
        let media = MediaInfo(id: UUID(), fileType: "png", fileSize: 10, createdAt: Date(), fileExists: true, previewExists: false)
        let message = MessageInfo(id: 1, localId: "1+x", chatId: UUID(), authorId: 1, text: "t", createdAt: Date(), updatedAt: Date(), attachments: [media])
        #expect(MessageJSON.encode(message) == nil)
    }
}
