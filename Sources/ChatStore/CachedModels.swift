import ChatAPI
import Foundation

/// Where an outgoing message stands. Server messages are `.sent`.
public enum DeliveryState: String, Sendable, Hashable, Codable {
    case sent
    case queued
    case failed
}

/// Where an attachment's bytes stand on this device.
public enum TransferState: String, Sendable, Hashable, Codable {
    case none
    case uploading
    case uploaded
    case downloading
    case downloaded
    case failed
}

public struct CachedAttachment: Sendable, Hashable {
    public var position: Int
    public var mediaId: MediaID?
    public var fileType: String
    public var fileSize: Int
    public var fileExists: Bool
    public var previewExists: Bool
    public var localPath: String?
    public var transferDone: Int64
    public var transferTotal: Int64
    public var transferState: TransferState

    /// The stored file name on the server, once the media id is known.
    public var remoteFileName: String? { mediaId.map { "\($0.uuidString).\(fileType)" } }
}

/// A message as the cache holds it: from the server, or queued here.
public struct CachedMessage: Sendable, Hashable, Identifiable {
    public var chatId: ChatID
    public var localId: String
    public var serverId: MessageID?
    public var authorId: UserID
    public var text: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var editedAt: Date?
    public var deletedAt: Date?
    public var isVisible: Bool
    public var state: DeliveryState
    public var failureReason: String?
    public var attachments: [CachedAttachment]
    public var readBy: [UserID]

    public var id: String { localId }
    public var isDeleted: Bool { deletedAt != nil }
}

/// One row of the chat list.
public struct ChatSummary: Sendable, Hashable, Identifiable {
    public var id: ChatID
    public var title: String?
    public var isPersonal: Bool
    public var ownerId: UserID
    public var isMuted: Bool
    public var isArchived: Bool
    public var isBlocked: Bool
    public var memberIds: [UserID]
    public var lastMessage: CachedMessage?
    public var lastActivity: Date
    public var unreadCount: Int
    public var queuedCount: Int
    public var failedCount: Int
    public var images: [MediaInfo]
}

/// A queued outgoing message, as the outbox worker sees it.
public struct OutboxItem: Sendable, Hashable {
    public var seq: Int64
    public var chatId: ChatID
    public var localId: String
    public var text: String?
    public var isVisible: Bool
    public var attempts: Int
    public var nextAttemptAt: Date
    public var filePath: String?
    public var fileType: String?
    public var fileSize: Int?
}

/// A file to upload for a message that is already on the server.
public struct UploadJob: Sendable, Hashable {
    public enum Stage: String, Sendable { case upload, markExists }
    public var mediaId: MediaID
    public var chatId: ChatID
    public var localId: String
    public var serverId: MessageID
    public var filePath: String
    public var fileType: String
    public var stage: Stage
    public var attempts: Int
    public var nextAttemptAt: Date
}

/// An interval of server message ids of one chat known to be complete in the cache.
public struct HistoryRange: Sendable, Hashable {
    public var low: MessageID
    public var high: MessageID

    public init(low: MessageID, high: MessageID) {
        self.low = low
        self.high = high
    }
}
