import ChatAPI
import ChatStore
@testable import ChatUI
import Foundation
import Testing
import TerminalUI

/// Programs in `[hooks]` get what happened as arguments and JSON, never
/// through a shell.
@Suite struct HookEventTests {
    @Test func placeholdersBecomeWholeArgumentsWhateverTheTextHolds() throws {
        let hostile = "$(touch pwned) `touch pwned2`; touch pwned3 \"quoted\" {author}"
        let event = HookEvent(kind: .message, fields: ["chat": "Team", "author": "Bob", "text": hostile])
        #expect(event.arguments(["notify-send", "{chat}", "{author}: {text}", "{unknown}", "{event}"])
                == ["notify-send", "Team", "Bob: " + hostile, "{unknown}", "message"])
        let object = try JSONSerialization.jsonObject(with: event.json) as? [String: String]
        #expect(object == ["event": "message", "chat": "Team", "author": "Bob", "text": hostile])
    }

    @Test func aNewMessageAndAMentionRunTheirHooks() {
        var state = Fixtures.state()
        state.hooks = [.message, .mention]
        _ = Reducer.reduce(&state, .chatListChanged(Fixtures.chats))
        var chats = Fixtures.chats
        chats[1].lastMessage = Fixtures.message(70, in: Fixtures.group, from: 2, "hi @alice1, look", minutes: 20)
        chats[1].unreadCount = 1
        let effects = Reducer.reduce(&state, .chatListChanged(chats))
        let hooks = effects.compactMap { if case .hook(let event) = $0 { event } else { nil } }
        #expect(hooks.map(\.kind) == [.message, .mention])
        #expect(hooks.first?.fields["chat"] == "Team 🚀" && hooks.first?.fields["author"] == "Bob" && hooks.first?.fields["username"] == "bobby1")
        // The same list again runs nothing; my own message runs nothing.
        #expect(!Reducer.reduce(&state, .chatListChanged(chats)).contains { if case .hook = $0 { true } else { false } })
        chats[1].lastMessage = Fixtures.message(71, in: Fixtures.group, from: 1, "mine", minutes: 21)
        #expect(!Reducer.reduce(&state, .chatListChanged(chats)).contains { if case .hook = $0 { true } else { false } })
    }

    @Test func theConnectionRunsItsHookWhenItChanges() {
        var state = Fixtures.state()
        state.hooks = [.connection]
        var status = state.engine
        status.connection = .retrying(at: Fixtures.base)
        #expect(Reducer.reduce(&state, .engineStatusChanged(status)) == [.hook(HookEvent(kind: .connection, fields: ["state": "retrying"]))])
        status.connection = .retrying(at: Fixtures.base.addingTimeInterval(5))
        #expect(Reducer.reduce(&state, .engineStatusChanged(status)).isEmpty, "still retrying")
    }
}
