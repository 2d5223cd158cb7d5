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
    /// [ours] the sender's name for the file, when the server keeps it.
    public var fileName: String?
    /// Whether the server said if the file is uploaded; without it (the upstream) it may be.
    public var fileExistsKnown: Bool

    public init(position: Int, mediaId: MediaID?, fileType: String, fileSize: Int, fileExists: Bool, previewExists: Bool,
                localPath: String?, transferDone: Int64, transferTotal: Int64, transferState: TransferState,
                fileName: String? = nil, fileExistsKnown: Bool = true) {
        self.fileName = fileName
        self.fileExistsKnown = fileExistsKnown
        self.position = position
        self.mediaId = mediaId
        self.fileType = fileType
        self.fileSize = fileSize
        self.fileExists = fileExists
        self.previewExists = previewExists
        self.localPath = localPath
        self.transferDone = transferDone
        self.transferTotal = transferTotal
        self.transferState = transferState
    }

    /// The stored file name on the server, once the media id is known.
    public var remoteFileName: String? { mediaId.map { "\($0.uuidString).\(fileType)" } }

    /// Whether asking the server for the file may work: it said so, or it says nothing.
    public var mayBeOnServer: Bool { mediaId != nil && (fileExists || !fileExistsKnown) }

    /// The name to show and to save under: the sender's, else the caption (made a file name),
    /// else `<id>.<type>`.
    public func displayName(caption: String?) -> String {
        if let name = fileName.flatMap(SafeFileName.make), !name.isEmpty { return name }
        if let caption = caption.flatMap(SafeFileName.make), !caption.isEmpty, caption.count <= 80 {
            return caption.hasSuffix("." + fileType) ? caption : caption + "." + fileType
        }
        return remoteFileName ?? "attachment.\(fileType)"
    }
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
    /// When each reader read it, where the server said.
    public var readAt: [UserID: Date] = [:]

    public var id: String { localId }
    public var isDeleted: Bool { deletedAt != nil }

    public init(chatId: ChatID, localId: String, serverId: MessageID?, authorId: UserID, text: String?, createdAt: Date, updatedAt: Date,
                editedAt: Date?, deletedAt: Date?, isVisible: Bool, state: DeliveryState, failureReason: String?,
                attachments: [CachedAttachment], readBy: [UserID]) {
        self.chatId = chatId
        self.localId = localId
        self.serverId = serverId
        self.authorId = authorId
        self.text = text
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.editedAt = editedAt
        self.deletedAt = deletedAt
        self.isVisible = isVisible
        self.state = state
        self.failureReason = failureReason
        self.attachments = attachments
        self.readBy = readBy
    }
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

    public init(id: ChatID, title: String?, isPersonal: Bool, ownerId: UserID, isMuted: Bool, isArchived: Bool, isBlocked: Bool,
                memberIds: [UserID], lastMessage: CachedMessage?, lastActivity: Date, unreadCount: Int, queuedCount: Int,
                failedCount: Int, images: [MediaInfo]) {
        self.id = id
        self.title = title
        self.isPersonal = isPersonal
        self.ownerId = ownerId
        self.isMuted = isMuted
        self.isArchived = isArchived
        self.isBlocked = isBlocked
        self.memberIds = memberIds
        self.lastMessage = lastMessage
        self.lastActivity = lastActivity
        self.unreadCount = unreadCount
        self.queuedCount = queuedCount
        self.failedCount = failedCount
        self.images = images
    }
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

extension ChatSummary {
    /// The chat's name as people see it: a group's title, or the other person in a personal chat.
    public func displayTitle(me: UserID, name: (UserID) -> String?) -> String {
        if !isPersonal { return title ?? "(untitled group)" }
        let other = memberIds.first { $0 != me } ?? me
        return name(other) ?? "user \(other)"
    }
}

/// A name from someone else made safe to save under: no folders, no control characters, no
/// leading dots (hidden files), at most 255 bytes.
public enum SafeFileName {
    public static func make(_ raw: String) -> String? {
        var name = String(raw.unicodeScalars.filter { $0 != "/" && $0 != "\\" && $0.properties.generalCategory != .control }
            .map(Character.init))
        name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        while name.hasPrefix(".") { name.removeFirst() }
        while name.utf8.count > 255 { name.removeLast() }
        return name.isEmpty ? nil : name
    }
}
