import Foundation

/// A chat as one participant sees it: `isMuted`, `isArchived` and `isBlocked` are the
/// caller's own settings.
public struct ChatInfo: Codable, Hashable, Sendable {
    public var id: ChatID
    public var title: String?
    public var isPersonal: Bool
    public var owner: UserInfo
    /// Present on single chat reads and with `full=1`.
    public var allUsers: [UserInfo]?
    public var addedUsers: [UserInfo]?
    public var removedUsers: [UserInfo]?
    public var lastMessage: MessageInfo?
    public var images: [MediaInfo]?
    public var isMuted: Bool
    public var isArchived: Bool
    public var isBlocked: Bool

    public init(
        id: ChatID, title: String?, isPersonal: Bool, owner: UserInfo, allUsers: [UserInfo]? = nil,
        addedUsers: [UserInfo]? = nil, removedUsers: [UserInfo]? = nil, lastMessage: MessageInfo? = nil,
        images: [MediaInfo]? = nil, isMuted: Bool = false, isArchived: Bool = false, isBlocked: Bool = false
    ) {
        self.id = id
        self.title = title
        self.isPersonal = isPersonal
        self.owner = owner
        self.allUsers = allUsers
        self.addedUsers = addedUsers
        self.removedUsers = removedUsers
        self.lastMessage = lastMessage
        self.images = images
        self.isMuted = isMuted
        self.isArchived = isArchived
        self.isBlocked = isBlocked
    }

    /// Missing flags read as `false`, so a terse server reply still decodes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(ChatID.self, forKey: .id)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        isPersonal = try c.decodeIfPresent(Bool.self, forKey: .isPersonal) ?? false
        owner = try c.decode(UserInfo.self, forKey: .owner)
        allUsers = try c.decodeIfPresent([UserInfo].self, forKey: .allUsers)
        addedUsers = try c.decodeIfPresent([UserInfo].self, forKey: .addedUsers)
        removedUsers = try c.decodeIfPresent([UserInfo].self, forKey: .removedUsers)
        lastMessage = try c.decodeIfPresent(MessageInfo.self, forKey: .lastMessage)
        images = try c.decodeIfPresent([MediaInfo].self, forKey: .images)
        isMuted = try c.decodeIfPresent(Bool.self, forKey: .isMuted) ?? false
        isArchived = try c.decodeIfPresent(Bool.self, forKey: .isArchived) ?? false
        isBlocked = try c.decodeIfPresent(Bool.self, forKey: .isBlocked) ?? false
    }
}
