import ChatAPI
import ChatModel
import Foundation

/// The command line: a typed `/command` turned into what it asks for. Account and app commands
/// work without a chat (a new account has none); the others act on the open chat.
enum CommandRunner {
    /// `near`: the chat `/settings` opens on (the open one, else the selected one).
    static func run(_ command: Command, chat: ChatSummary?, near: ChatID?, conversation: ConversationState, me: UserID) -> [PaneEvent] {
        if case .settings = command { return [.settings(chat: near)] }
        if let events = runWithoutChat(command) { return events }
        guard let chat else { return [.notice(Said.openAChatFirst, isError: true)] }
        return runInChat(command, chat, conversation, me)
    }

    /// Commands that need no chat; nil for the ones that do.
    static func runWithoutChat(_ command: Command) -> [PaneEvent]? {
        switch command {
        case .newChat(let user): [.effect(.createChat(usernames: [user], title: nil))]
        case .group(let title, let users): [.effect(.createChat(usernames: users, title: title))]
        case .name(let name): [.effect(.updateProfile(name: name, about: nil))]
        case .about(let about): [.effect(.updateProfile(name: nil, about: about))]
        case .password: [.ask(.currentPassword, "Current password:", text: "")]
        case .device(let name): [.effect(.renameDevice(name))]
        case .logout: [.confirm(.logout, chat: nil)]
        case .reconnect: [.effect(.reconnect)]
        case .showArchived: [.toggleArchive]
        case .doNotDisturb: [.toggleDoNotDisturb]
        case .nextUnread: [.nextUnread]
        case .search(let text): [.search(text)]
        case .help: [.help]
        case .quit: [.quit]
        default: nil
        }
    }

    static func runInChat(_ command: Command, _ summary: ChatSummary, _ conversation: ConversationState, _ me: UserID) -> [PaneEvent] {
        let chat = summary.id
        switch command {
        case .attach(let path): return [.effect(.sendFile(chat, path: expandTilde(path), caption: nil))]
        case .archive(let on): return [.effect(.chatSettings(chat, ChatSettingsRequest(isArchived: on)))]
        case .mute(let on): return [.effect(.chatSettings(chat, ChatSettingsRequest(isMuted: on)))]
        case .removeFromDevice: return [.confirm(.removeFromDevice, chat: chat)]
        case .rename(let title): return [.effect(.renameChat(chat, title))]
        case .add(let users): return [.effect(.addUsers(chat, usernames: users))]
        case .kick(let users): return [.effect(.removeUsers(chat, usernames: users))]
        case .blockChat(let on): return on ? [.confirm(.blockChat, chat: chat)] : [.effect(.blockChat(chat, false))]
        case .blockUser(let user, let on): return [.effect(.blockUser(chat, username: user, on))]
        case .blocked: return [.effect(.loadBlockedUsers(chat))]
        case .clear: return [.confirm(.clear, chat: chat)]
        case .delete: return [.confirm(.deleteChat, chat: chat)]
        case .leave: return [.confirm(.leave, chat: chat)]
        case .edit(let text):
            guard conversation.lastOwn(me) != nil else { return [.notice(Said.noOwnMessageToEdit, isError: true)] }
            return [.effect(.editLastMessage(chat, text: text))]
        case .deleteLast:
            guard let mine = conversation.lastOwn(me) else { return [.notice(Said.noOwnMessageToDelete, isError: true)] }
            return [.confirm(.deleteMessage(localId: mine.localId, text: mine.text ?? ""), chat: chat)]
        case .retry:
            guard let failed = conversation.messages.last(where: { $0.state == .failed }) else { return [.notice(Said.nothingFailed, isError: false)] }
            return [.effect(.retry(chat, localId: failed.localId))]
        case .discard:
            guard let pending = conversation.messages.last(where: { $0.state != .sent }) else { return [.notice(Said.nothingWaiting, isError: false)] }
            return [.effect(.discard(chat, localId: pending.localId))]
        case .save(let back, let path):
            let saveable = conversation.messages.filter { $0.attachments.contains(where: \.mayBeOnServer) }
            guard saveable.count >= back else {
                return [.notice(saveable.isEmpty ? "No attachment here to save." : "There are only \(saveable.count) attachments here.", isError: true)]
            }
            return [.effect(.download(chat, localId: saveable[saveable.count - back].localId, to: path.map(expandTilde)))]
        case .image(let path): return [.effect(.setChatImage(chat, path: expandTilde(path)))]
        case .removeImage:
            guard let image = summary.images.first else { return [.notice(Said.chatHasNoImage, isError: true)] }
            return [.effect(.removeChatImage(chat, image.id))]
        default:
            return []  // handled by runWithoutChat
        }
    }

    static func expandTilde(_ path: String) -> String {
        (path.trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
    }
}
