import ChatAPI
import ChatStore
import ChatUI
import Foundation
import Testing
import TerminalUI

/// The TUI defects a new user tripped over (issue: "fix what a new user tripped over"), one
/// test each, at the reducer and screen level.
@Suite struct NewUserDefectTests {
    func settingsIndex(_ state: AppState, _ label: String) -> Int? {
        SettingsItem.items(for: state).firstIndex { $0.label == label }
    }

    /// Moves the settings selection to `label` and presses Enter.
    func activate(_ state: inout AppState, _ label: String) -> [Effect] {
        guard let index = settingsIndex(state, label) else {
            Issue.record("no settings item \(label)")
            return []
        }
        state.settings.selection = index
        return press(&state, .enter)
    }

    func screenText(_ state: AppState) -> String {
        Screen.render(state).lines.joined(separator: "\n")
    }

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

    @Test func aPasteIsOneTextWithItsNewlinesAndIsNeverSent() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        let effects = press(&state, .paste("first line\nsecond line\nthird"))
        #expect(!effects.contains { if case .send = $0 { true } else { false } })
        #expect(state.composer.buffer.text == "first line\nsecond line\nthird")
        // A paste with the list focused still lands in the compose box of the open chat.
        _ = press(&state, .escape)
        _ = press(&state, .paste(" more"))
        #expect(state.focus == .compose && state.composer.buffer.text.hasSuffix("third more"))
    }

    @Test func aLongPasteIsInsertedInOneLinearStep() {
        var buffer = ComposeBuffer()
        let text = String(repeating: "abcdé 世界 ", count: 500)
        buffer.insert(text)
        #expect(buffer.text == text)
        #expect(buffer.cursor == buffer.characters.count)
    }

    @Test func editingActsOnWholeGraphemeClusters() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        // The terminal delivers the family one scalar at a time.
        for scalar in "👨‍👩‍👧".unicodeScalars { _ = press(&state, .character(Character(scalar))) }
        for scalar in "🇯🇵".unicodeScalars { _ = press(&state, .character(Character(scalar))) }
        for scalar in "e\u{301}".unicodeScalars { _ = press(&state, .character(Character(scalar))) }
        #expect(state.composer.buffer.characters == ["👨‍👩‍👧", "🇯🇵", "é"])
        _ = press(&state, .left, .backspace)
        #expect(state.composer.buffer.text == "👨‍👩‍👧e\u{301}")
        _ = press(&state, .backspace)
        #expect(state.composer.buffer.text == "e\u{301}")
    }

    @Test func escQuicklyFollowedByAKeyLosesNeither() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        #expect(state.focus == .compose)
        // Esc then j arrives as Alt-j: back to the list, then j moves down.
        _ = press(&state, .alt("j"))
        #expect(state.focus == .chats)
        #expect(state.selectedChatId == Fixtures.group)
    }

    @Test func tabsAndCarriageReturnsAreShownNotDropped() {
        #expect(DisplayableText.make("tab\there") == "tab     here")
        #expect(DisplayableText.make("a\r\nb\rc") == "a\nb\nc")
        #expect(DisplayableText.make("\u{1B}[2Jx\u{7}") == "^[[2Jx^G")
        var state = Fixtures.state()
        _ = press(&state, .enter)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [Fixtures.message(1, from: 2, "tab\there")]))
        #expect(screenText(state).contains("tab     here"))
    }

    @Test func readingHistoryStaysPutAndCountsWhatArrives() {
        var state = Fixtures.state(rows: 12, columns: 80)
        _ = press(&state, .enter)
        let many = (1...40).map { Fixtures.message($0, from: $0 % 2 == 0 ? 1 : 2, "line \($0)", minutes: Double($0)) }
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, many))
        state.focus = .conversation
        _ = press(&state, .pageUp)
        let offset = state.conversation.scrollOffset
        #expect(offset > 0)
        let before = screenText(state)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, many + [Fixtures.message(41, from: 2, "new one", minutes: 41)]))
        #expect(state.conversation.scrollOffset > offset)
        #expect(state.conversation.newBelow == 1)
        let after = screenText(state)
        // The same messages are on screen; the hint counts the new one.
        let messageLines = { (text: String) in text.split(separator: "\n").filter { $0.contains("line ") }.map { String($0.suffix(30)) } }
        #expect(messageLines(before) == messageLines(after))
        #expect(after.contains("↓ 1 new"))
        _ = press(&state, .end)
        #expect(state.conversation.scrollOffset == 0 && state.conversation.newBelow == 0)
    }

    /// The window holds the newest N: a message arriving pushes the oldest out at the top, which
    /// must not move what is on screen either.
    @Test func readingHistoryStaysPutWhenTheOldestLeavesTheWindow() {
        var state = Fixtures.state(rows: 12, columns: 80)
        _ = press(&state, .enter)
        let all = (1...45).map { Fixtures.message($0, from: $0 % 3 == 0 ? 1 : 2, "line \($0)", minutes: Double($0) * 2) }
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Array(all[0..<40])))
        state.focus = .conversation
        _ = press(&state, .pageUp)
        #expect(state.conversation.scrollOffset > 0)
        let messageLines = { (text: String) in text.split(separator: "\n").filter { $0.contains("line ") }.map { String($0.suffix(30)) } }
        let before = messageLines(screenText(state))
        for newest in 41...45 {
            _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Array(all[(newest - 40)..<newest])))
            #expect(messageLines(screenText(state)) == before)
        }
        #expect(state.conversation.newBelow == 5)
    }

    @Test func upAndDownMoveInAMultiLineDraftAndRecallEarlierInputWhenEmpty() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        _ = type(&state, "first")
        _ = press(&state, .enter)
        _ = type(&state, "second")
        _ = press(&state, .enter)
        // Empty: Up recalls, newest first; Down comes back to an empty box.
        _ = press(&state, .up)
        #expect(state.composer.buffer.text == "second")
        _ = press(&state, .up)
        #expect(state.composer.buffer.text == "first")
        _ = press(&state, .down, .down)
        #expect(state.composer.buffer.text.isEmpty)
        // A multi-line draft: Up and Down move the cursor between its lines.
        _ = type(&state, "top line")
        _ = press(&state, .altEnter)
        _ = type(&state, "bottom")
        let scroll = state.conversation.scrollOffset
        _ = press(&state, .up)
        #expect(state.composer.buffer.cursor == 6)  // "top li|ne": same column, line above
        _ = type(&state, "X")
        #expect(state.composer.buffer.text == "top liXne\nbottom")
        _ = press(&state, .down)
        _ = type(&state, "Y")
        #expect(state.composer.buffer.text == "top liXne\nbottomY")
        #expect(state.conversation.scrollOffset == scroll)
    }

    @Test func aBurstRingsOnceAndEndsInOneSummary() {
        var coalescer = NotificationCoalescer(window: 10)
        let start = Fixtures.base
        var alerts: [NotificationCoalescer.Alert] = []
        for index in 0..<2000 {
            let chat = index % 3 == 0 ? Fixtures.group : Fixtures.personal
            if let alert = coalescer.arrived(chat, title: "Bob", body: "message \(index)", count: 1, at: start.addingTimeInterval(Double(index) * 0.005)) {
                alerts.append(alert)
            }
        }
        #expect(alerts.count == 1)
        #expect(coalescer.flush(at: start.addingTimeInterval(5)) == nil)  // not before the window ends
        let summary = coalescer.flush(at: start.addingTimeInterval(10))
        #expect(summary?.body == "1999 new messages in 2 chats")
        #expect(coalescer.flush(at: start.addingTimeInterval(30)) == nil)
    }

    @Test func unreadMessagesInArchivedChatsShowInTheListTitle() {
        var state = Fixtures.state()
        var chats = Fixtures.chats
        chats[2].unreadCount = 1
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        #expect(screenText(state).contains("Chats (2) · 1 in archive"))
        _ = press(&state, .character("A"))
        #expect(screenText(state).contains("Archive (1) · 1 unread"))
    }

    @Test func logoutInTheDemoSaysThatTheDemoEnds() {
        var state = Fixtures.state()
        state.logoutEndsTheProgram = true
        _ = press(&state, .character("/"))
        _ = type(&state, "logout")
        _ = press(&state, .enter)
        guard case .confirm(let confirmation)? = state.overlay else { Issue.record("no confirmation"); return }
        #expect(confirmation.question.contains("termchat demo ends"))
    }

    @Test func attachmentsShowTheirNameAndSaveWithoutAskingForAPath() {
        var state = Fixtures.state(columns: 140)
        _ = press(&state, .enter)
        var named = Fixtures.message(20, from: 2, "the notes", minutes: 10)
        named.attachments = [CachedAttachment(position: 0, mediaId: UUID(), fileType: "txt", fileSize: 17, fileExists: true, previewExists: false,
                                              localPath: nil, transferDone: 0, transferTotal: 0, transferState: .none, fileName: "notes.txt")]
        var upstream = Fixtures.message(21, from: 2, "", minutes: 11)
        upstream.attachments = [CachedAttachment(position: 0, mediaId: UUID(), fileType: "png", fileSize: 2048, fileExists: false, previewExists: false,
                                                 localPath: nil, transferDone: 0, transferTotal: 0, transferState: .none, fileName: nil, fileExistsKnown: false)]
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [named, upstream]))
        let screen = screenText(state)
        #expect(screen.contains("📎 notes.txt · 17 B · o to save"), "\(screen)")
        // A server that does not say whether the file is there: "maybe", and saving is offered.
        #expect(screen.contains("· on the server, maybe: o to save"), "\(screen)")
        state.focus = .conversation
        #expect(press(&state, .character("o")) == [.download(Fixtures.personal, localId: upstream.localId, to: nil)])
        // Without a name, the caption names the file, then the id.
        #expect(named.attachments[0].displayName(caption: "ignored") == "notes.txt")
        var unnamed = named.attachments[0]
        unnamed.fileName = nil
        #expect(unnamed.displayName(caption: "meeting notes") == "meeting notes.txt")
        #expect(unnamed.displayName(caption: nil) == unnamed.remoteFileName)
        #expect(SafeFileName.make("../../.bashrc\u{1B}") == "bashrc")
    }

    @Test func longInputShowsABytesCounterAndOffersToSendAFile() {
        var state = Fixtures.state(columns: 120)
        _ = press(&state, .enter)
        _ = press(&state, .paste(String(repeating: "é", count: 900)))  // 1,800 bytes
        #expect(screenText(state).contains("1800/2048 bytes"))
        _ = press(&state, .paste(String(repeating: "x", count: 3200)))  // 5,000 bytes
        #expect(screenText(state).contains("5000/2048 bytes · Enter: send as a .txt file"))
        let text = state.composer.buffer.text
        #expect(press(&state, .enter).isEmpty)
        guard case .confirm(let offer)? = state.overlay else { Issue.record("no offer"); return }
        #expect(offer.question.contains("Send it as a .txt file?"))
        let effects = press(&state, .character("y"))
        #expect(effects.first == .sendTextAsFile(Fixtures.personal, text))
        #expect(state.composer.buffer.isEmpty)
    }

    @Test func flagsAndFamiliesAreDrawnAsWideAsTerminalsShowThem() {
        #expect(TextWidth.of(Character("🇯🇵")) == 2)
        #expect(TextWidth.of(Character("👨‍👩‍👧")) == 2)
        var canvas = Canvas(rows: 1, columns: 10)
        canvas.write("🇯🇵x", row: 0, column: 0)
        #expect(canvas.lines[0].hasPrefix("🇯🇵x"))
    }

    @Test func aHugeMessageIsLaidOutInBoundedSpace() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        let huge = String(repeating: "word ", count: 1_000_000)  // 5 MB
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [Fixtures.message(1, from: 2, huge)]))
        let folded = ConversationLayout.lines(state, width: 60)
        #expect(folded.count < 20, "folded")
        #expect(screenText(state).isEmpty == false)
        // Shown whole, it is still bounded, and says what it leaves out.
        state.conversation.expanded.insert(Fixtures.message(1, from: 2, huge).localId)
        let lines = ConversationLayout.lines(state, width: 60)
        #expect(lines.count < 1000 && lines.count > folded.count)
        let words = lines.map { $0.map(\.text).joined() }.joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(words.contains("more bytes not shown"))
    }

    /// A first sync over many chats counts them in the status line.
    @Test func theStatusLineCountsALargeFirstSync() {
        var state = Fixtures.state(columns: 100)
        var syncing = state.engine
        syncing.isCaughtUp = false
        syncing.syncProgress = SyncProgress(done: 1200, total: 100_000)
        _ = Reducer.reduce(&state, .engineStatusChanged(syncing))
        #expect(screenText(state).contains("● syncing chats 1,200 of 100,000"))
        syncing.syncProgress = nil
        syncing.isCaughtUp = true
        _ = Reducer.reduce(&state, .engineStatusChanged(syncing))
        #expect(screenText(state).contains("● online"))
        #expect(!screenText(state).contains("syncing"))
    }

    @Test func noticesGoAwayWhenTheyNoLongerHold() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        // A lost connection: shown, then gone once the engine is online again.
        var offline = state.engine
        offline.connection = .offline
        offline.lastError = "Cannot reach the server (connection refused)."
        _ = Reducer.reduce(&state, .engineStatusChanged(offline))
        #expect(state.notice?.text == offline.lastError)
        var online = offline
        online.connection = .online
        online.lastError = nil
        _ = Reducer.reduce(&state, .engineStatusChanged(online))
        #expect(state.notice == nil)
        // An upload: "Sending…" while it uploads, "Sent." once it has.
        _ = Reducer.reduce(&state, .uploadStarted("plan.png"))
        var uploading = Fixtures.message(30, from: 1, "", minutes: 30)
        uploading.attachments = [CachedAttachment(position: 0, mediaId: nil, fileType: "png", fileSize: 10, fileExists: false, previewExists: false,
                                                  localPath: "/tmp/plan.png", transferDone: 0, transferTotal: 10, transferState: .uploading)]
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [uploading]))
        #expect(state.notice?.text == "Sending plan.png…")
        uploading.attachments[0].transferState = .uploaded
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [uploading]))
        #expect(state.notice?.text == "Sent.")
    }

    @Test func anyAttachmentCanBeSavedNotOnlyTheNewest() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        func file(_ id: Int, _ name: String) -> CachedMessage {
            var message = Fixtures.message(id, from: 2, "", minutes: Double(id))
            message.attachments = [CachedAttachment(position: 0, mediaId: UUID(), fileType: "txt", fileSize: 3, fileExists: true, previewExists: false,
                                                    localPath: nil, transferDone: 0, transferTotal: 0, transferState: .none, fileName: name)]
            return message
        }
        let older = file(40, "older.txt")
        let newer = file(41, "newer.txt")
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [older, newer]))
        func run(_ line: String) -> [Effect] {
            _ = type(&state, line)
            return press(&state, .enter).filter { if case .saveDraft = $0 { false } else { true } }
        }
        #expect(run("/save") == [.download(Fixtures.personal, localId: newer.localId, to: nil)])
        #expect(run("/save 2") == [.download(Fixtures.personal, localId: older.localId, to: nil)])
        #expect(run("/save 2 /tmp/x.txt") == [.download(Fixtures.personal, localId: older.localId, to: "/tmp/x.txt")])
        #expect(run("/save 3").isEmpty)
        #expect(state.notice?.text == "There are only 2 attachments here.")
    }
}
