import ChatAPI
import Foundation
import Testing

@Suite struct EventEnvelopeTests {
    let chatId = UUID(uuidString: "0F0E0D0C-0B0A-0908-0706-050403020100")!
    var alice: UserInfo { UserInfo(id: 1, name: "Alice", username: "alice1") }

    func decode(_ json: String) throws -> EventEnvelope {
        try EventEnvelope.decode(Data(json.utf8))
    }

    @Test func everyEventRoundTrips() throws {
        let message = MessageInfo(id: 1, localId: "1+\(UUID().uuidString)", chatId: chatId, authorId: 1, text: "x",
                                  createdAt: Date(timeIntervalSince1970: 1_000), updatedAt: Date(timeIntervalSince1970: 1_000))
        let chat = ChatInfo(id: chatId, title: nil, isPersonal: true, owner: alice)
        let events: [ChatEvent] = [
            .message(message), .messageUpdate(message), .chatUpdate(chat), .addedUsers(chat), .removedUsers(chat),
            .chatCleared(chatId), .chatDeleted(chatId), .chatCleared(nil), .chatDeleted(nil),
            .auxiliary(AuxiliaryPayload(name: "typing_started", chatId: chatId)), .userUpdate(alice),
        ]
        #expect(Set(events.map(\.name)) == Set(EventName.allCases))
        for event in events {
            let envelope = EventEnvelope(event: event, source: .user(1))
            #expect(try EventEnvelope.decode(try envelope.encode()) == envelope)
        }
    }

    @Test func wireShape() throws {
        let data = try EventEnvelope(event: .chatDeleted(chatId), source: .system).encode()
        #expect(String(decoding: data, as: UTF8.self) == #"{"event":"chatDeleted","payload":{"id":"0F0E0D0C-0B0A-0908-0706-050403020100"},"source":"system"}"#)
        let null = try EventEnvelope(event: .chatCleared(nil), source: .user(4)).encode()
        #expect(String(decoding: null, as: UTF8.self) == #"{"event":"chatCleared","payload":null,"source":"4"}"#)
    }

    @Test func upstreamFormsDecode() throws {
        // Null payload, numeric dates, no chatId in auxiliary.
        #expect(try decode(#"{"event":"chatCleared","source":"2","payload":null}"#).event == .chatCleared(nil))
        #expect(try decode(#"{"event":"chatDeleted","source":"2"}"#).event == .chatDeleted(nil))
        let message = try decode(#"{"event":"message","source":"2","payload":{"id":5,"localId":"2+A","chatId":"0f0e0d0c-0b0a-0908-0706-050403020100","authorId":2,"text":"hey","createdAt":817261378.637,"updatedAt":817261378.637,"isVisible":true}}"#)
        guard case .message(let info) = message.event else { Issue.record("not a message"); return }
        #expect(info.chatId == chatId)
        #expect(message.source == .user(2))
        let typing = try decode(#"{"event":"auxiliary","source":"3","payload":{"name":"typing_started","text":"","data":null}}"#)
        #expect(typing.event == .auxiliary(AuxiliaryPayload(name: "typing_started", text: "")))
    }

    @Test func garbageIsReportedNotCrashed() {
        #expect(throws: EventDecodingError.self) { try decode("not json") }
        #expect(throws: EventDecodingError.self) { try decode(#"{"event":"message","source":"1","payload":{"id":"x"}}"#) }
        #expect(throws: EventDecodingError.self) { try decode(#"{"event":"message","source":"1","payload":null}"#) }
        #expect(throws: EventDecodingError.unknownEvent("party")) { try decode(#"{"event":"party","source":"1","payload":{}}"#) }
        #expect(throws: EventDecodingError.self) { try decode(#"{"source":"1"}"#) }
    }
}
