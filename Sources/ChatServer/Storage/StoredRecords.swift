import ChatAPI
import Foundation

/// Plain values the repository hands to services. They carry no SQL and no wire policy:
/// services turn them into `ChatAPI` types for a particular caller.

struct StoredUser: Sendable, Hashable {
    var id: UserID
    var name: String
    var username: String
    var passwordHash: String
    var about: String?
    var lastSeen: Date?
    var createdAt: Date
}

struct StoredSession: Sendable, Hashable {
    var id: UUID
    var userId: UserID
    var ipAddress: String?
    var createdAt: Date
    var updatedAt: Date
    var device: DeviceInfo
}

/// See `ChatRepository.postingContext`.
struct PostingContext: Sendable {
    var chat: StoredChat
    var isMember: Bool
    var isBlockedFromPosting: Bool
    var settings: [UserID: StoredChatSettings]

    /// What the posting rules look at, for `author`.
    func checks(for author: UserID) -> PostingChecks {
        PostingChecks(
            isMember: isMember, isBlockedFromPosting: isBlockedFromPosting,
            blockedByAuthor: chat.isPersonal && settings[author]?.isBlocked == true,
            blockedByOther: chat.isPersonal && settings.contains { $0.key != author && $0.value.isBlocked }
        )
    }
}

/// Whether an author may post into a chat, as the posting rules see it (see `MessageService`).
struct PostingChecks: Sendable, Equatable {
    var isMember: Bool
    /// The chat's owner blocked the author from posting.
    var isBlockedFromPosting: Bool
    /// A personal chat the author blocked.
    var blockedByAuthor: Bool
    /// A personal chat the other person blocked.
    var blockedByOther: Bool

    var allowPosting: Bool { isMember && !isBlockedFromPosting && !blockedByAuthor && !blockedByOther }
}

/// What `ChatRepository.postText` did: refused it (the chat is missing, or the checks say no),
/// or stored it (or found it stored under its `localId`) with the chat's audience.
enum TextPostOutcome: Sendable {
    case noSuchChat
    case refused(PostingChecks)
    /// `othersNotified`: the statement sent the other instances the notification it was given.
    case stored(StoredMessage, created: Bool, audience: [UserID], othersNotified: Bool)
}

struct StoredChat: Sendable, Hashable {
    var id: ChatID
    var title: String?
    var isPersonal: Bool
    var ownerId: UserID
    var createdAt: Date
    var updatedAt: Date
}

/// One participant's own flags for a chat.
struct StoredChatSettings: Sendable, Hashable {
    var isMuted = false
    var isArchived = false
    var isRemovedOnDevice = false
    var isBlocked = false
}

struct StoredMedia: Sendable, Hashable {
    var id: MediaID
    var fileType: String
    var fileSize: Int
    var previewWidth: Int?
    var previewHeight: Int?
    var createdAt: Date
    var fileExists: Bool
    var previewExists: Bool
    /// [ours] the sender's file name, for attachments.
    var fileName: String? = nil
}

struct StoredReadMark: Sendable, Hashable {
    var id: UUID
    var userId: UserID
    var createdAt: Date
}

struct StoredMessage: Sendable, Hashable {
    var id: MessageID
    var localId: String
    var chatId: ChatID
    var authorId: UserID
    var text: String?
    var isVisible: Bool
    var createdAt: Date
    var updatedAt: Date
    var editedAt: Date?
    var deletedAt: Date?
    var attachments: [StoredMedia]
    var readMarks: [StoredReadMark]
}

extension StoredMessage {
    /// `new` as just stored under `id`: no edits, no read marks yet.
    init(_ new: NewMessage, id: MessageID) {
        self.init(
            id: id, localId: new.localId, chatId: new.chatId, authorId: new.authorId, text: new.text,
            isVisible: new.isVisible, createdAt: new.now, updatedAt: new.now, editedAt: nil, deletedAt: nil,
            attachments: new.attachment.map { [$0] } ?? [], readMarks: []
        )
    }
}

/// A new message as a service asks the repository to store it.
struct NewMessage: Sendable {
    var chatId: ChatID
    var authorId: UserID
    var localId: String
    var text: String?
    var isVisible: Bool
    var attachment: StoredMedia?
    var now: Date
}

/// A change to a message; nil fields are left as they are.
struct MessageChange: Sendable {
    var text: String?
    var isVisible: Bool?
    var fileExists: Bool?
    var previewExists: Bool?
    var now: Date
}

/// A change to one participant's chat flags; nil fields are left as they are.
struct SettingsChange: Sendable {
    var isMuted: Bool?
    var isArchived: Bool?
    var isRemovedOnDevice: Bool?
    var isBlocked: Bool?
}
