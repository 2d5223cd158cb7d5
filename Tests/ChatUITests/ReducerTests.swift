import ChatAPI
import ChatStore
import ChatUI
import Foundation
import Testing
import TerminalUI

@Suite struct ReducerTests {
    @Test func theListSelectsTheFirstChatAndMovesWithArrowsAndVimKeys() {
        var state = Fixtures.state()
        #expect(state.selectedChatId == Fixtures.personal)
        _ = press(&state, .down)
        #expect(state.selectedChatId == Fixtures.group)
        _ = press(&state, .character("j"))
        #expect(state.selectedChatId == Fixtures.group)  // archived chats are not in the main list
        _ = press(&state, .character("k"))
        #expect(state.selectedChatId == Fixtures.personal)
    }

    @Test func openingAChatFocusesComposeMarksItReadAndKeepsDraftsPerChat() {
        var state = Fixtures.state()
        let effects = press(&state, .enter)
        #expect(state.openChatId == Fixtures.personal && state.focus == .compose)
        #expect(effects.contains(.openChat(Fixtures.personal)))
        #expect(effects.contains(.markRead(Fixtures.personal)))
        _ = type(&state, "half 世界")
        _ = press(&state, .escape, .down)
        let switched = press(&state, .enter)
        #expect(switched.contains(.saveDraft(Fixtures.personal, "half 世界")))
        #expect(state.composer.buffer.text.isEmpty)
        _ = press(&state, .escape, .up, .enter)
        #expect(state.composer.buffer.text == "half 世界")
    }

    @Test func typingSendsComposingAndEnterSendsAndClears() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        let typing = type(&state, "hi 👋")
        #expect(typing.allSatisfy { $0 == .composing(Fixtures.personal) } && !typing.isEmpty)
        let sent = press(&state, .enter)
        #expect(sent.contains(.send(Fixtures.personal, "hi 👋")))
        #expect(state.composer.buffer.isEmpty)
        #expect(press(&state, .enter).isEmpty)  // nothing to send
    }

    @Test func composeEditingIsByCharacterClusterWithCursorMovement() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        _ = type(&state, "a世😀e\u{301}")
        #expect(state.composer.buffer.characters.count == 4)
        _ = press(&state, .left, .left, .backspace)
        #expect(state.composer.buffer.text == "a😀e\u{301}")
        _ = press(&state, .home)
        _ = type(&state, ">")
        _ = press(&state, .end, .backspace)
        #expect(state.composer.buffer.text == ">a😀")
        _ = press(&state, .altEnter)
        _ = type(&state, "second line")
        #expect(state.composer.buffer.text == ">a😀\nsecond line")
        _ = press(&state, .control("u"))
        #expect(state.composer.buffer.text == ">a😀\n")
        _ = press(&state, .control("w"), .backspace, .control("w"))
        #expect(state.composer.buffer.text.isEmpty)
        _ = type(&state, "x")
        let cleared = press(&state, .backspace)
        #expect(cleared == [.composeEnded(Fixtures.personal)])
    }

    @Test func commandsBecomeEffectsAndBadOnesExplainThemselves() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        func run(_ line: String) -> [Effect] {
            _ = type(&state, line)
            return press(&state, .enter).filter { if case .saveDraft = $0 { false } else { true } }
        }
        #expect(run("/attach ~/photo.png") == [.sendFile(Fixtures.personal, path: NSHomeDirectory() + "/photo.png", caption: nil)])
        #expect(run("/archive") == [.chatSettings(Fixtures.personal, ChatSettingsRequest(isArchived: true))])
        #expect(run("/mute") == [.chatSettings(Fixtures.personal, ChatSettingsRequest(isMuted: true))])
        #expect(run("/rename New name") == [.renameChat(Fixtures.personal, "New name")])
        #expect(run("/group Friends @bobby1 @carol1") == [.createChat(usernames: ["bobby1", "carol1"], title: "Friends")])
        #expect(run("/new bobby1") == [.createChat(usernames: ["bobby1"], title: nil)])
        #expect(run("/add carol1") == [.addUsers(Fixtures.personal, usernames: ["carol1"])])
        #expect(run("/blockuser bobby1") == [.blockUser(Fixtures.personal, username: "bobby1", true)])
        #expect(run("/clear").isEmpty)  // asks first
        #expect(press(&state, .character("y")) == [.clearChat(Fixtures.personal)])
        #expect(run("//not a command") == [.send(Fixtures.personal, "/not a command")])
        #expect(run("/frobnicate").isEmpty)
        #expect(state.notice == Notice(text: "Unknown command /frobnicate. Press ? for the list.", isError: true))
        #expect(state.composer.buffer.text == "/frobnicate")  // kept for fixing
        _ = press(&state, .control("u"))
        #expect(run("/rename").isEmpty)
        #expect(state.notice?.text == "Usage: /rename TITLE")
        // The draft of a bad command stays for fixing.
        #expect(state.composer.buffer.text == "/rename")
    }

    @Test func editAndDeleteTargetTheLastOwnMessage() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Fixtures.conversation))
        _ = type(&state, "/edit better words")
        #expect(press(&state, .enter).contains(.editLastMessage(Fixtures.personal, text: "better words")))
        _ = press(&state, .tab)  // to the conversation
        #expect(state.focus == .conversation)
        #expect(press(&state, .character("D"), .enter) == [.deleteMessage(Fixtures.personal, localId: "1+6")])
        _ = press(&state, .character("e"))
        #expect(state.composer.buffer.text.hasPrefix("/edit Hello Bob"))
    }

    @Test func failedMessagesCanBeRetriedOrDiscarded() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        let failed = Fixtures.message(8, from: 1, String(repeating: "x", count: 10), state: .failed)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Fixtures.conversation + [failed]))
        state.focus = .conversation
        #expect(press(&state, .character("r")) == [.retry(Fixtures.personal, localId: failed.localId)])
        #expect(press(&state, .character("d")) == [.discard(Fixtures.personal, localId: failed.localId)])
    }

    @Test func listKeysArchiveMuteRemoveAndShowTheArchive() {
        var state = Fixtures.state()
        #expect(press(&state, .character("a")) == [.chatSettings(Fixtures.personal, ChatSettingsRequest(isArchived: true))])
        #expect(press(&state, .character("m")) == [.chatSettings(Fixtures.personal, ChatSettingsRequest(isMuted: true))])
        #expect(press(&state, .character("x"), .character("y")) == [.chatSettings(Fixtures.personal, ChatSettingsRequest(isRemovedOnDevice: true))])
        _ = press(&state, .character("A"))
        #expect(state.list.showArchived && state.selectedChatId == Fixtures.archived)
        #expect(press(&state, .character("a")) == [.chatSettings(Fixtures.archived, ChatSettingsRequest(isArchived: false))])
    }

    @Test func scrollingToTheTopLoadsOlderMessagesOnce() {
        var state = Fixtures.state(rows: 10, columns: 80)
        _ = press(&state, .enter)
        // Near the cache's oldest message the server is asked before the top is reached (a
        // prefetch); either way, once.
        let effects = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Fixtures.conversation)) + press(&state, .pageUp)
        #expect(effects.filter { $0 == .loadOlder(Fixtures.personal) }.count == 1)
        #expect(state.conversation.loadingOlder)
        #expect(press(&state, .pageUp).isEmpty)  // already loading
        _ = Reducer.reduce(&state, .olderMessagesLoaded(Fixtures.personal, reachedStart: true))
        #expect(!state.conversation.loadingOlder && state.conversation.reachedStart.contains(Fixtures.personal))
        #expect(press(&state, .pageUp).isEmpty)  // nothing older exists
    }

    @Test func theNewChatFlowSearchesPicksAndCreates() {
        var state = Fixtures.state()
        _ = press(&state, .character("n"))
        #expect(type(&state, "bo") == [.searchUsers("b"), .searchUsers("bo")])
        _ = Reducer.reduce(&state, .userSearchAnswered(query: "bo", [Fixtures.bob, Fixtures.me]))
        guard case .newChat(let flow) = state.overlay else { Issue.record("no overlay"); return }
        #expect(flow.results == [Fixtures.bob])  // never yourself
        #expect(press(&state, .enter) == [.createChat(usernames: ["bobby1"], title: nil)])
        #expect(state.overlay == nil)
        // A group: pick two, the title is asked for.
        _ = press(&state, .character("n"))
        _ = type(&state, "o")
        _ = Reducer.reduce(&state, .userSearchAnswered(query: "o", [Fixtures.bob, Fixtures.carol]))
        _ = press(&state, .character(" "), .down, .character(" "), .enter)
        _ = type(&state, "Pals")
        #expect(press(&state, .enter) == [.createChat(usernames: ["bobby1", "carol1"], title: "Pals")])
        _ = press(&state, .character("n"), .escape)
        #expect(state.overlay == nil)
    }

    @Test func storeAndEngineChangesUpdateTheScreenState() {
        var state = Fixtures.state()
        var status = state.engine
        status.lastError = "Cannot reach the server (connection refused)."
        status.typing = [Fixtures.personal: [2]]
        _ = Reducer.reduce(&state, .engineStatusChanged(status))
        #expect(state.notice == Notice(text: "Cannot reach the server (connection refused).", isError: true))
        #expect(state.engine.typing[Fixtures.personal] == [2])
        _ = Reducer.reduce(&state, .terminalResized(rows: 30, columns: 100))
        #expect(state.rows == 30 && state.columns == 100)
        _ = Reducer.reduce(&state, .effectFailed("No user named zed."))
        #expect(state.notice?.isError == true)
        _ = press(&state, .enter)
        // Messages of another chat are not shown in this one.
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.group, Fixtures.conversation))
        #expect(state.conversation.messages.isEmpty)
        // The open chat disappears (deleted elsewhere): it closes, and the keys go back to the
        // chat list (they went nowhere).
        #expect(state.focus == .compose)
        let effects = Reducer.reduce(&state, .chatListChanged(Array(Fixtures.chats.dropFirst())))
        #expect(state.openChatId == nil && effects == [.openChat(nil)])
        #expect(state.focus == .chats)
        let tick = Fixtures.base.addingTimeInterval(9)
        _ = Reducer.reduce(&state, .clockTicked(tick))
        #expect(state.now == tick)
    }

    @Test func pathCompletionFillsTheCommonPrefix() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        _ = type(&state, "/attach /tmp/ph")
        #expect(press(&state, .tab) == [.completePath("/tmp/ph")])
        _ = Reducer.reduce(&state, .pathCompletionsFound(prefix: "/tmp/ph", ["/tmp/photo1.png", "/tmp/photo2.png"]))
        #expect(state.composer.buffer.text == "/attach /tmp/photo")
        #expect(state.composer.completions == ["photo1.png", "photo2.png"])
        _ = Reducer.reduce(&state, .pathCompletionsFound(prefix: "/tmp/photo", ["/tmp/photo1.png"]))
        #expect(state.composer.buffer.text == "/attach /tmp/photo1.png")
    }

    @Test func helpTabSettingsAndQuit() {
        var state = Fixtures.state()
        _ = press(&state, .character("?"))
        #expect(state.overlay == .help(offset: 0))
        _ = press(&state, .character("x"))
        #expect(state.overlay == nil)
        _ = press(&state, .character("s"))
        #expect(state.focus == .settings)
        _ = press(&state, .down)
        #expect(state.settings.selection == 1)
        _ = press(&state, .escape)
        #expect(state.focus == .chats)
        #expect(press(&state, .control("c")).contains(.quit))
        #expect(state.wantsQuit)
    }

    /// In the chat list `h` does not start a filter (the README says it goes
    /// back; the list has nowhere further back), and `/` in Settings starts a command.
    @Test func hInTheListFiltersNothingAndSlashInSettingsStartsACommand() {
        var state = Fixtures.state()
        _ = press(&state, .character("h"))
        #expect(state.list.filter.isEmpty)
        _ = press(&state, .character("j"))
        #expect(state.list.filter.isEmpty && state.list.selectedChatId == Fixtures.group)
        _ = press(&state, .character("s"))
        #expect(state.focus == .settings)
        _ = press(&state, .character("/"))
        #expect(state.focus == .compose)
        #expect(state.composer.buffer.text == "/")
    }

    /// An error belongs to where it happened: it goes on leaving that chat,
    /// or after a while; until then it stays to be read.
    @Test func anErrorClearsOnLeavingItsChatOrAfterAWhile() {
        var state = Fixtures.state()
        let start = state.now
        _ = press(&state, .enter)  // Bob's chat
        _ = Reducer.reduce(&state, .effectFailed("Nobody is blocked here."))
        _ = Reducer.reduce(&state, .clockTicked(start.addingTimeInterval(20)))
        #expect(state.notice?.text == "Nobody is blocked here.")
        _ = Reducer.reduce(&state, .clockTicked(start.addingTimeInterval(31)))
        #expect(state.notice == nil)

        _ = Reducer.reduce(&state, .effectFailed("You are blocked from posting in this chat."))
        _ = press(&state, .escape)
        _ = press(&state, .character("j"))
        _ = press(&state, .enter)  // the group
        #expect(state.openChatId == Fixtures.group)
        #expect(state.notice == nil)
        // What is said about a chat just created goes with it when it opens.
        _ = Reducer.reduce(&state, .effectSucceeded(.groupCreated("Kitchen")))
        _ = Reducer.reduce(&state, .chatCreated(Fixtures.personal))
        #expect(state.openChatId == Fixtures.personal && state.notice?.text == "Group Kitchen created.")
        // Information goes sooner.
        _ = Reducer.reduce(&state, .effectSucceeded(.chatBlocked(false)))
        _ = Reducer.reduce(&state, .clockTicked(state.now.addingTimeInterval(16)))
        #expect(state.notice == nil)
    }

    /// Who deleted the chat (or removed you) is said in the status line.
    @Test func anAnnouncementIsShownOnce() {
        var state = Fixtures.state()
        var status = state.engine
        status.announcement = "Bob deleted the chat Team 🚀."
        _ = Reducer.reduce(&state, .engineStatusChanged(status))
        #expect(state.notice == Notice(text: "Bob deleted the chat Team 🚀.", isError: false))
        _ = Reducer.reduce(&state, .effectSucceeded(.settingsSaved(ChatSettingsRequest(isMuted: true))))
        _ = Reducer.reduce(&state, .engineStatusChanged(status))  // the same again: not shown again
        #expect(state.notice?.text == "Chat muted.")
    }

    @Test func newMessagesElsewhereNotifyUnlessMutedOrOnScreen() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .keyPressed(.enter))  // Bob's chat is on screen
        var chats = Fixtures.chats
        chats[0].unreadCount += 1  // on screen: no notification
        chats[1].unreadCount = 1
        chats[1].lastMessage = Fixtures.message(30, in: Fixtures.group, from: 3, "lunch?", minutes: 20)
        let effects = Reducer.reduce(&state, .chatListChanged(chats))
        #expect(effects.filter { if case .notifyNewMessage = $0 { true } else { false } } == [.notifyNewMessage(Fixtures.group, title: "Carol 李 in Team 🚀", body: "lunch?", count: 1)])
        chats[1].unreadCount = 2
        chats[1].isMuted = true
        #expect(!Reducer.reduce(&state, .chatListChanged(chats)).contains { if case .notifyNewMessage = $0 { true } else { false } })
    }

    @Test func messagesOverTheLimitAreRefusedBeforeSending() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        _ = type(&state, String(repeating: "é", count: 1025))
        #expect(press(&state, .enter).isEmpty)
        #expect(state.notice?.text.contains("2048") == true)
        #expect(state.composer.buffer.characters.count == 1025)  // the draft is kept
    }
}

/// A new account has no chats; its commands must still be reachable.
@Suite struct CommandLineWithoutAChatTests {
    func emptyState() -> AppState {
        var state = AppState(me: Fixtures.me, server: "127.0.0.1:8080", rows: 20, columns: 80, now: Fixtures.base)
        _ = Reducer.reduce(&state, .chatListChanged([]))
        return state
    }

    func keys(_ state: inout AppState, _ text: String) -> [Effect] {
        text.flatMap { Reducer.reduce(&state, .keyPressed(.character($0))) }
    }

    @Test func slashOpensACommandLineThatRunsAccountCommands() {
        var state = emptyState()
        _ = keys(&state, "/")
        #expect(state.focus == .compose && state.composer.buffer.text == "/")
        let screen = Screen.render(state).lines
        #expect(screen.contains { $0.contains("› /") })
        _ = keys(&state, "logout")
        #expect(Reducer.reduce(&state, .keyPressed(.enter)).isEmpty)  // asks first
        #expect(Reducer.reduce(&state, .keyPressed(.character("y"))) == [.logout])
        #expect(state.focus == .chats && state.composer.buffer.isEmpty)
    }

    @Test func chatCommandsAndPlainTextSayWhatIsMissing() {
        var state = emptyState()
        _ = keys(&state, "/mute")
        #expect(Reducer.reduce(&state, .keyPressed(.enter)).isEmpty)
        #expect(state.notice?.text == "Open a chat first: that command acts on the open chat.")
        _ = keys(&state, "/")
        _ = Reducer.reduce(&state, .keyPressed(.control("u")))
        _ = keys(&state, "hello")
        #expect(Reducer.reduce(&state, .keyPressed(.enter)).isEmpty)
        #expect(state.notice?.text == "Open a chat to send a message; / starts a command.")
        #expect(state.composer.buffer.text == "hello", "nothing typed is lost")
        _ = Reducer.reduce(&state, .keyPressed(.escape))
        #expect(state.focus == .chats)
    }

    @Test func aSessionTheServerEndedAsksToSignInAgainOnce() {
        var state = Fixtures.state()
        var status = state.engine
        status.connection = .signedOut
        status.lastError = "Signed out: this device was idle for 90 days; sign in again."
        // With the server's reason, which the sign-in screen then shows.
        #expect(Reducer.reduce(&state, .engineStatusChanged(status)) == [.sessionEnded(reason: status.lastError)])
        #expect(Reducer.reduce(&state, .engineStatusChanged(status)).isEmpty)
    }

    @Test func signingOutQuitsTheClientWithTheMessageAndSavesTheDraft() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .keyPressed(.enter))
        _ = keys(&state, "half")
        let effects = Reducer.reduce(&state, .signedOut("Signed out alice1."))
        #expect(state.wantsQuit && state.signedOutMessage == "Signed out alice1.")
        #expect(effects.contains(.saveDraft(Fixtures.personal, "half")))
    }
}
