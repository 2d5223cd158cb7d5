import ChatAPI
import ChatStore
import Foundation
import TerminalUI

extension Reducer {
    /// Turns a `/command` into effects. Account and app commands work without a chat (a new
    /// account has none); the others act on the open chat.
    static func run(_ command: Command, _ state: inout AppState, _ chat: ChatID?) -> [Effect] {
        if let effects = runWithoutChat(command, &state) { return effects }
        guard let chat else {
            state.notice = Notice(text: "Open a chat first: that command acts on the open chat.", isError: true)
            return []
        }
        return runInChat(command, &state, chat)
    }

    /// Commands that need no chat; nil for the ones that do.
    static func runWithoutChat(_ command: Command, _ state: inout AppState) -> [Effect]? {
        switch command {
        case .newChat(let user): return [.createChat(usernames: [user], title: nil)]
        case .group(let title, let users): return [.createChat(usernames: users, title: title)]
        case .name(let name): return [.updateProfile(name: name, about: nil)]
        case .about(let about): return [.updateProfile(name: nil, about: about)]
        case .password: return ask(.currentPassword, "Current password:", &state)
        case .device(let name): return [.renameDevice(name)]
        case .logout: return confirm(.logout, chat: nil, &state)
        case .showArchived:
            state.showArchived.toggle()
            state.selectedChatId = visibleChats(state).first?.id
            return []
        case .settings:
            enterSettings(&state, chat: state.openChatId ?? state.selectedChatId)
            return []
        case .help:
            state.overlay = .help
            state.helpOffset = 0
            return []
        case .quit:
            return quit(&state)
        default:
            return nil
        }
    }

    static func runInChat(_ command: Command, _ state: inout AppState, _ chat: ChatID) -> [Effect] {
        switch command {
        case .attach(let path): return [.sendFile(chat, path: expandTilde(path), caption: nil)]
        case .archive(let on): return [.chatSettings(chat, ChatSettingsRequest(isArchived: on))]
        case .mute(let on): return [.chatSettings(chat, ChatSettingsRequest(isMuted: on))]
        case .removeFromDevice: return confirm(.removeFromDevice, chat: chat, &state)
        case .rename(let title): return [.renameChat(chat, title)]
        case .add(let users): return [.addUsers(chat, usernames: users)]
        case .kick(let users): return [.removeUsers(chat, usernames: users)]
        case .blockChat(let on): return on ? confirm(.blockChat, chat: chat, &state) : [.blockChat(chat, false)]
        case .blockUser(let user, let on): return [.blockUser(chat, username: user, on)]
        case .blocked: return [.loadBlockedUsers(chat)]
        case .clear: return confirm(.clear, chat: chat, &state)
        case .delete: return confirm(.deleteChat, chat: chat, &state)
        case .leave: return confirm(.leave, chat: chat, &state)
        case .edit(let text):
            guard lastOwn(state) != nil else {
                state.notice = Notice(text: "You have no message here to edit.", isError: true)
                return []
            }
            return [.editLastMessage(chat, text: text)]
        case .deleteLast:
            guard let mine = lastOwn(state) else {
                state.notice = Notice(text: "You have no message here to delete.", isError: true)
                return []
            }
            return confirm(.deleteMessage(localId: mine.localId, text: mine.text ?? ""), chat: chat, &state)
        case .retry:
            guard let failed = state.messages.last(where: { $0.state == .failed }) else {
                state.notice = Notice(text: "Nothing failed here.", isError: false)
                return []
            }
            return [.retry(chat, localId: failed.localId)]
        case .discard:
            guard let pending = state.messages.last(where: { $0.state != .sent }) else {
                state.notice = Notice(text: "Nothing is waiting here.", isError: false)
                return []
            }
            return [.discard(chat, localId: pending.localId)]
        case .save(let back, let path):
            let saveable = state.messages.filter { $0.attachments.contains(where: \.mayBeOnServer) }
            guard saveable.count >= back else {
                state.notice = Notice(text: saveable.isEmpty ? "No attachment here to save." : "There are only \(saveable.count) attachments here.", isError: true)
                return []
            }
            return [.download(chat, localId: saveable[saveable.count - back].localId, to: path.map(expandTilde))]
        case .image(let path): return [.setChatImage(chat, path: expandTilde(path))]
        case .removeImage:
            guard let image = state.openChat?.images.first else {
                state.notice = Notice(text: "This chat has no image.", isError: true)
                return []
            }
            return [.removeChatImage(chat, image.id)]
        default:
            return []  // handled by runWithoutChat
        }
    }

    static func expandTilde(_ path: String) -> String {
        (path.trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
    }
}
