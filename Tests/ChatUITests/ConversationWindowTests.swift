import ChatAPI
import ChatStore
@testable import ChatUI
import Foundation
import Testing
import TerminalUI

/// The bounded conversation window over a real cache: the anchor kept while the window moves
/// both ways, memory bounded by the window, jumps addressed by message, the unread line for
/// any count. The effects the reducer asks of the store are carried out as the client does.
@Suite struct ConversationWindowTests {
    static let total = 1_000

    /// A cache of `total` messages in the personal chat, every tenth three lines long, the
    /// whole history known (its start is cached).
    static func makeStore(cached: ClosedRange<Int> = 1...total) throws -> ChatStore {
        let path = NSTemporaryDirectory() + "window-\(UUID().uuidString)/cache.sqlite"
        let store = try ChatStore(path: path, me: Fixtures.me.id)
        try store.upsertChat(ChatInfo(id: Fixtures.personal, title: nil, isPersonal: true, owner: Fixtures.me, allUsers: [Fixtures.me, Fixtures.bob]))
        _ = try store.applyServerMessages(cached.map(serverMessage))
        try store.addKnownRange(Fixtures.personal, low: cached.lowerBound == 1 ? 0 : cached.lowerBound, high: cached.upperBound)
        return store
    }

    static func serverMessage(_ id: Int) -> MessageInfo {
        let date = Fixtures.base.addingTimeInterval(Double(id - total) * 60)
        let text = String(format: "history %05d", id) + (id % 10 == 0 ? "\nsecond line\nthird line" : "")
        return MessageInfo(id: id, localId: "\(id % 3 == 0 ? 1 : 2)+\(id)", chatId: Fixtures.personal, authorId: id % 3 == 0 ? 1 : 2,
                           text: text, createdAt: date, updatedAt: date)
    }

    /// Carries out what the reducer asks of the store and the engine, as `EffectRunner` and
    /// `ConversationWatcher` do (synchronously here), and feeds the answers back.
    struct Driver {
        let store: ChatStore
        var position: WindowPosition = .newest
        /// Window moves carried out, and whether the view stayed put across each.
        var moves = 0
        var viewJumped = false
        /// The window showing `g`'s last page arrives after the loader's "done".
        var lateLastWindow = false

        mutating func run(_ effects: [Effect], _ state: inout AppState) throws {
            var pending = effects
            while !pending.isEmpty {
                let effect = pending.removeFirst()
                switch effect {
                case .openChat(let chat?):
                    position = .newest
                    pending += Reducer.reduce(&state, .windowChanged(chat, try store.window(chat, at: .newest)))
                case .moveWindow(let chat, let to):
                    position = to
                    moves += 1
                    let before = shown(state)
                    let isJump = state.conversation.pendingJump != nil || state.conversation.pendingScroll != 0
                        || state.conversation.pendingSelection != nil
                    pending += Reducer.reduce(&state, .windowChanged(chat, try store.window(chat, at: to)))
                    if !isJump, shown(state) != before { viewJumped = true }
                case .loadOlder(let chat):
                    let atStart = try serverPage(100)
                    try storeChanged(&state)
                    pending += Reducer.reduce(&state, .olderMessagesLoaded(chat, reachedStart: atStart))
                case .loadHistory(let chat):
                    // Pages of 500 from the "server" until its start, each seen by the window.
                    var loaded = 0
                    while true {
                        let atStart = try serverPage(500)
                        loaded += 500
                        if atStart, lateLastWindow { break }
                        try storeChanged(&state)
                        if atStart { break }
                        pending += Reducer.reduce(&state, .historyProgress(chat, loaded: loaded))
                    }
                    pending += Reducer.reduce(&state, .historyLoaded(chat, reachedStart: true))
                    // The store's observation may see the last page after the loader said it is done.
                    if lateLastWindow { try storeChanged(&state) }
                case .findUnread(let chat, let count):
                    let first = try #require(try store.firstUnread(chat, count: count))
                    pending += Reducer.reduce(&state, .unreadFound(chat, UnreadMarker(count: count, localId: first.localId), serverId: first.serverId!))
                case .showMessage(let chat, let localId):
                    let message = try #require(try store.message(chat, localId: localId))
                    pending += Reducer.reduce(&state, .messageLocated(chat, localId: localId, serverId: message.serverId!))
                default:
                    continue
                }
            }
        }

        /// A page of `count` older messages into the cache, as the engine stores a server page;
        /// answers whether the chat's start is cached now.
        func serverPage(_ count: Int) throws -> Bool {
            guard let top = try store.knownRanges(Fixtures.personal).first, top.low > 0 else { return true }
            let ids = max(1, top.low - count)...(top.low - 1)
            _ = try store.applyServerMessages(ids.map(ConversationWindowTests.serverMessage))
            try store.addKnownRange(Fixtures.personal, low: ids.lowerBound == 1 ? 0 : ids.lowerBound, high: top.low)
            return ids.lowerBound == 1
        }

        /// The store changed: the window is read again where it is.
        mutating func storeChanged(_ state: inout AppState) throws {
            try run(Reducer.reduce(&state, .windowChanged(Fixtures.personal, try store.window(Fixtures.personal, at: position))), &state)
        }

        mutating func press(_ state: inout AppState, _ keys: Key...) throws {
            for key in keys { try run(Reducer.reduce(&state, .keyPressed(key)), &state) }
        }

        func shown(_ state: AppState) -> [String] {
            ConversationView.shownLines(state, in: ConversationRects(ScreenGeometry(state).conversation, state: state).messages)
                .map { $0.line.map(\.text).joined() }
        }
    }

    func opened(_ store: ChatStore, unread: Int = 0, rows: Int = 30) throws -> (AppState, Driver) {
        var state = Fixtures.state(rows: rows, columns: 100)
        var chats = Fixtures.chats
        chats[0].unreadCount = unread
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        var driver = Driver(store: store)
        try driver.press(&state, .enter)
        try driver.press(&state, .tab)  // from the compose box to the conversation
        #expect(state.focus == .conversation)
        return (state, driver)
    }

    func screen(_ state: AppState) -> String { Screen.render(state).lines.joined(separator: "\n") }

    @Test func pagingBackToTheFirstMessageAndForwardKeepsTheWindowAndTheCacheBounded() throws {
        let store = try Self.makeStore()
        var (state, driver) = try opened(store)
        let bound = 2 * ConversationWindow.sideSize + 1
        var largestCache = 0
        for _ in 0..<2_000 where !(state.conversation.showsStart && screen(state).contains("the beginning of this chat")) {
            try driver.press(&state, .pageUp)
            #expect(state.conversation.messages.count <= bound)
            largestCache = max(largestCache, state.conversation.layoutCache.cache.count)
        }
        #expect(screen(state).contains("history 00001"))
        #expect(driver.moves > 5, "the window moved instead of growing")
        #expect(!driver.viewJumped, "the view stayed on its line whenever the window moved")
        #expect(largestCache <= 3 * bound + 64)
        // And forward again to the newest: the window follows the newest message again.
        for _ in 0..<2_000 where !state.conversation.isAtNewest { try driver.press(&state, .pageDown) }
        #expect(state.conversation.isAtNewest && state.conversation.window == .newest)
        #expect(screen(state).contains("history 01000"))
        #expect(!driver.viewJumped)
    }

    @Test func keysPastTheWindowsEdgeAddUpToOneMoveAndLandWhereTheyPointed() throws {
        let store = try Self.makeStore()
        var (state, driver) = try opened(store)
        // Twenty pages asked for before any window read comes back, as held keys do.
        var asked: [Effect] = []
        for _ in 0..<20 { asked += Reducer.reduce(&state, .keyPressed(.pageUp)) }
        #expect(state.conversation.pendingScroll > 0)
        try driver.run(asked, &state)
        #expect(state.conversation.pendingScroll == 0)
        // The same twenty pages, one at a time with every read in between, land on the same line.
        var (stepped, stepper) = try opened(store)
        for _ in 0..<20 { try stepper.press(&stepped, .pageUp) }
        #expect(driver.shown(state) == stepper.shown(stepped))
    }

    @Test func gGoesToTheFirstMessageAndGBackToTheNewest() throws {
        let store = try Self.makeStore()
        var (state, driver) = try opened(store)
        try driver.press(&state, .character("g"))
        #expect(state.conversation.window == .oldest)
        // The start is cached but not known to the view yet: asked of the server once.
        #expect(screen(state).contains("history 00001"))
        try driver.press(&state, .character("G"))
        #expect(state.conversation.isAtNewest && screen(state).contains("history 01000"))
    }

    @Test(arguments: [false, true]) func gOnACacheOfTheNewestPageLandsOnTheFirstMessage(lateLastWindow: Bool) throws {
        let store = try Self.makeStore(cached: 901...1000)
        var (state, driver) = try opened(store)
        driver.lateLastWindow = lateLastWindow
        try driver.press(&state, .character("g"))
        #expect(screen(state).contains("history 00001"), "\(screen(state))")
        #expect(screen(state).contains("the beginning of this chat"))
        try driver.press(&state, .character("G"))
        #expect(state.conversation.isAtNewest && screen(state).contains("history 01000"))
    }

    @Test func theViewStaysWhenTheKnownHistoryChangesItsGapMarks() throws {
        let store = try Self.makeStore()
        var (state, driver) = try opened(store)
        let apart = (1...1000).map { HistoryRange(low: $0, high: $0) }  // a gap mark above each message
        let whole = [HistoryRange(low: 0, high: 1000)]
        // At the first message (as while g's history comes in, page after page).
        try driver.press(&state, .character("g"))
        for ranges in [apart, whole] {
            _ = Reducer.reduce(&state, .knownHistoryChanged(Fixtures.personal, ranges))
            #expect(screen(state).contains("history 00001"))
        }
        // In the middle: the same line stays at the bottom.
        for _ in 0..<10 { try driver.press(&state, .pageDown) }
        let bottom = driver.shown(state).last
        for ranges in [apart, whole] {
            _ = Reducer.reduce(&state, .knownHistoryChanged(Fixtures.personal, ranges))
            #expect(driver.shown(state).last == bottom)
        }
    }

    @Test func aWindowReadWhereTheViewNoLongerIsIsLeftOut() throws {
        let store = try Self.makeStore()
        var (state, driver) = try opened(store)
        let asked = press(&state, .character("g"))
        // The newest window's observation answers once more after g moved the window away.
        let stale = try store.window(Fixtures.personal, at: .newest)
        #expect(Reducer.reduce(&state, .windowChanged(Fixtures.personal, stale)).isEmpty)
        #expect(state.conversation.window == .oldest && state.conversation.pendingJump == .oldest)
        try driver.run(asked, &state)
        #expect(screen(state).contains("history 00001"))
    }

    @Test func gOnAPartCacheLoadsHistoryCountedInTheHeaderAndAnyKeyStopsIt() throws {
        let store = try Self.makeStore()
        var (state, _) = try opened(store)
        state.conversation.reachedStart = []
        state.conversation.windowReachesOldest = false
        let effects = press(&state, .character("g"))
        #expect(effects.contains(.loadHistory(Fixtures.personal)) && effects.contains(.moveWindow(Fixtures.personal, .oldest)))
        _ = Reducer.reduce(&state, .historyProgress(Fixtures.personal, loaded: 2_100))
        #expect(screen(state).contains("loading history… 2,100 messages so far · any key stops"))
        #expect(press(&state, .character("j")) == [.stopLoadingHistory(Fixtures.personal)])
        #expect(!screen(state).contains("loading history…"))
    }

    @Test func theUnreadLineStandsAboveTheFirstOfThreeHundredUnread() throws {
        let store = try Self.makeStore()
        var (state, _) = try opened(store, unread: 300)
        // Opening with unread messages starts in the conversation.
        _ = state
        var driver = Driver(store: store)
        state = Fixtures.state(rows: 30, columns: 100)
        var chats = Fixtures.chats
        chats[0].unreadCount = 300
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        try driver.press(&state, .enter)
        // Other people's 300 newest: Alice wrote every third message.
        let first = try #require(try store.firstUnread(Fixtures.personal, count: 300))
        #expect(state.conversation.unread == UnreadMarker(count: 300, localId: first.localId))
        let lines = driver.shown(state)
        let marker = try #require(lines.firstIndex { $0.contains("── 300 new ──") })
        #expect(lines[marker + 1].contains(first.text!))
        // The marker stays on that message as the view moves and the window with it.
        try driver.press(&state, .tab, .end, .home)
        try driver.press(&state, .pageUp, .pageUp, .pageDown, .pageDown)
        #expect(state.conversation.unread?.localId == first.localId)
    }

    @Test func scrollingTakesOverFromAnUnreadLineThatCouldNotBeFound() throws {
        let store = try Self.makeStore()
        var state = Fixtures.state(rows: 30, columns: 100)
        var chats = Fixtures.chats
        chats[0].unreadCount = 300
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        var driver = Driver(store: store)
        _ = press(&state, .enter)
        // The window arrives; the first unread is asked for (and, offline, never found).
        let asked = Reducer.reduce(&state, .windowChanged(Fixtures.personal, try store.window(Fixtures.personal, at: .newest)))
        #expect(asked.contains(.findUnread(Fixtures.personal, count: 300)))
        #expect(state.conversation.pendingJump == .unreadLine)
        _ = press(&state, .tab)
        for _ in 0..<10 { try driver.press(&state, .pageUp) }
        #expect(state.conversation.pendingJump == nil && state.conversation.pendingScroll == 0)
        #expect(!state.conversation.windowReachesNewest, "the window moved with the view")
        // The search's answer that it failed changes nothing now.
        let shown = driver.shown(state)
        _ = Reducer.reduce(&state, .unreadNotFound(Fixtures.personal))
        #expect(driver.shown(state) == shown)
    }

    @Test func aSearchHitOutsideTheWindowIsReadAroundAndSelected() throws {
        let store = try Self.makeStore()
        var (state, driver) = try opened(store)
        state.conversation.searchHits = ["2+500", "2+101"]
        try driver.press(&state, .character("n"))
        #expect(state.conversation.selection == "2+500" && screen(state).contains("history 00500"))
        try driver.press(&state, .character("n"))
        #expect(state.conversation.selection == "2+101")
        #expect(state.conversation.messages.contains { $0.localId == "2+101" })
        #expect(screen(state).contains("history 00101"))
        // The selection walks on past the window's edge, which follows it.
        for _ in 0..<150 { try driver.press(&state, .up) }
        #expect(state.conversation.selection == "2+1" || state.conversation.selectedMessage?.serverId == 1)
    }

    @Test func newMessagesWhileScrolledUpAndAnEditOutsideTheWindow() throws {
        let store = try Self.makeStore()
        var (state, driver) = try opened(store)
        for _ in 0..<40 { try driver.press(&state, .pageUp) }
        #expect(!state.conversation.windowReachesNewest)
        let before = driver.shown(state)
        // Two new messages and an edit of the newest, none in the window: the view stays.
        let date = Fixtures.base.addingTimeInterval(60)
        _ = try store.applyServerMessages([1_001, 1_002].map {
            MessageInfo(id: $0, localId: "2+\($0)", chatId: Fixtures.personal, authorId: 2, text: "fresh \($0)", createdAt: date, updatedAt: date)
        })
        _ = try store.applyServerMessages([MessageInfo(id: 1_000, localId: "2+1000", chatId: Fixtures.personal, authorId: 2, text: "edited 1000",
                                                       createdAt: date, updatedAt: date.addingTimeInterval(1), editedAt: date)])
        try driver.storeChanged(&state)
        #expect(driver.shown(state) == before)
        #expect(screen(state).contains("↓ more below"))
        try driver.press(&state, .character("G"))
        let text = screen(state)
        #expect(text.contains("fresh 1002") && text.contains("edited 1000") && text.contains("(edited)"))
    }

    @Test func aMessageDeletedOutsideTheWindowShowsDeletedWhenScrolledTo() throws {
        let store = try Self.makeStore()
        var (state, driver) = try opened(store)
        #expect(!state.conversation.messages.contains { $0.serverId == 500 })
        var deleted = Self.serverMessage(500)
        deleted.text = ""
        deleted.deletedAt = Fixtures.base
        deleted.updatedAt = Fixtures.base
        _ = try store.applyServerMessages([deleted])
        try driver.storeChanged(&state)
        state.conversation.searchHits = ["2+500"]
        try driver.press(&state, .character("n"))
        #expect(state.conversation.selection == "2+500")
        #expect(screen(state).contains("(message deleted)"))
        #expect(!screen(state).contains("history 00500"))
    }
}
