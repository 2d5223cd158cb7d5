import ChatAPI
import ChatStore
@testable import ChatUI
import Foundation
import Testing
import TerminalUI

/// Acting on any message, the unread line, jumps, mentions, colours, grouping,
/// system lines and delivery states, as screens and as the reducer's answers.
@Suite struct MessageActionTests {
    /// The personal chat open, its conversation shown, the focus on the messages.
    func conversation(_ messages: [CachedMessage], rows: Int = 20, columns: Int = 80) -> AppState {
        var state = Fixtures.state(rows: rows, columns: columns)
        var chats = Fixtures.chats
        chats[0].unreadCount = 0
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        _ = press(&state, .enter)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, messages))
        _ = press(&state, .tab)  // compose → conversation
        #expect(state.focus == .conversation)
        return state
    }

    /// The rows of the conversation pane that carry the selection's bar.
    func selectedRows(_ canvas: Canvas) -> [String] {
        canvas.lines.enumerated().filter { row, _ in (0..<canvas.columns).contains { canvas[row, $0].character == "▌" } }.map(\.element)
    }

    var three: [CachedMessage] {
        [
            Fixtures.message(31, from: 2, "first from Bob", minutes: 0),
            Fixtures.message(32, from: 1, "mine in the middle", minutes: 10),
            Fixtures.message(33, from: 2, "newest from Bob", minutes: 20),
        ]
    }

    @Test func theSelectionCursorStartsOnTheNewestMovesAndIsDrawnReversed() {
        var state = conversation(three, columns: 110)
        _ = press(&state, .character("v"))
        #expect(state.conversation.selection == "2+33")
        var canvas = Screen.render(state)
        #expect(selectedRows(canvas).count == 1)
        #expect(selectedRows(canvas)[0].contains("10:20 Bob: newest from Bob"))
        _ = press(&state, .up, .character("k"))
        #expect(state.conversation.selection == "2+31")
        canvas = Screen.render(state)
        let row = try! #require(canvas.lines.firstIndex { $0.contains("first from Bob") })
        let column = try! #require(canvas.lines[row].firstIndex(of: "f").map { canvas.lines[row].distance(from: canvas.lines[row].startIndex, to: $0) })
        #expect(canvas[row, column].style.reverse, "the selected message is drawn reversed")
        let other = try! #require(canvas.lines.firstIndex { $0.contains("newest from Bob") })
        #expect(!canvas[other, column].style.reverse)
        // Every key of the selection, closer together when the pane is narrow (77 columns here).
        #expect(canvas.text.contains(" r reply  e edit  D delete  s save  O open  y copy  i details  u links  Esc"))
        // Past the oldest: stays, and asks for older messages.
        #expect(press(&state, .up) == [.loadOlder(Fixtures.personal)])
        #expect(state.conversation.selection == "2+31")
        _ = press(&state, .escape)
        #expect(state.conversation.selection == nil && state.focus == .conversation)
        #expect(selectedRows(Screen.render(state)).isEmpty)
    }

    @Test func theSelectedMessageIsActedOn() {
        var state = conversation(three)
        _ = press(&state, .character("v"))
        // Not yours: no edit, no delete.
        _ = press(&state, .character("e"))
        #expect(state.notice?.text == "Only your own messages can be edited.")
        #expect(press(&state, .character("y")) == [.copyToClipboard("newest from Bob")])
        #expect(state.notice?.text == "Copied to the clipboard.")
        #expect(press(&state, .character("s")).isEmpty && state.notice?.text == "No attachment on that message that can be saved.")
        // Yours: delete asks first, naming it.
        _ = press(&state, .up)
        _ = press(&state, .character("D"))
        guard case .confirm(let question)? = state.overlay else { Issue.record("no question"); return }
        #expect(question.question.hasPrefix("Delete your message “mine in the middle”?"))
        #expect(press(&state, .character("y")) == [.deleteMessage(Fixtures.personal, localId: "1+32")])
        // Edit: the compose box holds the text, the draft waits, Enter saves the edit.
        state.composer.drafts[Fixtures.personal] = "half a thought"
        state.composer.buffer.replace(with: "half a thought")
        #expect(state.conversation.selection == "1+32", "the selection stays after a delete")
        _ = press(&state, .character("e"))
        #expect(state.focus == .compose && state.composer.buffer.text == "mine in the middle" && state.composer.editing == "1+32")
        #expect(Screen.render(state).text.contains("editing your message · Enter saves · Esc cancels"))
        _ = press(&state, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace)
        let effects = type(&state, "end!") + press(&state, .enter)
        #expect(effects.contains(.editMessage(Fixtures.personal, localId: "1+32", text: "mine in the end!")))
        #expect(!effects.contains { if case .send = $0 { true } else { false } })
        // Saving the edit ends "typing…" on the other side (it stayed ~6 s).
        #expect(effects.last == .composeEnded(Fixtures.personal))
        #expect(state.composer.buffer.text == "half a thought" && state.composer.editing == nil)
    }

    @Test func attachmentsAreSavedAndOpenedFromTheSelection() {
        var photo = Fixtures.message(34, from: 2, "the photo", minutes: 30)
        photo.attachments = [CachedAttachment(position: 0, mediaId: UUID(), fileType: "png", fileSize: 2048, fileExists: true, previewExists: false,
                                              localPath: nil, transferDone: 0, transferTotal: 0, transferState: .none, fileName: "beach.png")]
        var state = conversation(three + [photo, Fixtures.message(35, from: 1, "nice", minutes: 31)])
        _ = press(&state, .character("v"), .up)
        #expect(press(&state, .character("s")) == [.download(Fixtures.personal, localId: "2+34", to: nil)])
        #expect(press(&state, .character("O")) == [.openAttachment(Fixtures.personal, localId: "2+34")])
    }

    @Test func aReplyQuotesTheOriginalAndIsDrawnAsAQuotedBlock() {
        var state = conversation(three)
        _ = press(&state, .character("v"), .up, .up, .character("r"))
        #expect(state.focus == .compose && state.composer.replyTo?.localId == "2+31")
        #expect(Screen.render(state).text.contains("replying to Bob: first from Bob · Esc cancels"))
        let effects = type(&state, "yes, agreed") + press(&state, .enter)
        #expect(effects.contains(.send(Fixtures.personal, "> Bob: first from Bob\nyes, agreed")))
        #expect(state.composer.replyTo == nil)
        // As any TermChat draws it: the quote dim, above the answer.
        let reply = Fixtures.message(36, from: 2, "> Alice: a long first line\nyes, agreed", minutes: 40)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, three + [reply]))
        let canvas = Screen.render(state)
        let lines = canvas.lines.map { $0.split(separator: "│", maxSplits: 1).last.map(String.init) ?? $0 }
        let header = try! #require(lines.firstIndex(of: " 10:40 Bob:"))
        #expect(lines[header + 1] == "       ┃ Alice: a long first line")
        #expect(lines[header + 2] == "       yes, agreed")
        let quoteRow = try! #require(canvas.lines.firstIndex { $0.contains("┃ Alice") })
        let bar = canvas.lines[quoteRow].distance(from: canvas.lines[quoteRow].startIndex, to: canvas.lines[quoteRow].firstIndex(of: "┃")!)
        #expect(canvas[quoteRow, bar].style == Theme.standard.dim)
        // A reply to a reply quotes the answer, not the quote; a long line is cut.
        #expect(ReplyQuote.line(author: "Bob", text: "> Alice: x\nthe answer") == "> Bob: the answer")
        #expect(ReplyQuote.line(author: "Bob", text: String(repeating: "w", count: 100)) == "> Bob: " + String(repeating: "w", count: 80) + "…")
        #expect(press(&state, .escape).contains(.saveDraft(Fixtures.personal, "")))
    }

    @Test func theDetailsShowTimesDeliveryAndWhoReadIt() {
        var read = Fixtures.message(37, from: 1, "did you see?", minutes: 50)
        read.readBy = [2]
        read.readAt = [2: Fixtures.base.addingTimeInterval(55 * 60)]
        read.editedAt = Fixtures.base.addingTimeInterval(51 * 60)
        var state = conversation(three + [read])
        _ = press(&state, .character("v"), .character("i"))
        let text = Screen.render(state).text
        #expect(text.contains("Message details — any key closes"))
        #expect(text.contains("From         Alice (@alice1)"))
        #expect(text.contains("Sent         Wed, 25 Nov 2026 at 10:50:00"))
        #expect(text.contains("Edited       Wed, 25 Nov 2026 at 10:51:00"))
        #expect(text.contains("Delivery     ✓✓ sent and read"))
        #expect(text.contains("Read by      Bob at Wed, 25 Nov 2026 at 10:55:00"))
        #expect(text.contains("Message id   37"))
        _ = press(&state, .character("x"))
        #expect(state.overlay == nil)
    }

    @Test func theUnreadLineIsAboveTheFirstUnreadAndScrolledIntoView() {
        var state = Fixtures.state(rows: 12, columns: 80)
        var chats = Fixtures.chats
        chats[0].unreadCount = 3
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        _ = press(&state, .enter)
        let messages = (1...40).map { Fixtures.message(100 + $0, from: $0 > 37 ? 2 : 1, "line \($0)", minutes: Double($0) * 10) }
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, messages))
        #expect(state.conversation.unread == UnreadMarker(count: 3, localId: "2+138"))
        var lines = Screen.render(state).lines.map { $0.split(separator: "│", maxSplits: 1).last.map(String.init) ?? $0 }
        let marker = try! #require(lines.firstIndex(of: " ── 3 new ──"))
        // Unread counts others' messages: Bob's three are lines 38 to 40.
        #expect(lines[marker + 1].hasSuffix("Bob: line 38"))
        // It stays while the chat is open, also when more arrives.
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, messages + [Fixtures.message(200, from: 2, "line 41", minutes: 500)]))
        lines = Screen.render(state).lines.map { $0.split(separator: "│", maxSplits: 1).last.map(String.init) ?? $0 }
        #expect(lines.contains(" ── 3 new ──"))
        // Leaving the chat ends it.
        _ = press(&state, .escape, .down, .enter)
        #expect(state.openChatId == Fixtures.group && state.conversation.unread == nil)
    }

    @Test func runsOfOnePersonShareANameAndTimesNotTodayHaveTheirDate() {
        let messages = [
            Fixtures.message(41, from: 2, "yesterday", minutes: -60 * 24),
            Fixtures.message(42, from: 2, "one", minutes: 0),
            Fixtures.message(43, from: 2, "two, four minutes on", minutes: 4),
            Fixtures.message(44, from: 2, "three, six minutes after two", minutes: 10),
            Fixtures.message(45, from: 3, "Carol now", minutes: 11),
        ]
        let state = conversation(messages)
        let lines = Screen.render(state).lines.map { $0.split(separator: "│", maxSplits: 1).last.map(String.init) ?? $0 }
        #expect(lines.contains(" 24 Nov 10:00 Bob: yesterday"))
        #expect(lines.contains(" 10:00 Bob: one"))
        #expect(lines.contains("       two, four minutes on"))
        #expect(lines.contains(" 10:10 Bob: three, six minutes after two"))
        #expect(lines.contains(" 10:11 Carol 李: Carol now"))
    }

    @Test func everyPersonHasAStableColourThatIsNeverYoursOrTheErrors() {
        let theme = Theme.standard
        var seen: Set<TerminalColor> = []
        for user in 2...200 {
            let style = PersonColors.style(for: user, me: 1, theme: theme)
            #expect(style.foreground != theme.me.foreground && style.foreground != theme.error.foreground)
            #expect(style == PersonColors.style(for: user, me: 1, theme: theme))
            seen.insert(style.foreground)
        }
        #expect(seen.count == theme.people.count, "every colour of the palette is used")
        #expect(PersonColors.style(for: 1, me: 1, theme: theme) == theme.me)
        // On screen, with the colour attributes.
        let state = conversation([Fixtures.message(51, from: 2, "hi", minutes: 0), Fixtures.message(52, from: 3, "hey", minutes: 1),
                                  Fixtures.message(53, from: 1, "hello", minutes: 2)])
        let canvas = Screen.render(state)
        for (name, user) in [("Bob", 2), ("Carol", 3), ("Alice", 1)] {
            let row = try! #require(canvas.lines.firstIndex { $0.contains(" \(name)") && $0.contains("10:0") })
            let column = canvas.lines[row].distance(from: canvas.lines[row].startIndex, to: canvas.lines[row].range(of: name, options: .backwards)!.lowerBound)
            #expect(canvas[row, column].style == PersonColors.style(for: user, me: 1, theme: theme), "\(name)")
        }
    }

    @Test func mentionsAreMarkedAndOtherHandlesBold() {
        let state = conversation([Fixtures.message(61, from: 2, "hey @alice1 and @carol1, Alice knows", minutes: 0)])
        let canvas = Screen.render(state)
        let row = try! #require(canvas.lines.firstIndex { $0.contains("hey @alice1") })
        let line = canvas.lines[row]
        func style(at text: String) -> CellStyle { canvas[row, line.distance(from: line.startIndex, to: line.range(of: text)!.lowerBound)].style }
        #expect(style(at: "@alice1") == Theme.standard.mention)
        #expect(style(at: "Alice knows") == Theme.standard.mention)
        #expect(style(at: "@carol1").bold && style(at: "@carol1") != Theme.standard.mention)
        #expect(style(at: "hey") == .plain)
        #expect(Mentions.mention(Fixtures.me, in: "ping @ALICE1!"))
        #expect(!Mentions.mention(Fixtures.me, in: "mail alice1@example.org, Malice"))
    }

    /// Your own name in your own message is not a mention of you.
    @Test func yourOwnNameInYourOwnMessageIsNotAMention() {
        let state = conversation([Fixtures.message(62, from: 1, "this is Alice, @alice1 on the server", minutes: 0)])
        let canvas = Screen.render(state)
        let row = try! #require(canvas.lines.firstIndex { $0.contains("this is Alice") })
        let line = canvas.lines[row]
        func style(at text: String) -> CellStyle { canvas[row, line.distance(from: line.startIndex, to: line.range(of: text)!.lowerBound)].style }
        #expect(style(at: "Alice, @") != Theme.standard.mention)
        #expect(style(at: "@alice1") != Theme.standard.mention && style(at: "@alice1").bold)
    }

    @Test func aMentionRingsInAMutedChatAndDoNotDisturbSilencesTheRest() {
        var state = Fixtures.state()
        var chats = Fixtures.chats
        chats[1].isMuted = true
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        func arrive(_ text: String, unread: Int) -> [Effect] {
            chats[1].lastMessage = Fixtures.message(70 + unread, in: Fixtures.group, from: 3, text, minutes: Double(unread))
            chats[1].unreadCount = unread
            return Reducer.reduce(&state, .chatListChanged(chats))
        }
        #expect(arrive("nothing for you", unread: 1).isEmpty, "muted")
        let mention = arrive("@alice1 look", unread: 2)
        #expect(mention == [.notifyNewMessage(Fixtures.group, title: "Carol 李 mentioned you in Team 🚀", body: "@alice1 look", count: 1)])
        #expect(state.mentionedChats == [Fixtures.group])
        #expect(Screen.render(state).text.contains("Team 🚀 (2) @ ~"))
        // Configured off: a mention in a muted chat is quiet too.
        state.alerts.mentionsInMutedChats = false
        #expect(arrive("@alice1 again", unread: 3).isEmpty)
        // Do not disturb: only mentions ring.
        state.alerts.mentionsInMutedChats = true
        chats[1].isMuted = false
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        _ = press(&state, .character("z"))
        #expect(state.alerts.doNotDisturb && Screen.render(state).lines.last!.contains("do not disturb"))
        #expect(arrive("chatter", unread: 4).isEmpty)
        #expect(arrive("Alice, here", unread: 5).count == 1)
        _ = press(&state, .character("z"))
        #expect(arrive("chatter again", unread: 6).count == 1)
        // Opening the chat clears its mark.
        state.list.selectedChatId = Fixtures.group
        _ = press(&state, .enter)
        #expect(state.mentionedChats.isEmpty)
    }

    @Test func theNextUnreadChatIsTheMostRecentWithMutedOnesLast() {
        var state = Fixtures.state(rows: 20, columns: 100)
        let quiet = Fixtures.summary(UUID(), title: "Muted but recent", personal: false, members: [1, 3],
                                     last: Fixtures.message(80, from: 3, "x", minutes: 90), unread: 4, muted: true)
        var chats = Fixtures.chats
        chats[1].unreadCount = 1  // Team: 1 unread, older than the muted one
        chats[1].lastActivity = Fixtures.base.addingTimeInterval(60)
        chats[0].lastActivity = Fixtures.base.addingTimeInterval(300)  // Bob: 2 unread, the most recent
        _ = Reducer.reduce(&state, .chatListChanged(chats + [quiet]))
        #expect(Screen.render(state).lines.last!.contains("7 unread in 3 chats"))
        #expect(Screen.title(state) == "(7) TermChat")
        _ = press(&state, .alt("a"))
        #expect(state.openChatId == Fixtures.personal && state.focus == .compose)
        // From the compose box Alt-a still works; the letter is text there.
        _ = press(&state, .alt("a"))
        #expect(state.openChatId == Fixtures.group)
        // Bob's chat read meanwhile: the muted one is all that is left.
        chats[0].unreadCount = 0
        _ = Reducer.reduce(&state, .chatListChanged(chats + [quiet]))
        _ = press(&state, .escape, .character("u"))
        #expect(state.openChatId == quiet.id)
        var none = chats.map { chat -> ChatSummary in var chat = chat; chat.unreadCount = 0; return chat }
        none.append(quiet)
        none[3].unreadCount = 0
        _ = Reducer.reduce(&state, .chatListChanged(none))
        _ = press(&state, .alt("a"))
        #expect(state.notice?.text == "No unread messages.")
        #expect(Screen.title(state) == "TermChat")
    }

    @Test func systemLinesSayWhatHappenedInTheChat() {
        var state = conversation(three)
        let at = { (minutes: Double) in Fixtures.base.addingTimeInterval(minutes * 60) }
        let notes = [
            ChatNote(id: 1, chatId: Fixtures.personal, kind: .renamed, actorId: 2, detail: "Trip", createdAt: at(5)),
            ChatNote(id: 2, chatId: Fixtures.personal, kind: .added, actorId: 1, userIds: [3], createdAt: at(15)),
            ChatNote(id: 3, chatId: Fixtures.personal, kind: .left, actorId: 3, userIds: [3], createdAt: at(25)),
            ChatNote(id: 4, chatId: Fixtures.personal, kind: .cleared, actorId: nil, createdAt: at(26)),
        ]
        _ = Reducer.reduce(&state, .notesChanged(Fixtures.personal, notes))
        let canvas = Screen.render(state)
        let lines = canvas.lines.map { $0.split(separator: "│", maxSplits: 1).last.map(String.init) ?? $0 }
        let order = ["first from Bob", "10:05 · Bob renamed the chat to “Trip”", "mine in the middle", "10:15 · You added Carol 李",
                     "newest from Bob", "10:25 · Carol 李 left", "10:26 · The chat was cleared"]
        let positions = order.map { text in lines.firstIndex { $0.contains(text) } }
        #expect(positions.allSatisfy { $0 != nil }, "\(lines)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        let row = try! #require(canvas.lines.firstIndex { $0.contains("renamed the chat") })
        let column = canvas.lines[row].distance(from: canvas.lines[row].startIndex, to: canvas.lines[row].range(of: "Bob renamed")!.lowerBound)
        #expect(canvas[row, column].style == Theme.standard.dim)
        // A note is not a message: the selection skips it.
        _ = press(&state, .character("v"), .up)
        #expect(state.conversation.selection == "1+32")
    }

    @Test func everyDeliveryStateHasItsMark() {
        var read = Fixtures.message(91, from: 1, "read", minutes: 0)
        read.readBy = [2]
        let sent = Fixtures.message(92, from: 1, "sent", minutes: 10)
        let queued = Fixtures.message(93, from: 1, "queued", minutes: 20, state: .queued)
        let failed = Fixtures.message(94, from: 1, "failed", minutes: 30, state: .failed)
        let state = conversation([read, sent, queued, failed])
        let canvas = Screen.render(state)
        let lines = canvas.lines.map { $0.split(separator: "│", maxSplits: 1).last.map(String.init) ?? $0 }
        #expect(lines.contains(" 10:00 Alice: read ✓✓"))
        #expect(lines.contains(" 10:10 Alice: sent ✓"))
        #expect(lines.contains(" 10:20 Alice: queued ◷"))
        #expect(lines.contains(" 10:30 Alice: failed ✗"))
        #expect(lines.contains("       ✗ not sent: Too long. (r retry, d discard)"))
        let row = try! #require(canvas.lines.firstIndex { $0.contains("read ✓✓") })
        let column = canvas.lines[row].distance(from: canvas.lines[row].startIndex, to: canvas.lines[row].range(of: "✓✓")!.lowerBound)
        #expect(canvas[row, column].style == Theme.standard.accent, "read stands out")
        let failedRow = try! #require(canvas.lines.firstIndex { $0.contains("✗ not sent") })
        let failedColumn = canvas.lines[failedRow].distance(from: canvas.lines[failedRow].startIndex, to: canvas.lines[failedRow].range(of: "✗ not")!.lowerBound)
        #expect(canvas[failedRow, failedColumn].style == Theme.standard.error)
        // In a group, who read it is named.
        var group = Fixtures.state()
        group.list.selectedChatId = Fixtures.group
        _ = Reducer.reduce(&group, .keyPressed(.enter))
        var inGroup = Fixtures.message(95, in: Fixtures.group, from: 1, "to all", minutes: 0)
        inGroup.readBy = [2, 3]
        inGroup.readAt = [2: Fixtures.base, 3: Fixtures.base]  // their marks are on it (as the store reads them)
        _ = Reducer.reduce(&group, .conversationChanged(Fixtures.group, [inGroup]))
        #expect(Screen.render(group).text.contains("read by Bob, Carol 李"))
    }
}
