import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// New messages elsewhere: what rings, mentions, the next unread chat, do not disturb.
extension Reducer {
    /// Chats whose unread count grew, other than the one on screen, and that may ring: not
    /// muted and not in do-not-disturb, unless the new message mentions you. The first list
    /// (nothing known before) notifies nothing. Chats with a new mention are marked.
    static func newMessageNotifications(old: [ChatSummary], new: [ChatSummary], state: inout AppState) -> [Effect] {
        let unreadNow = Set(new.filter { $0.unreadCount > 0 }.map(\.id))
        state.mentionedChats.formIntersection(unreadNow)
        guard !old.isEmpty else { return [] }
        let before = Dictionary(old.map { ($0.id, $0.unreadCount) }, uniquingKeysWith: { a, _ in a })
        return new.compactMap { chat in
            guard chat.unreadCount > (before[chat.id] ?? 0), chat.id != state.openChatId,
                  let last = chat.lastMessage, last.authorId != state.me.id else { return nil }
            let mentioned = !last.isDeleted && Mentions.mention(state.me, in: last.text ?? "")
            if mentioned { state.mentionedChats.insert(chat.id) }
            let rules = state.alerts
            let silenced = chat.isMuted || rules.doNotDisturb
            guard !silenced || (mentioned && (rules.mentionsInMutedChats || !chat.isMuted)) else { return nil }
            let author = state.name(of: last.authorId)
            let text = last.text?.isEmpty == false ? last.text! : (last.attachments.isEmpty ? "" : "📎 \(last.attachments[0].fileType)")
            var title = chat.isPersonal ? author : "\(author) in \(state.title(of: chat))"
            if mentioned { title = chat.isPersonal ? "\(author) mentioned you" : "\(author) mentioned you in \(state.title(of: chat))" }
            return .notifyNewMessage(chat.id, title: title, body: text, count: chat.unreadCount - (before[chat.id] ?? 0))
        }
    }

    /// The next chat to read: unread, not the open one, the most recent first, muted and
    /// archived ones last.
    static func nextUnreadChat(_ state: AppState) -> ChatSummary? {
        state.chats.filter { $0.unreadCount > 0 && $0.id != state.openChatId }
            .sorted { a, b in
                let (quietA, quietB) = (a.isMuted || a.isArchived, b.isMuted || b.isArchived)
                return quietA != quietB ? !quietA : a.lastActivity > b.lastActivity
            }
            .first
    }

    static func jumpToUnread(_ state: inout AppState) -> [Effect] {
        guard let chat = nextUnreadChat(state) else {
            state.notice = Notice(text: Said.noUnread, isError: false)
            return []
        }
        if state.list.showArchived != chat.isArchived { state.list.toggleArchive(state.chats, title: state.title(of:)) }
        return open(&state, chat.id, focus: .compose)
    }

    /// The search of the open chat starts with it named: `in:@bob ` or `in:"Trip" `.
    static func inChatFilter(_ state: AppState) -> String {
        guard let chat = state.openChat else { return "" }
        if chat.isPersonal, let other = chat.memberIds.first(where: { $0 != state.me.id }).flatMap({ state.users[$0] }) {
            return "in:@\(other.username) "
        }
        return chat.title.map { "in:\"\($0.replacingOccurrences(of: "\"", with: ""))\" " } ?? "in:\(chat.id.uuidString) "
    }

    static func toggleDoNotDisturb(_ state: inout AppState) -> [Effect] {
        state.alerts.doNotDisturb.toggle()
        let text = state.alerts.doNotDisturb ? "Do not disturb: only mentions of you ring." : "Do not disturb is off."
        state.notice = Notice(text: text, isError: false)
        return []
    }
}
