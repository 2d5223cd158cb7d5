import Foundation

/// The names of the event stream's events (PROTOCOL.md section 6).
public enum EventName: String, Codable, Hashable, Sendable, CaseIterable {
    case message
    case messageUpdate
    case chatUpdate
    case addedUsers
    case removedUsers
    case chatCleared
    case chatDeleted
    case auxiliary
    case userUpdate
}

/// `auxiliary` payload: what `POST /chats/<id>/notify` sent. `chatId` is ours; the upstream
/// leaves it out.
public struct AuxiliaryPayload: Codable, Hashable, Sendable {
    public var name: String
    public var text: String?
    public var data: String?
    public var chatId: ChatID?

    public init(name: String, text: String? = nil, data: String? = nil, chatId: ChatID? = nil) {
        self.name = name
        self.text = text
        self.data = data
        self.chatId = chatId
    }
}

/// `chatCleared` / `chatDeleted` payload on our server; the upstream sends null.
public struct ChatReference: Codable, Hashable, Sendable {
    public var id: ChatID

    public init(id: ChatID) {
        self.id = id
    }
}

/// One event of the stream, typed by its name.
public enum ChatEvent: Hashable, Sendable {
    case message(MessageInfo)
    case messageUpdate(MessageInfo)
    case chatUpdate(ChatInfo)
    case addedUsers(ChatInfo)
    case removedUsers(ChatInfo)
    /// `nil` when the server did not say which chat (upstream): re-read `GET /chats`.
    case chatCleared(ChatID?)
    case chatDeleted(ChatID?)
    case auxiliary(AuxiliaryPayload)
    case userUpdate(UserInfo)

    public var name: EventName {
        switch self {
        case .message: .message
        case .messageUpdate: .messageUpdate
        case .chatUpdate: .chatUpdate
        case .addedUsers: .addedUsers
        case .removedUsers: .removedUsers
        case .chatCleared: .chatCleared
        case .chatDeleted: .chatDeleted
        case .auxiliary: .auxiliary
        case .userUpdate: .userUpdate
        }
    }
}

/// Who caused an event: a user, or the server itself.
public enum EventSource: Hashable, Sendable {
    case user(UserID)
    case system

    /// The wire form: the user id as a string, or `"system"`.
    public var wireValue: String {
        switch self {
        case .user(let id): String(id)
        case .system: "system"
        }
    }

    public init(wireValue: String) {
        if let id = UserID(wireValue) {
            self = .user(id)
        } else {
            self = .system
        }
    }
}

/// An event with its source, as carried in one WebSocket message:
/// `{"event": "<name>", "source": "<UserID or system>", "payload": <JSON or null>}`.
public struct EventEnvelope: Hashable, Sendable {
    public var event: ChatEvent
    public var source: EventSource

    public init(event: ChatEvent, source: EventSource) {
        self.event = event
        self.source = source
    }
}

/// Why an incoming frame was not an event we can apply.
public enum EventDecodingError: Error, Hashable, Sendable {
    /// Well-formed, but an event name this client does not know.
    case unknownEvent(String)
    /// Not JSON, or not the envelope's shape, or a payload that does not fit its event.
    case malformed(String)
}

extension EventEnvelope {
    private struct Body<Payload: Codable>: Codable {
        var event: String
        var source: String
        var payload: Payload?
    }

    /// Decodes a frame's bytes (text or binary frames carry the same UTF-8 JSON), in one pass:
    /// the name first, then the payload its event has (a header pass and a body pass parsed
    /// each frame twice, a tenth of the client's CPU in a burst).
    public static func decode(_ data: Data, decoder: JSONDecoder = .chatAPI()) throws(EventDecodingError) -> EventEnvelope {
        if let message = data.withUnsafeBytes(MessageEventFastPath.decode) { return message }
        return try decodeWithJSONDecoder(data, decoder: decoder)
    }

    /// Every frame the fast path leaves (and the reference it is tested against).
    static func decodeWithJSONDecoder(_ data: Data, decoder: JSONDecoder = .chatAPI()) throws(EventDecodingError) -> EventEnvelope {
        let parsed: Parsed
        do {
            parsed = try decoder.decode(Parsed.self, from: data)
        } catch {
            throw .malformed("not an event envelope: \(error)")
        }
        return EventEnvelope(event: try parsed.event.get(), source: EventSource(wireValue: parsed.source ?? "system"))
    }

    /// The envelope, with the payload's own failure kept apart from the envelope's.
    private struct Parsed: Decodable {
        enum CodingKeys: String, CodingKey { case event, source, payload }
        var source: String?
        var event: Result<ChatEvent, EventDecodingError>

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let wireName = try container.decode(String.self, forKey: .event)
            source = try container.decodeIfPresent(String.self, forKey: .source)
            guard let name = EventName(rawValue: wireName) else {
                event = .failure(.unknownEvent(wireName))
                return
            }
            func payload<P: Decodable>(_: P.Type) throws(EventDecodingError) -> P? {
                do {
                    return try container.decodeIfPresent(P.self, forKey: .payload)
                } catch {
                    throw .malformed("\(name.rawValue) payload: \(error)")
                }
            }
            func required<P: Decodable>(_ type: P.Type) throws(EventDecodingError) -> P {
                guard let value = try payload(type) else { throw .malformed("\(name.rawValue) without payload") }
                return value
            }
            event = Result { () throws(EventDecodingError) -> ChatEvent in
                switch name {
                case .message: return .message(try required(MessageInfo.self))
                case .messageUpdate: return .messageUpdate(try required(MessageInfo.self))
                case .chatUpdate: return .chatUpdate(try required(ChatInfo.self))
                case .addedUsers: return .addedUsers(try required(ChatInfo.self))
                case .removedUsers: return .removedUsers(try required(ChatInfo.self))
                case .chatCleared: return .chatCleared(try payload(ChatReference.self)?.id)
                case .chatDeleted: return .chatDeleted(try payload(ChatReference.self)?.id)
                case .auxiliary: return .auxiliary(try required(AuxiliaryPayload.self))
                case .userUpdate: return .userUpdate(try required(UserInfo.self))
                }
            }
        }
    }

    /// Encodes the envelope as UTF-8 JSON, as `encode(encoder: .chatAPI())` does; a message of
    /// plain values is written by hand (`MessageJSON`).
    public func encode() throws -> Data {
        switch event {
        case .message(let m), .messageUpdate(let m):
            if let bytes = MessageJSON.envelope(event: event.name.rawValue, message: m, source: source.wireValue) { return Data(bytes) }
        default:
            break
        }
        return try encode(encoder: .chatAPI())
    }

    /// Encodes the envelope as UTF-8 JSON. A missing payload is written as `null`.
    public func encode(encoder: JSONEncoder) throws -> Data {
        let name = event.name.rawValue
        let source = source.wireValue
        switch event {
        case .message(let m), .messageUpdate(let m):
            return try encoder.encode(Body(event: name, source: source, payload: m))
        case .chatUpdate(let c), .addedUsers(let c), .removedUsers(let c):
            return try encoder.encode(Body(event: name, source: source, payload: c))
        case .chatCleared(let id), .chatDeleted(let id):
            return try encoder.encode(NullableBody(event: name, source: source, payload: id.map(ChatReference.init(id:))))
        case .auxiliary(let a):
            return try encoder.encode(Body(event: name, source: source, payload: a))
        case .userUpdate(let u):
            return try encoder.encode(Body(event: name, source: source, payload: u))
        }
    }

    /// Writes `"payload": null` explicitly, as the upstream does, instead of omitting it.
    private struct NullableBody<Payload: Codable>: Encodable {
        var event: String
        var source: String
        var payload: Payload?

        enum CodingKeys: String, CodingKey { case event, source, payload }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(event, forKey: .event)
            try c.encode(source, forKey: .source)
            if let payload { try c.encode(payload, forKey: .payload) } else { try c.encodeNil(forKey: .payload) }
        }
    }
}
