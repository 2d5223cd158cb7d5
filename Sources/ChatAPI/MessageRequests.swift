import Foundation

/// The attachment announced when posting a message; the server assigns its media id.
public struct AttachmentRequest: Codable, Hashable, Sendable {
    public var fileType: String
    public var fileSize: Int
    /// [ours] the file's name on the sender's disk; returned on the attachment as sent.
    public var fileName: String?

    public init(fileType: String, fileSize: Int, fileName: String? = nil) {
        self.fileType = fileType
        self.fileSize = fileSize
        self.fileName = fileName
    }
}

/// `POST /chats/<id>/messages`.
public struct PostMessageRequest: Codable, Hashable, Sendable {
    public var localId: String
    public var text: String?
    public var isVisible: Bool?
    public var attachment: AttachmentRequest?

    public init(localId: String, text: String? = nil, isVisible: Bool? = nil, attachment: AttachmentRequest? = nil) {
        self.localId = localId
        self.text = text
        self.isVisible = isVisible
        self.attachment = attachment
    }
}

/// `PUT /chats/<id>/messages/<mid>`. The upstream answers 400 unless both file flags are
/// present, so the client always sends both.
public struct UpdateMessageRequest: Codable, Hashable, Sendable {
    public var text: String?
    public var isVisible: Bool?
    public var fileExists: Bool?
    public var previewExists: Bool?

    public init(text: String? = nil, isVisible: Bool? = nil, fileExists: Bool? = nil, previewExists: Bool? = nil) {
        self.text = text
        self.isVisible = isVisible
        self.fileExists = fileExists
        self.previewExists = previewExists
    }
}

/// Where a notification goes: `POST /chats/<id>/notify`'s `realm`.
public enum NotifyRealm: String, Codable, Hashable, Sendable {
    case webSocket
    case push
    case all
}

/// `POST /chats/<id>/notify`: ephemeral data (typing, animations); nothing is stored.
public struct NotifyRequest: Codable, Hashable, Sendable {
    public var name: String
    public var text: String?
    public var realm: NotifyRealm
    /// Base64 of a JSON object, as the upstream takes it.
    public var data: String?

    public init(name: String, text: String? = nil, realm: NotifyRealm = .webSocket, data: String? = nil) {
        self.name = name
        self.text = text
        self.realm = realm
        self.data = data
    }
}

/// Names of the typing notifications carried by `auxiliary` events.
public enum TypingNotification {
    public static let started = "typing_started"
    public static let stopped = "typing_stopped"
    /// A typing state ends on its own this long after the last renewal.
    public static let expirySeconds: Double = 6
}
