import ChatAPI
import Foundation
import Hummingbird

/// Typed access to path parameters; a malformed id is a 404 (no such thing), not a 500.
extension ChatRequestContext {
    func chatId() throws -> ChatID {
        guard let id = parameters.get("chatId").flatMap(UUID.init(uuidString:)) else { throw APIError.chatNotFound }
        return id
    }

    func messageId() throws -> MessageID {
        guard let id = parameters.get("messageId").flatMap(MessageID.init) else { throw APIError.messageNotFound }
        return id
    }

    func userId() throws -> UserID {
        guard let raw = parameters.get("userId"), let id = UserID(raw) else {
            throw APIError.notFound("No user with id \(parameters.get("userId") ?? "").")
        }
        return id
    }

    func mediaId() throws -> MediaID {
        guard let id = parameters.get("mediaId").flatMap(UUID.init(uuidString:)) else {
            throw APIError.notFound("No such image.")
        }
        return id
    }
}

extension Request {
    func decodeJSON<T: Decodable>(_ type: T.Type, context: ChatRequestContext) async throws -> T {
        try await context.requestDecoder.decode(type, from: self, context: context)
    }
}
