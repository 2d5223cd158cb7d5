import ChatAPI
import ChatStore
@testable import ChatUI
import Foundation
import Testing
import TerminalUI

/// Each settings row does what it says, the pane follows the store, and rows
/// the owner alone may use say so for everyone else.
@Suite struct SettingsRowTests {
    func settings(of chat: ChatID, chats: [ChatSummary] = Fixtures.chats) -> AppState {
        var state = Fixtures.state(rows: 40, columns: 120)
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        state.list.selectedChatId = chat
        _ = press(&state, .character("s"))
        #expect(state.focus == .settings && state.settings.chatId == chat)
        return state
    }

    @Test func enterOnMembersSaysWhoTheyAre() {
        for chat in [Fixtures.personal, Fixtures.group] {
            var state = settings(of: chat)
            #expect(activate(&state, "Members").isEmpty)
            #expect(state.overlay == nil, "no prompt to add people")
            #expect(state.notice?.text.hasPrefix("Members: ") == true && state.notice?.text.contains("Bob (@bobby1)") == true, "\(String(describing: state.notice))")
        }
    }

    @Test func unblockingTakesThePersonOffTheListAtOnce() {
        var state = settings(of: Fixtures.group)
        _ = Reducer.reduce(&state, .blockedUsersLoaded(Fixtures.group, [Fixtures.bob]))
        #expect(Screen.render(state).text.contains("bobby1"))
        _ = activate(&state, "Unblock a user")
        _ = type(&state, "bobby1")
        #expect(press(&state, .enter) == [.blockUser(Fixtures.group, username: "bobby1", false)])
        #expect(state.settings.blockedUsers[Fixtures.group] == [])
        _ = activate(&state, "Block a user")
        _ = type(&state, "carol1")
        _ = press(&state, .enter)
        #expect(state.settings.blockedUsers[Fixtures.group] == [Fixtures.carol])
    }

    @Test func whatIsCachedFollowsTheStore() {
        var state = settings(of: Fixtures.personal)
        _ = Reducer.reduce(&state, .cachedHistoryLoaded(Fixtures.personal, messages: 1, complete: false))
        #expect(Screen.render(state).text.contains("1 message; older ones only on the server"))
        // A message arrives (the list changes): it is counted again.
        var chats = Fixtures.chats
        chats[0].lastMessage = Fixtures.message(99, from: 2, "new", minutes: 30)
        #expect(Reducer.reduce(&state, .chatListChanged(chats)).contains(.loadCachedHistory(Fixtures.personal)))
    }

    @Test func rowsOnlyTheOwnerMayUseSaySoToOthers() {
        var chats = Fixtures.chats
        chats[1].ownerId = 2  // Bob's group
        let state = settings(of: Fixtures.group, chats: chats)
        let items = SettingsItem.items(for: state)
        for label in ["Remove members", "Delete chat", "Clear all messages", "Block a user"] {
            let item = items.first { $0.label == label }
            #expect(item?.isOwnersOnly == true, "\(label)")
            #expect(item?.value.contains("the owner's") == true, "\(label): \(item?.value ?? "")")
        }
        #expect(items.first { $0.label == "Title" }?.isOwnersOnly == false)
        // As the owner, nothing is marked.
        let mine = settings(of: Fixtures.group)
        #expect(!SettingsItem.items(for: mine).contains { $0.isOwnersOnly })
    }
}
