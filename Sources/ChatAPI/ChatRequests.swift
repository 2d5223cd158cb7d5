import Foundation

/// `POST /chats`.
public struct CreateChatRequest: Codable, Hashable, Sendable {
    public var title: String?
    public var participants: [UserID]
    /// `true` if omitted and there are two people in all.
    public var isPersonal: Bool?

    public init(title: String? = nil, participants: [UserID], isPersonal: Bool? = nil) {
        self.title = title
        self.participants = participants
        self.isPersonal = isPersonal
    }
}

/// `PUT /chats/<id>`.
public struct UpdateChatRequest: Codable, Hashable, Sendable {
    public var title: String

    public init(title: String) {
        self.title = title
    }
}

/// `PUT /chats/<id>/settings`: the caller's own flags; absent ones are left as they are.
public struct ChatSettingsRequest: Codable, Hashable, Sendable {
    public var isMuted: Bool?
    public var isArchived: Bool?
    public var isRemovedOnDevice: Bool?

    public init(isMuted: Bool? = nil, isArchived: Bool? = nil, isRemovedOnDevice: Bool? = nil) {
        self.isMuted = isMuted
        self.isArchived = isArchived
        self.isRemovedOnDevice = isRemovedOnDevice
    }
}

/// `POST /chats/<id>/images`.
public struct AddChatImageRequest: Codable, Hashable, Sendable {
    public var image: MediaInfo

    public init(image: MediaInfo) {
        self.image = image
    }
}

/// `POST /chats/<id>/users` and `DELETE /chats/<id>/users`.
public struct ChatUsersRequest: Codable, Hashable, Sendable {
    public var users: [UserID]

    public init(users: [UserID]) {
        self.users = users
    }
}
