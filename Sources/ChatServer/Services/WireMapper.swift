import ChatAPI
import Foundation

/// Turns stored values into the protocol's objects, for one caller.
struct WireMapper: Sendable {
    let repository: any ChatRepository

    static func user(_ user: StoredUser) -> UserInfo {
        UserInfo(id: user.id, name: user.name, username: user.username, about: user.about, lastSeen: user.lastSeen)
    }

    static func media(_ media: StoredMedia, withFlags: Bool) -> MediaInfo {
        MediaInfo(
            id: media.id, fileType: media.fileType, fileSize: media.fileSize, previewWidth: media.previewWidth,
            previewHeight: media.previewHeight, createdAt: media.createdAt,
            fileExists: withFlags ? media.fileExists : nil, previewExists: withFlags ? media.previewExists : nil,
            fileName: media.fileName
        )
    }

    static func message(_ message: StoredMessage, users: [UserID: StoredUser]) -> MessageInfo {
        let marks = message.readMarks.compactMap { mark in
            users[mark.userId].map { ReadMark(id: mark.id, user: user($0), createdAt: mark.createdAt) }
        }
        return MessageInfo(
            id: message.id, localId: message.localId, chatId: message.chatId, authorId: message.authorId,
            text: message.text, createdAt: message.createdAt, updatedAt: message.updatedAt, editedAt: message.editedAt,
            deletedAt: message.deletedAt, isVisible: message.isVisible,
            attachments: message.attachments.isEmpty ? nil : message.attachments.map { media($0, withFlags: true) },
            readMarks: marks.isEmpty ? nil : marks
        )
    }

    func messages(_ messages: [StoredMessage]) async throws -> [MessageInfo] {
        let readers = messages.flatMap { $0.readMarks.map(\.userId) }
        let users = try await repository.users(ids: readers)
        return messages.map { Self.message($0, users: users) }
    }

    func message(_ message: StoredMessage) async throws -> MessageInfo {
        try await messages([message])[0]
    }

    /// What a chat looks like to each of `viewers`: the same chat with each one's own flags.
    /// `full` adds `allUsers`.
    func chats(
        _ chat: StoredChat, for viewers: [UserID], full: Bool = true,
        addedUsers: [UserID]? = nil, removedUsers: [UserID]? = nil
    ) async throws -> [UserID: ChatInfo] {
        let members = try await repository.memberIds(chatId: chat.id)
        let users = try await repository.users(ids: members + [chat.ownerId] + (addedUsers ?? []) + (removedUsers ?? []))
        let settings = try await repository.settings(chatId: chat.id)
        let last = try await repository.lastMessages(chatIds: [chat.id])[chat.id]
        let lastInfo: MessageInfo? = if let last { try await message(last) } else { nil }
        let images = try await repository.chatImages(chatId: chat.id).map { Self.media($0, withFlags: false) }
        guard let owner = users[chat.ownerId] else { throw StorageError.notFound }
        var result: [UserID: ChatInfo] = [:]
        for viewer in viewers {
            let flags = settings[viewer] ?? StoredChatSettings()
            result[viewer] = ChatInfo(
                id: chat.id, title: chat.title, isPersonal: chat.isPersonal, owner: Self.user(owner),
                allUsers: full ? members.compactMap { users[$0] }.map(Self.user) : nil,
                addedUsers: addedUsers.map { $0.compactMap { users[$0] }.map(Self.user) },
                removedUsers: removedUsers.map { $0.compactMap { users[$0] }.map(Self.user) },
                lastMessage: lastInfo, images: images.isEmpty ? nil : images,
                isMuted: flags.isMuted, isArchived: flags.isArchived, isBlocked: flags.isBlocked
            )
        }
        return result
    }

    func chat(_ chat: StoredChat, for viewer: UserID, full: Bool = true, addedUsers: [UserID]? = nil, removedUsers: [UserID]? = nil) async throws -> ChatInfo {
        guard let info = try await chats(chat, for: [viewer], full: full, addedUsers: addedUsers, removedUsers: removedUsers)[viewer] else {
            throw StorageError.notFound
        }
        return info
    }
}
