import ChatAPI
import Foundation

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
    /// Why the last attempt did not deliver it (nil before one failed).
    public var lastError: String? = nil
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
