import ChatAPI
import ChatStore
import ChatUI
import Foundation
import Testing
import TerminalUI

/// Whole screens rendered into the cell grid and compared as text.
@Suite struct ScreenTests {
    func openConversation(rows: Int, columns: Int) -> AppState {
        var state = Fixtures.state(rows: rows, columns: columns)
        _ = Reducer.reduce(&state, .keyPressed(.enter))
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Fixtures.conversation))
        return state
    }

    @Test func twoPanesWithCJKEmojiWrappingTypingAndTheCursor() {
        var state = openConversation(rows: 14, columns: 72)
        var status = state.engine
        status.typing = [Fixtures.personal: [2]]
        _ = Reducer.reduce(&state, .engineStatusChanged(status))
        _ = Reducer.reduce(&state, .keyPressed(.character("世")))
        let canvas = Screen.render(state)
        // Bob's two unread messages: the "2 new" line above the first; the date beside the
        // time of what is not today; Alice's message sent, not read yet (✓).
        #expect(canvas.text == """
            Chats (2)            │ Bob
             Bob (2)             │
               typing…           │
             Team 🚀             │ ── Tuesday 24 November ──
               Carol 李: see you │ ── 2 new ──
                                 │ 24 Nov 10:00 Bob: Hi Alice! 你好
                                 │ ── Wednesday 25 November ──
                                 │ 10:00 Alice: Hello Bob, this line is long enough
                                 │       that it has to wrap onto the next line ✓
                                 │ 10:05 Bob: こんにちは 👋
                                 │ Bob is typing…
                                 │──────────────────────────────────────────────────
                                 │› 世
             ● online │ alice1@127.0.0.1:8080 │ 2 unread in 1 chat
            """)
        // The cursor sits after the wide character: two columns past the prompt.
        #expect(canvas.cursor?.row == 12)
        #expect(canvas.cursor?.column == 22 + 2 + 2)
    }

    /// A notice longer than the status line is cut with an ellipsis, so a reader knows there is
    /// more (as in "The server's certificate is not trusted: it is not signed by an a").
    @Test func aLongNoticeIsCutWithAnEllipsis() {
        var state = Fixtures.state(rows: 12, columns: 60)
        state.notice = Notice(text: "The server's certificate is not trusted: self-signed certificate.", isError: true)
        let status = Screen.render(state).lines.last ?? ""
        #expect(status.hasSuffix(" │ 2 unread in 1 chat │ Th…"), "\(status)")
    }

    @Test func a40x12TerminalShowsOnePaneAtATime() {
        var state = Fixtures.state(rows: 12, columns: 40)
        #expect(Screen.render(state).text == """
            Chats (2)
             Bob (2)
               Bob: こんにちは 👋
             Team 🚀
               Carol 李: see you






             ● online │ alice1@127.0.0.1:8080 │ 2 un
            """)
        _ = Reducer.reduce(&state, .keyPressed(.enter))
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Fixtures.conversation))
        #expect(Screen.render(state).text == """
             Bob
             ── 2 new ──
             24 Nov 10:00 Bob: Hi Alice! 你好
             ── Wednesday 25 November ──
             10:00 Alice: Hello Bob, this line is
                   long enough that it has to wrap
                   onto the next line ✓
             10:05 Bob: こんにちは 👋

            ────────────────────────────────────────
            ›
             ● online │ alice1@127.0.0.1:8080 │ 2 un
            """)
    }

    @Test func resizingReflowsTheSameState() {
        var state = openConversation(rows: 12, columns: 40)
        let narrow = Screen.render(state)
        _ = Reducer.reduce(&state, .terminalResized(rows: 12, columns: 100))
        let wide = Screen.render(state)
        #expect(narrow.lines.contains(" 10:00 Alice: Hello Bob, this line is"))
        // The same message takes fewer, longer lines when there is room.
        #expect(wide.lines.contains { $0.hasSuffix("│ 10:00 Alice: Hello Bob, this line is long enough that it has to wrap") })
        #expect(wide.lines.contains { $0.hasSuffix("│       onto the next line ✓") })
        #expect(wide.lines[0].hasPrefix("Chats (2)"))
    }

    @Test func aTooSmallTerminalSaysSo() {
        let state = Fixtures.state(rows: 6, columns: 20)
        #expect(Screen.render(state).text == """
            Terminal too small:
            30×8 at least (now
            20×6)



            """)
    }

    @Test func aNameWithLineBreaksOrControlsIsShownOnOneLine() {
        var state = openConversation(rows: 12, columns: 90)
        state.users[2] = UserInfo(id: 2, name: "Bob\nthe\u{1B}[31m Builder", username: "bobby1")
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [Fixtures.message(30, from: 2, "hi", minutes: 10)]))
        let lines = Screen.render(state).lines.map { $0.split(separator: "│", maxSplits: 1).last.map(String.init) ?? $0 }
        #expect(lines.contains(" 10:10 Bob the^[[31m Builder: hi"), "\(lines)")
    }

    @Test func deliveryStatesAttachmentsReadMarksAndEdits() {
        var state = openConversation(rows: 16, columns: 90)
        var read = Fixtures.message(20, from: 1, "did you get it?", minutes: 10)
        read.readBy = [2]
        var edited = Fixtures.message(21, from: 2, "yes, twice", minutes: 11)
        edited.editedAt = Fixtures.base
        var deleted = Fixtures.message(22, from: 2, "", minutes: 12)
        deleted.deletedAt = Fixtures.base
        var photo = Fixtures.message(23, from: 1, "", minutes: 13)
        photo.attachments = [CachedAttachment(position: 0, mediaId: UUID(), fileType: "png", fileSize: 204_800, fileExists: false,
                                              previewExists: false, localPath: "/tmp/p.png", transferDone: 51_200, transferTotal: 204_800,
                                              transferState: .uploading, fileName: "photo.png")]
        let queued = Fixtures.message(24, from: 1, "on its way", minutes: 14, state: .queued)
        let failed = Fixtures.message(25, from: 1, "too long", minutes: 15, state: .failed)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [read, edited, deleted, photo, queued, failed]))
        let lines = Screen.render(state).lines.map { $0.split(separator: "│", maxSplits: 1).last.map(String.init) ?? $0 }
        // Read by the other person of a personal chat: ✓✓. Bob's two messages within five
        // minutes share one name and time; so do Alice's three.
        #expect(lines.contains(" 10:10 Alice: did you get it? ✓✓"))
        #expect(lines.contains(" 10:11 Bob: yes, twice (edited)"))
        #expect(lines.contains("       (message deleted)"))
        #expect(lines.contains(" 10:13 Alice: 📎 photo.png · 200 KB · uploading 25% ✓"))
        #expect(lines.contains("       on its way ◷"))
        #expect(lines.contains("       too long ✗"))
        #expect(lines.contains("       ✗ not sent: Too long. (r retry, d discard)"))
    }

    @Test func theStatusLineShowsConnectionQueueAndTheLastError() {
        var state = Fixtures.state(rows: 10, columns: 120)
        var status = EngineStatus()
        status.connection = .retrying(at: Fixtures.base.addingTimeInterval(4))
        _ = Reducer.reduce(&state, .engineStatusChanged(status))
        var chats = Fixtures.chats
        chats[0].queuedCount = 3
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        _ = Reducer.reduce(&state, .effectFailed("No user named zed."))
        #expect(Screen.render(state).lines.last == " ○ offline, retrying in 4s │ alice1@127.0.0.1:8080 │ 3 queued │ 2 unread in 1 chat │ No user named zed.")
    }

    @Test func theHelpOverlayListsKeysAndCommandsAndScrolls() {
        var state = Fixtures.state(rows: 30, columns: 100)
        _ = Reducer.reduce(&state, .keyPressed(.character("?")))
        var text = Screen.render(state).text
        #expect(text.contains("Help — ↑↓ PgUp PgDn scroll · any other key closes"))
        #expect(text.contains("Tab / Shift-Tab"))
        // Longer than the terminal: scrolled to the end, the commands show.
        for _ in 0..<6 { _ = Reducer.reduce(&state, .keyPressed(.pageDown)) }
        text = Screen.render(state).text
        guard case .help(let offset)? = state.overlay else { Issue.record("the help closed"); return }
        #expect(offset > 0)
        for expected in ["/attach PATH", "/group TITLE @USER @USER…", "/archive /unarchive /mute /unmute", "/password  /device NAME"] {
            #expect(text.contains(expected), "\(expected)")
        }
        _ = Reducer.reduce(&state, .keyPressed(.character("x")))
        #expect(state.overlay == nil)
        // On a tall terminal it all fits, and says so.
        var tall = Fixtures.state(rows: 80, columns: 100)
        _ = Reducer.reduce(&tall, .keyPressed(.character("?")))
        #expect(Screen.render(tall).text.contains("Help — any key closes"))
    }

    @Test func theSettingsPaneReachesEveryChatAndAccountAction() {
        var state = Fixtures.state(rows: 30, columns: 100)
        _ = Reducer.reduce(&state, .keyPressed(.down))  // the group
        _ = Reducer.reduce(&state, .keyPressed(.character("s")))
        let text = Screen.render(state).text
        for label in ["Title", "Add members", "Remove members", "Members", "Image", "Block a user", "Unblock a user", "Blocked users",
                      "Muted", "Archived", "Chat blocked", "Remove from this device", "Clear all messages", "Delete chat",
                      "Leave group", "Your name", "About you", "Password", "Device name", "Log out"] {
            #expect(text.contains(label), "\(label)")
        }
    }

    /// A change the server refused is listed in the settings pane with
    /// its reason, Enter tries it again, and "Discard it" asks first; the status line says one
    /// is not done.
    @Test func aRefusedChangeCanBeTriedAgainOrDiscardedFromTheSettingsPane() {
        var state = Fixtures.state(rows: 40, columns: 120)
        var status = state.engine
        status.failedChanges = [FailedChange(seq: 7, chatId: Fixtures.group, what: "remove the chat's image",
                                               reason: "The server failed it 6 times in a row: The file doesn't exist")]
        _ = Reducer.reduce(&state, .engineStatusChanged(status))
        _ = Reducer.reduce(&state, .keyPressed(.down))  // the group
        _ = Reducer.reduce(&state, .keyPressed(.character("s")))
        let text = Screen.render(state).text
        #expect(text.contains("Not done                 remove the chat's image in Team 🚀: The server failed it 6 …"), "\(text)")
        #expect(SettingsItem.items(for: state).contains {
            $0.value.hasSuffix("The server failed it 6 times in a row: The file doesn't exist · Enter: try again")
        })
        #expect(Screen.render(state).lines.last?.contains("1 change not done (settings)") == true)

        let items = SettingsItem.items(for: state)
        let retry = try! #require(items.firstIndex { $0.label == "Not done" })
        for _ in 0..<retry { _ = Reducer.reduce(&state, .keyPressed(.down)) }
        #expect(Reducer.reduce(&state, .keyPressed(.enter)).contains(.retryChange(7)))
        _ = Reducer.reduce(&state, .keyPressed(.down))  // "Discard it"
        let asked = Reducer.reduce(&state, .keyPressed(.enter))
        #expect(!asked.contains(.discardChange(7)))
        #expect(Screen.render(state).text.contains("Discard “remove the chat's image”? The server does not have it."))
        #expect(Reducer.reduce(&state, .keyPressed(.character("y"))).contains(.discardChange(7)))
    }

    /// Counts say one thing in the singular ("1 messages", "Image 1").
    @Test func onesAreSingular() {
        var state = Fixtures.state(rows: 30, columns: 100)
        _ = Reducer.reduce(&state, .keyPressed(.down))  // the group
        var chats = state.chats
        let group = try! #require(chats.firstIndex { $0.id == Fixtures.group })
        chats[group].images = [MediaInfo(id: UUID(), fileType: "png", fileSize: 10)]
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        _ = Reducer.reduce(&state, .keyPressed(.character("s")))
        _ = Reducer.reduce(&state, .cachedHistoryLoaded(Fixtures.group, messages: 1, complete: true))
        let values = SettingsItem.items(for: state).map { "\($0.label): \($0.value)" }
        #expect(values.contains("Image: 1 image"), "\(values)")
        #expect(values.contains("Cached here: 1 message, all of them"), "\(values)")
        #expect(1.counted("member") == "1 member" && 1_200.counted("message") == "1,200 messages" && 0.counted("chat") == "0 chats")
    }

    /// A frame reuses the last conversation layout only when nothing it is made from changed:
    /// an edited message, a renamed person, another width or a selection are drawn at once.
    @Test func theKeptLayoutIsNeverShownStale() {
        var state = openConversation(rows: 12, columns: 60)
        let messages = [Fixtures.message(1, from: 2, "first words"), Fixtures.message(2, from: 1, "a reply", minutes: 1)]
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, messages))
        let text = { (state: AppState) in Screen.render(state).lines.joined(separator: "\n") }
        let first = text(state)
        #expect(first.contains("first words"))
        // Typing in the compose box leaves the conversation as it was: the same lines.
        _ = Reducer.reduce(&state, .keyPressed(.character("x")))
        #expect(text(state).contains("first words"))
        var edited = messages
        edited[0].text = "other words"
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, edited))
        #expect(text(state).contains("other words") && !text(state).contains("first words"))
        state.users[2]?.name = "Robert"
        #expect(text(state).contains("Robert"))
        _ = Reducer.reduce(&state, .terminalResized(rows: 12, columns: 40))
        #expect(Screen.render(state).lines.allSatisfy { TextWidth.of($0) <= 40 })
        #expect(text(state).contains("other words"))
        // And the kept layout is what a fresh one would be.
        let kept = text(state)
        ConversationLayout.forgetKeptLayout()
        #expect(text(state) == kept)
    }
}
