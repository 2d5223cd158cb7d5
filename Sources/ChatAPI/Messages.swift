import Foundation

/// Someone's read mark on a message.
public struct ReadMark: Codable, Hashable, Sendable {
    public var id: UUID
    public var user: UserInfo
    public var createdAt: Date

    public init(id: UUID, user: UserInfo, createdAt: Date) {
        self.id = id
        self.user = user
        self.createdAt = createdAt
    }
}

/// A message as the server stores it.
public struct MessageInfo: Codable, Hashable, Sendable {
    public var id: MessageID
    public var localId: String
    public var chatId: ChatID
    public var authorId: UserID
    public var text: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var editedAt: Date?
    public var deletedAt: Date?
    public var isVisible: Bool
    public var attachments: [MediaInfo]?
    public var readMarks: [ReadMark]?

    public init(
        id: MessageID, localId: String, chatId: ChatID, authorId: UserID, text: String?, createdAt: Date,
        updatedAt: Date, editedAt: Date? = nil, deletedAt: Date? = nil, isVisible: Bool = true,
        attachments: [MediaInfo]? = nil, readMarks: [ReadMark]? = nil
    ) {
        self.id = id
        self.localId = localId
        self.chatId = chatId
        self.authorId = authorId
        self.text = text
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.editedAt = editedAt
        self.deletedAt = deletedAt
        self.isVisible = isVisible
        self.attachments = attachments
        self.readMarks = readMarks
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(MessageID.self, forKey: .id)
        localId = try c.decodeIfPresent(String.self, forKey: .localId) ?? ""
        chatId = try c.decode(ChatID.self, forKey: .chatId)
        authorId = try c.decode(UserID.self, forKey: .authorId)
        text = try c.decodeIfPresent(String.self, forKey: .text)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        updatedAt = try c.decodeIfPresent(Date.self, forKey: .updatedAt) ?? createdAt
        editedAt = try c.decodeIfPresent(Date.self, forKey: .editedAt)
        deletedAt = try c.decodeIfPresent(Date.self, forKey: .deletedAt)
        isVisible = try c.decodeIfPresent(Bool.self, forKey: .isVisible) ?? true
        attachments = try c.decodeIfPresent([MediaInfo].self, forKey: .attachments)
        readMarks = try c.decodeIfPresent([ReadMark].self, forKey: .readMarks)
    }
}
