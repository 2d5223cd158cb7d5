import ChatAPI
import Foundation

/// Something that happened in a chat besides a message, as an event told it: shown as a dim
/// system line in the conversation.
public struct ChatNote: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case renamed, added, removed, left, imageSet, imageRemoved, cleared
    }

    public var id: Int64
    public var chatId: ChatID
    public var kind: Kind
    /// Who did it, where the event said (its source).
    public var actorId: UserID?
    /// Who was added or removed.
    public var userIds: [UserID]
    /// The new title, for a rename.
    public var detail: String?
    public var createdAt: Date

    public init(id: Int64 = 0, chatId: ChatID, kind: Kind, actorId: UserID?, userIds: [UserID] = [], detail: String? = nil, createdAt: Date) {
        self.id = id
        self.chatId = chatId
        self.kind = kind
        self.actorId = actorId
        self.userIds = userIds
        self.detail = detail
        self.createdAt = createdAt
    }
}
