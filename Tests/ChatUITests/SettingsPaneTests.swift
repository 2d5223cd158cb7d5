import ChatAPI
import ChatStore
import ChatUI
import Foundation
import Testing
import TerminalUI

/// The settings pane: it acts on the chat it shows, asks before destroying, takes a password masked.
@Suite struct SettingsPaneTests {
    @Test func theSettingsPaneActsOnTheChatItShowsNotTheOpenOne() {
        var state = Fixtures.state()
        _ = press(&state, .enter)  // open Bob (personal)
        #expect(state.openChatId == Fixtures.personal)
        _ = press(&state, .escape, .down)  // select the group in the list
        #expect(state.selectedChatId == Fixtures.group)
        _ = press(&state, .character("s"))
        #expect(state.settings.chatId == Fixtures.group)
        #expect(screenText(state).contains("Settings: Team 🚀"))
        // Clear asks first, naming the group, and then clears the group, never Bob's chat.
        #expect(activate(&state, "Clear all messages").isEmpty)
        guard case .confirm(let question)? = state.overlay else { Issue.record("no confirmation"); return }
        #expect(question.question.contains("Team 🚀"))
        #expect(press(&state, .character("y")) == [.clearChat(Fixtures.group)])
        #expect(state.composer.buffer.text.isEmpty)  // nothing was put in Bob's compose box
        // Title, add and remove ask in a prompt bound to the group.
        _ = activate(&state, "Title")
        guard case .prompt(let prompt)? = state.overlay else { Issue.record("no prompt"); return }
        #expect(prompt.purpose == .renameChat(Fixtures.group))
        _ = press(&state, .control("u"))
        _ = type(&state, "Renamed")
        #expect(press(&state, .enter) == [.renameChat(Fixtures.group, "Renamed")])
        _ = activate(&state, "Add members")
        _ = type(&state, "@carol1")
        #expect(press(&state, .enter) == [.addUsers(Fixtures.group, usernames: ["carol1"])])
        _ = activate(&state, "Remove members")
        _ = type(&state, "bobby1")
        #expect(press(&state, .enter) == [.removeUsers(Fixtures.group, usernames: ["bobby1"])])
        _ = activate(&state, "Delete chat")
        #expect(press(&state, .enter) == [.deleteChat(Fixtures.group)])
        _ = activate(&state, "Leave group")
        #expect(press(&state, .character("y")) == [.leaveChat(Fixtures.group)])
        // Opening another chat meanwhile does not move the pane's chat.
        state.conversation.chatId = Fixtures.personal
        #expect(SettingsItem.items(for: state).contains { $0.label == "Leave group" })
    }

    @Test func destructiveActionsAskFirstAndAnythingElseCancels() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Fixtures.conversation))
        func run(_ line: String) -> [Effect] {
            _ = type(&state, line)
            return press(&state, .enter).filter { if case .saveDraft = $0 { false } else { true } }
        }
        for (line, effect) in [("/clear", Effect.clearChat(Fixtures.personal)), ("/delete", .deleteChat(Fixtures.personal)),
                               ("/remove", .chatSettings(Fixtures.personal, ChatSettingsRequest(isRemovedOnDevice: true))),
                               ("/block", .blockChat(Fixtures.personal, true)), ("/logout", .logout),
                               ("/del", .deleteMessage(Fixtures.personal, localId: "1+6"))] {
            #expect(run(line).isEmpty, "\(line) acted without asking")
            guard case .confirm(let confirmation)? = state.overlay else { Issue.record("\(line): no confirmation"); continue }
            #expect(confirmation.question.contains("y/Enter"))
            #expect(press(&state, .character("n")).isEmpty)
            #expect(state.overlay == nil && state.notice?.text.contains("Cancelled") == true)
            #expect(run(line).isEmpty)
            #expect(press(&state, .enter) == [effect], "\(line)")
        }
        // D twice: the second D answers the question with "no"; one message at most is deleted.
        _ = press(&state, .tab)  // compose → conversation
        #expect(state.focus == .conversation)
        let twice = press(&state, .character("D"), .character("D"))
        #expect(twice.isEmpty)
        #expect(state.overlay == nil)
        #expect(press(&state, .character("D"), .character("y")) == [.deleteMessage(Fixtures.personal, localId: "1+6")])
        // Removing from the list asks too, naming the chat.
        _ = press(&state, .escape)
        _ = press(&state, .escape)
        state.focus = .chats
        #expect(press(&state, .character("x")).isEmpty)
        guard case .confirm(let removal)? = state.overlay else { Issue.record("x did not ask"); return }
        #expect(removal.question.contains("Bob"))
    }

    @Test func thePasswordIsAskedMaskedNeverDraftedAndTakenByteForByte() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        _ = type(&state, "/password")
        #expect(press(&state, .enter).allSatisfy { if case .saveDraft(_, let text) = $0 { text.isEmpty } else { false } })
        guard case .prompt(let prompt)? = state.overlay else { Issue.record("no prompt"); return }
        #expect(prompt.purpose.isMasked)
        _ = type(&state, "@old pass")
        #expect(!screenText(state).contains("@old pass"))
        #expect(screenText(state).contains("•••••••••"))
        _ = press(&state, .enter)
        _ = type(&state, "@new-pass1")
        _ = press(&state, .enter)
        _ = type(&state, "@new-pass1")
        #expect(press(&state, .enter) == [.changePassword(old: "@old pass", new: "@new-pass1")])
        // Mismatched repeats ask again; a /password line is never kept as a draft.
        _ = type(&state, "/password secret")
        let leaving = press(&state, .escape)
        #expect(leaving == [.saveDraft(Fixtures.personal, "")])
        // From the settings pane too.
        state.focus = .chats
        _ = press(&state, .character("s"))
        _ = activate(&state, "Password")
        guard case .prompt(let fromSettings)? = state.overlay else { Issue.record("no prompt from settings"); return }
        #expect(fromSettings.purpose == .currentPassword)
    }
}
