import ChatAPI
import ChatStore
@testable import ChatUI
import Foundation
import Testing
import TerminalUI

/// Search in the UI core: the search overlay, opening a hit, n/N, the quick switcher and
/// the list filter.
@Suite struct FindTests {
    /// The search says when chats are cached only in part.
    @Test func theSearchSaysWhenChatsAreOnlyPartlyCached() {
        var state = Fixtures.state(rows: 20, columns: 140)
        _ = press(&state, .control("f"))
        _ = type(&state, "x")
        _ = Reducer.reduce(&state, .searchAnswered(query: "x", hits: [], progress: nil, problem: nil, partlyCached: 2))
        #expect(Screen.render(state).text.contains("Nothing found. 2 chats are cached only in part: older messages there are not searched."))
        _ = Reducer.reduce(&state, .searchAnswered(query: "x", hits: [], progress: nil, problem: nil, partlyCached: 0))
        #expect(!Screen.render(state).text.contains("in part"))
    }

    @Test func searchAsksOnEveryKeystrokeShowsHitsAndOpensTheChatAtOne() {
        var state = Fixtures.state(rows: 20, columns: 100)
        _ = press(&state, .control("f"))
        guard case .search? = state.overlay else { Issue.record("no search"); return }
        #expect(type(&state, "see") == [.search("s"), .search("se"), .search("see")])
        // An answer to an older keystroke is dropped.
        let old = Fixtures.message(12, in: Fixtures.group, from: 3, "see you", minutes: 1)
        _ = Reducer.reduce(&state, .searchAnswered(query: "se", hits: [old], progress: nil, problem: nil))
        guard case .search(let stale)? = state.overlay else { return }
        #expect(stale.hits.isEmpty)
        let other = Fixtures.message(9, from: 2, "see the docs", minutes: -5)
        _ = Reducer.reduce(&state, .searchAnswered(query: "see", hits: [old, other], progress: SearchIndexProgress(done: 5, total: 10), problem: nil))
        let canvas = Screen.render(state)
        #expect(canvas.text.contains("2 found, newest first. The index is still being built (50 %)"))
        #expect(canvas.text.contains(" Team 🚀 · Carol 李 · 25 Nov 10:01 · see you"))
        #expect(canvas.text.contains(" Bob · Bob · 25 Nov 09:55 · see the docs"))
        // The match is marked.
        let row = try! #require(canvas.lines.firstIndex { $0.contains("see the docs") })
        let column = canvas.lines[row].distance(from: canvas.lines[row].startIndex, to: canvas.lines[row].range(of: "see the")!.lowerBound)
        #expect(canvas[row, column].style == Theme.standard.mention)
        // Enter on the second: Bob's chat opens with that message to select.
        let effects = press(&state, .down, .enter)
        #expect(state.overlay == nil && state.openChatId == Fixtures.personal && state.focus == .conversation)
        #expect(effects.contains(.showMessage(Fixtures.personal, localId: "2+9")))
        #expect(state.conversation.pendingSelection == "2+9")
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, Fixtures.conversation + [other].sorted { $0.createdAt < $1.createdAt }))
        #expect(state.conversation.selection == "2+9" && state.conversation.pendingSelection == nil)
    }

    @Test func aMistakeInTheQueryIsShownAndTheHitsCleared() {
        var state = Fixtures.state()
        _ = press(&state, .control("f"))
        _ = type(&state, "from:")
        _ = Reducer.reduce(&state, .searchAnswered(query: "from:", hits: [], progress: nil, problem: "from: needs a value, e.g. from:bob."))
        #expect(Screen.render(state).text.contains("from: needs a value, e.g. from:bob."))
        _ = press(&state, .escape)
        #expect(state.overlay == nil)
        // /search opens it with the words.
        state.list.selectedChatId = Fixtures.personal
        _ = press(&state, .enter)
        #expect(type(&state, "/search budget").isEmpty)
        #expect(press(&state, .enter).contains(.search("budget")))
    }

    @Test func ctrlFInAConversationSearchesItAndNWalksTheHits() {
        var state = Fixtures.state(rows: 20, columns: 100)
        _ = press(&state, .enter)
        let messages = (1...6).map { Fixtures.message(40 + $0, from: 2, $0 % 2 == 0 ? "match \($0)" : "other \($0)", minutes: Double($0) * 10) }
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, messages))
        _ = press(&state, .tab)
        #expect(state.focus == .conversation)
        #expect(press(&state, .control("f")) == [.search("in:@bobby1 ")])
        guard case .search(let search)? = state.overlay else { Issue.record("no search"); return }
        #expect(search.input.text == "in:@bobby1 ")
        _ = type(&state, "match")
        let hits = messages.filter { $0.text!.hasPrefix("match") }.reversed()
        _ = Reducer.reduce(&state, .searchAnswered(query: "in:@bobby1 match", hits: Array(hits), progress: nil, problem: nil))
        _ = press(&state, .enter)
        #expect(state.conversation.selection == "2+46" && state.conversation.searchHits == ["2+46", "2+44", "2+42"])
        _ = press(&state, .character("n"))
        #expect(state.conversation.selection == "2+44" && state.notice?.text == "Match 2 of 3.")
        _ = press(&state, .character("n"), .character("n"))
        #expect(state.conversation.selection == "2+42" && state.notice?.text == "No older match in this chat.")
        _ = press(&state, .character("N"))
        #expect(state.conversation.selection == "2+44")
        // A hit outside the window is asked for.
        state.conversation.searchHits.append("2+1")
        #expect(press(&state, .character("n"), .character("n")).contains(.showMessage(Fixtures.personal, localId: "2+1")))
        #expect(state.conversation.pendingSelection == "2+1")
    }

    @Test func theSwitcherRanksByTheMatchThenRecencyAndOpensOrStartsAChat() {
        var state = Fixtures.state()
        let dave = UserInfo(id: 4, name: "Dave Carter", username: "dcarter")
        state.users[4] = dave
        _ = press(&state, .control("k"))
        guard case .switcher(let opened)? = state.overlay else { Issue.record("no switcher"); return }
        #expect(opened.results.first?.target == .chat(Fixtures.personal), "nothing typed: the most recent chat first")
        _ = type(&state, "car")
        guard case .switcher(let switcher)? = state.overlay else { return }
        #expect(switcher.results.map(\.target) == [.person(Fixtures.carol), .person(dave)], "\(switcher.results.map(\.name))")
        #expect(Screen.render(state).text.contains("Carol 李  @carol1 · new chat"))
        #expect(press(&state, .enter) == [.createChat(usernames: ["carol1"], title: nil)])
        #expect(state.overlay == nil)
        // A chat by the letters of its title.
        _ = press(&state, .control("k"))
        _ = type(&state, "tm")
        _ = press(&state, .enter)
        #expect(state.openChatId == Fixtures.group)
        // The match itself.
        #expect(FuzzyMatch.score("tpl", in: "Trip Planning") != nil)
        #expect(FuzzyMatch.score("xyz", in: "Trip Planning") == nil)
        #expect(FuzzyMatch.score("cafe", in: "Café Crew")! > FuzzyMatch.score("cafe", in: "a cat and a feather")!)
        #expect(FuzzyMatch.score("bob", in: "Bob")! > FuzzyMatch.score("bob", in: "Bobby Tables")!)
    }

    @Test func typingInTheListNarrowsItAndEscClears() {
        var state = Fixtures.state()
        _ = type(&state, "te")
        #expect(state.list.filter == "te" && state.visibleChats.map(\.id) == [Fixtures.group])
        #expect(state.selectedChatId == Fixtures.group)
        #expect(Screen.render(state).lines[0].hasPrefix("“te” (1) · Esc clears"))
        // While filtering, list keys are letters too ("a" would archive otherwise).
        _ = type(&state, "a")
        #expect(state.list.filter == "tea")
        _ = press(&state, .backspace)
        #expect(state.list.filter == "te")
        _ = press(&state, .enter)
        #expect(state.openChatId == Fixtures.group)
        _ = press(&state, .escape, .escape)
        #expect(state.list.filter.isEmpty && state.visibleChats.count == 2)
        // A list key still acts when nothing is typed.
        _ = type(&state, "j")
        #expect(state.list.filter.isEmpty)
    }
}
