import ChatAPI
import ChatStore
import Foundation

/// What an event (or a change of ours the server accepted) tells happened in a chat, as
/// notes for the conversation: pure, from the chat as cached before and as it is now.
enum ChatNoteRules {
    static func notes(for event: ChatEvent, source: EventSource, before: ChatFacts?, at date: Date) -> [ChatNote] {
        let actor: UserID? = if case .user(let id) = source { id } else { nil }
        switch event {
        case .chatUpdate(let chat):
            guard let before else { return [] }
            var notes: [ChatNote] = []
            if !chat.isPersonal, let title = chat.title, title != before.title {
                notes.append(ChatNote(chatId: chat.id, kind: .renamed, actorId: actor, detail: title, createdAt: date))
            }
            if let images = chat.images {
                let now = Set(images.map(\.id))
                if !now.subtracting(before.imageIds).isEmpty {
                    notes.append(ChatNote(chatId: chat.id, kind: .imageSet, actorId: actor, createdAt: date))
                } else if now.isEmpty, !before.imageIds.isEmpty {
                    notes.append(ChatNote(chatId: chat.id, kind: .imageRemoved, actorId: actor, createdAt: date))
                }
            }
            return notes
        case .addedUsers(let chat):
            let added = (chat.addedUsers ?? []).map(\.id).filter { !(before?.memberIds.contains($0) ?? false) }
            return added.isEmpty ? [] : [ChatNote(chatId: chat.id, kind: .added, actorId: actor, userIds: added, createdAt: date)]
        case .removedUsers(let chat):
            let removed = (chat.removedUsers ?? []).map(\.id)
            guard !removed.isEmpty else { return [] }
            // Someone removing only themselves left.
            let left = removed == [actor]
            return [ChatNote(chatId: chat.id, kind: left ? .left : .removed, actorId: actor, userIds: removed, createdAt: date)]
        case .chatCleared(let id?):
            return [ChatNote(chatId: id, kind: .cleared, actorId: actor, createdAt: date)]
        default:
            return []
        }
    }

    /// The note for a change of ours the server has just accepted.
    static func note(for intent: Intent, in chat: ChatID, me: UserID, at date: Date) -> ChatNote? {
        switch intent {
        case .rename(let title): ChatNote(chatId: chat, kind: .renamed, actorId: me, detail: title, createdAt: date)
        case .setImage: ChatNote(chatId: chat, kind: .imageSet, actorId: me, createdAt: date)
        case .removeImage: ChatNote(chatId: chat, kind: .imageRemoved, actorId: me, createdAt: date)
        case .addUsers(let users): ChatNote(chatId: chat, kind: .added, actorId: me, userIds: users, createdAt: date)
        case .removeUsers(let users): ChatNote(chatId: chat, kind: .removed, actorId: me, userIds: users, createdAt: date)
        case .clear: ChatNote(chatId: chat, kind: .cleared, actorId: me, createdAt: date)
        default: nil
        }
    }
}
