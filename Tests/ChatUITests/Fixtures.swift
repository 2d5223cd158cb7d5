import ChatAPI
import ChatStore
import ChatUI
import Foundation
import Testing
import TerminalUI

/// A small, fixed world for reducer and screen tests.
enum Fixtures {
    static let me = UserInfo(id: 1, name: "Alice", username: "alice1")
    static let bob = UserInfo(id: 2, name: "Bob", username: "bobby1")
    static let carol = UserInfo(id: 3, name: "Carol 李", username: "carol1")
    static let personal = UUID(uuidString: "00000000-0000-0000-0000-0000000000A1")!
    static let group = UUID(uuidString: "00000000-0000-0000-0000-0000000000B2")!
    static let archived = UUID(uuidString: "00000000-0000-0000-0000-0000000000C3")!
    /// 2026-11-25 10:00 UTC, shown in the test process's time zone (UTC under `swift test` here).
    static let base = Date(timeIntervalSince1970: 1_795_600_800)

    static func message(_ id: Int, in chat: ChatID = personal, from author: UserID, _ text: String, minutes: Double = 0,
                        state: DeliveryState = .sent) -> CachedMessage {
        let date = base.addingTimeInterval(minutes * 60)
        return CachedMessage(
            chatId: chat, localId: "\(author)+\(id)", serverId: state == .sent ? id : nil, authorId: author, text: text,
            createdAt: date, updatedAt: date, editedAt: nil, deletedAt: nil, isVisible: true, state: state,
            failureReason: state == .failed ? "Too long." : nil, attachments: [], readBy: []
        )
    }

    static func summary(_ id: ChatID, title: String? = nil, personal: Bool, members: [UserID], last: CachedMessage? = nil,
                        unread: Int = 0, archived: Bool = false, muted: Bool = false) -> ChatSummary {
        ChatSummary(
            id: id, title: title, isPersonal: personal, ownerId: 1, isMuted: muted, isArchived: archived, isBlocked: false,
            memberIds: members, lastMessage: last, lastActivity: last?.createdAt ?? base, unreadCount: unread, queuedCount: 0,
            failedCount: 0, images: []
        )
    }

    static var chats: [ChatSummary] {
        [
            summary(personal, personal: true, members: [1, 2], last: message(11, from: 2, "こんにちは 👋", minutes: 5), unread: 2),
            summary(group, title: "Team 🚀", personal: false, members: [1, 2, 3], last: message(12, in: group, from: 3, "see you", minutes: 1)),
            summary(archived, title: "Old stuff", personal: false, members: [1, 3], archived: true),
        ]
    }

    static func state(rows: Int = 20, columns: Int = 80) -> AppState {
        var state = AppState(me: me, server: "127.0.0.1:8080", rows: rows, columns: columns, now: base)
        state.timeZone = .utc
        state.users = [1: me, 2: bob, 3: carol]
        var status = EngineStatus()
        status.connection = .online
        status.isCaughtUp = true
        state.engine = status
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        return state
    }

    static var conversation: [CachedMessage] {
        [
            message(5, from: 2, "Hi Alice! 你好", minutes: -60 * 24),
            message(6, from: 1, "Hello Bob, this line is long enough that it has to wrap onto the next line", minutes: 0),
            message(7, from: 2, "こんにちは 👋", minutes: 5),
        ]
    }
}

/// Keys pressed in order, as the terminal delivers them; the effects of all of them.
func press(_ state: inout AppState, _ keys: Key...) -> [Effect] {
    keys.flatMap { Reducer.reduce(&state, .keyPressed($0)) }
}

/// Moves the settings selection to the item labelled `label` and presses Enter.
func activate(_ state: inout AppState, _ label: String) -> [Effect] {
    guard let index = SettingsItem.items(for: state).firstIndex(where: { $0.label == label }) else {
        Issue.record("no settings item \(label)")
        return []
    }
    state.settings.selection = index
    return press(&state, .enter)
}

/// The whole screen as text, a line per row.
func screenText(_ state: AppState) -> String {
    Screen.render(state).lines.joined(separator: "\n")
}

/// Text typed one character at a time.
func type(_ state: inout AppState, _ text: String) -> [Effect] {
    text.flatMap { Reducer.reduce(&state, .keyPressed(.character($0))) }
}
