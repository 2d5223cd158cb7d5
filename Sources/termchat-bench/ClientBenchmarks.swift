import ChatAPI
import ChatStore
import ChatSync
import ChatUI
import Foundation
import TerminalUI

/// The client's hot paths, in process, on a cache laid out where the real `termchat` finds it
/// (so the same cache can then be opened by the real binary).
struct ClientBenchmarks {
    let cachePath: String
    let me: UserInfo
    let users: [UserInfo]
    let clock = ContinuousClock()

    init(cachePath: String) {
        self.cachePath = cachePath
        users = (1...50).map { UserInfo(id: $0, name: "User \($0)", username: "user\($0)") }
        me = users[0]
    }

    /// Fills the cache to 100,000 messages, measures, then fills it to 1,000,000.
    func run(log: (String) -> Void) throws -> [Figure] {
        var figures: [Figure] = []
        try FileManager.default.createDirectory(atPath: (cachePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let store = try ChatStore(path: cachePath, me: me.id)
        let chats = thousandChats()
        try store.upsertChats(chats)
        // The big chat gets the newest messages, so it is first in the list.
        let big = chats[0].id
        var generator = MessageGenerator()

        // Ingest: server pages of 100, as catch-up applies them; rate per 10,000, median.
        log("client: ingesting 100,000 messages")
        var rates: [Double] = []
        for block in 0..<10 {
            let pages = (0..<100).map { page in generator.page(chat: block == 9 ? big : chats[1 + (block * 100 + page) % 999].id) }
            let elapsed = try clock.measure { for page in pages { try store.applyServerMessages(page) } }
            rates.append(10_000 / elapsed.seconds)
        }
        let limit = try rawIngestRates(log: log)
        let ratio = median(rates) / median(limit)
        figures.append(Figure(name: "ingest of server pages into the cache (median of 10 × 10,000)", samples: rates, unit: "messages/s",
                              budget: ">= 100,000",
                              limit: "raw SQLite C API, same schema, one transaction a page: \(Int(median(limit))) messages/s "
                                  + "(\(Int(limit.min() ?? 0))–\(Int(limit.max() ?? 0))); the cache reaches \(String(format: "%.0f", ratio * 100)) % of it") { $0 >= 100_000 })

        // Cold start to first frame: open the cache, read the list and the newest chat, draw.
        var colds: [Double] = []
        for _ in 0..<7 {
            colds.append(try clock.measure {
                let reopened = try ChatStore(path: cachePath, me: me.id)
                var state = AppState(me: me, server: "bench", rows: 60, columns: 200)
                _ = Reducer.reduce(&state, .chatListChanged(try reopened.chatList()))
                _ = Reducer.reduce(&state, .usersChanged(try reopened.users(Array(users.map(\.id)))))
                _ = Reducer.reduce(&state, .keyPressed(.enter))
                if let open = state.openChatId { _ = Reducer.reduce(&state, .windowChanged(open, try reopened.window(open, at: .newest))) }
                _ = Screen.render(state)
            }.milliseconds)
        }
        figures.append(Figure(name: "cold start to first full frame, in process (median of 7)", samples: colds, unit: "ms",
                              budget: "<= 50 ms") { $0 <= 50 })

        // A 200x60 conversation frame of the chat with 10,000 messages (its window on screen).
        var state = AppState(me: me, server: "bench", rows: 60, columns: 200)
        state.users = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0) })
        // Read up to its newest, as a chat someone follows live is: opened with thousands
        // unread, the view would wait for the unread line (an effect no one runs here) and
        // every event below would lay out the whole window looking for it.
        if let newest = try store.window(big, at: .newest).messages.last?.serverId { try store.markRead(big, upTo: newest) }
        _ = Reducer.reduce(&state, .chatListChanged(try store.chatList()))
        state.list.selectedChatId = big
        _ = Reducer.reduce(&state, .keyPressed(.enter))
        _ = Reducer.reduce(&state, .windowChanged(big, try store.window(big, at: .newest)))
        // A frame after a new message: the newest message laid out afresh, the others' lines
        // kept from the frames before (as the client keeps them); and, reported, a frame with
        // nothing kept (the chat just opened, or the terminal resized).
        let newest = state.conversation.messages.last?.localId
        let frames = (0..<3).map { _ in
            percentile((0..<1000).map { _ in
                clock.measure {
                    ConversationLayout.forgetKeptLayout(state.conversation, message: newest)
                    _ = Screen.render(state)
                }
            }, 0.99).milliseconds
        }
        figures.append(Figure(name: "render of a conversation frame 200x60 after a new message, p99 (median of 3 × 1,000)", samples: frames,
                              unit: "ms", budget: "<= 2 ms") { $0 <= 2 })
        let fresh = percentile((0..<1000).map { _ in
            clock.measure {
                ConversationLayout.forgetKeptLayout(state.conversation, everything: true)
                _ = Screen.render(state)
            }
        }, 0.99).milliseconds
        figures.append(Figure(name: "  the same with nothing kept (a chat just opened, a resize), p99 of 1,000", value: fresh, unit: "ms",
                              budget: "report", meets: nil))

        // Keypress to frame while typing in the compose box.
        let keys = (0..<3).map { _ in
            percentile((0..<1000).map { index in
                clock.measure {
                    _ = Reducer.reduce(&state, .keyPressed(index % 120 == 119 ? .control("u") : .character(index % 7 == 0 ? " " : "a")))
                    _ = Screen.render(state)
                }
            }, 0.99).milliseconds
        }
        figures.append(Figure(name: "keypress to frame while typing, p99 (median of 3 × 1,000)", samples: keys, unit: "ms",
                              budget: "<= 2 ms") { $0 <= 2 })

        // A 5,000-character paste (bracketed, one action) to the next frame.
        let paste = String(repeating: "paste me, ", count: 500)
        let pastes = (0..<21).map { _ in
            clock.measure {
                _ = Reducer.reduce(&state, .keyPressed(.paste(paste)))
                _ = Screen.render(state)
                _ = Reducer.reduce(&state, .keyPressed(.control("u")))
            }.milliseconds
        }
        figures.append(Figure(name: "5,000-character paste to frame (median of 21)", samples: pastes, unit: "ms", budget: "<= 50 ms") { $0 <= 50 })

        // One WebSocket event (a new message) applied to the cache and in state, as the client
        // does it: the window follower reads the changed row: the budget holds only if every
        // one of 5 runs is within it.
        let follower = WindowFollower(store: store, chat: big, at: .newest)
        follower.startNow()
        _ = try follower.updateNow()
        let events = try (0..<5).map { _ in
            let samples = try (0..<300).map { _ in
                let message = generator.live(chat: big)
                return try clock.measure {
                    try store.applyLiveMessages([message])
                    if let window = try follower.updateNow() { _ = Reducer.reduce(&state, .windowChanged(big, window)) }
                }
            }
            log("client: event p50 \(percentile(samples, 0.5).milliseconds) ms, p90 \(percentile(samples, 0.9).milliseconds) ms, max \(percentile(samples, 1).milliseconds) ms")
            return percentile(samples, 0.99).milliseconds
        }
        let event = Figure(name: "one event applied to the cache and in state, p99 (median of 5 × 300; worst run \(String(format: "%.2f", events.max() ?? 0)) ms)",
                           samples: events, unit: "ms", budget: "<= 1 ms, 5 of 5") { _ in events.allSatisfy { $0 <= 1 } }
        figures.append(event)

        figures += try outboxSyncCost(chat: big, log: log)

        // On to 1,000,000 cached messages for the memory figure.
        log("client: ingesting 900,000 more messages")
        // Every ninth page goes to one chat, which ends with 100,000 messages: the long chat.
        let long = chats[1].id
        let more = try clock.measure {
            for page in 0..<9000 { try store.applyServerMessages(generator.page(chat: page % 9 == 0 ? long : chats[1 + page % 999].id)) }
        }
        figures.append(Figure(name: "ingest from 100,000 to 1,000,000 cached messages", value: 900_000 / more.seconds, unit: "messages/s",
                              budget: ">= 100,000", meets: 900_000 / more.seconds >= 100_000))
        log("client: opening and scrolling the chat of 100,000 messages")
        var conversation = ConversationBenchmarks(store: store, me: me, users: users)
        figures.append(try conversation.openFigure(chat: long, other: big, log: log))
        figures += try conversation.scrollFigure(chat: long, total: try store.messageCount(long), budgetSeconds: 30, log: log)
        // The long chat last active: the real client opens it first (memory, scrolling).
        _ = try store.applyServerMessages([generator.live(chat: long)])
        figures += try searchFigures(store: store, chats: chats, log: log)
        figures.append(try indexIngestCost(log: log))
        return figures
    }
}

extension ClientBenchmarks {
    /// What syncing the outbox to disk costs: queueing a message (committed with synchronous =
    /// FULL, an fsync) against saving a draft (the same kind of one-row write, NORMAL), in a
    /// cache of its own beside the benchmark's, on the same file system.
    func outboxSyncCost(chat: ChatID, log: (String) -> Void) throws -> [Figure] {
        let directory = (cachePath as NSString).deletingLastPathComponent + "/outbox-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try ChatStore(path: directory + "/cache.sqlite", me: me.id)
        try store.upsertChats([ChatInfo(id: chat, title: "Outbox", isPersonal: false, owner: users[0], allUsers: Array(users.prefix(3)))], replacingAll: true)
        let clock = ContinuousClock()
        let queuedTimes = try (0..<200).map { index in
            try clock.measure { try store.queueMessage(chat, localId: "\(me.id)+bench-\(index)", text: "queued \(index)") }
        }
        let draftTimes = try (0..<200).map { index in
            try clock.measure { try store.saveDraft(chat, text: "draft \(index)") }
        }
        log("client: queue p50 \(percentile(queuedTimes, 0.5).milliseconds) ms p90 \(percentile(queuedTimes, 0.9).milliseconds) ms; draft p50 \(percentile(draftTimes, 0.5).milliseconds) ms")
        let queued = queuedTimes.map(\.milliseconds)
        let drafted = draftTimes.map(\.milliseconds)
        return [
            Figure(name: "queue one message, synced to disk (median of 200; spread \(Self.spread(queued)))", value: median(queued), unit: "ms",
                   budget: "report", meets: nil),
            Figure(name: "save a draft, the same write without the sync (median of 200; spread \(Self.spread(drafted)))", value: median(drafted),
                   unit: "ms", budget: "report", meets: nil),
        ]
    }

    /// The raw C API's ingest rate into a fresh cache of the same shape, per 10,000 (10 blocks).
    func rawIngestRates(log: (String) -> Void) throws -> [Double] {
        log("client: the raw SQLite limit")
        let directory = (cachePath as NSString).deletingLastPathComponent + "/raw-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try ChatStore(path: directory + "/cache.sqlite", me: me.id)
        let chats = thousandChats()
        try store.upsertChats(chats)
        var generator = MessageGenerator()
        return try (0..<10).map { block in
            let pages = (0..<100).map { page in generator.page(chat: chats[block == 9 ? 0 : 1 + (block * 100 + page) % 999].id) }
            return 10_000 / (try clock.measure { try RawIngestLimit.ingest(pages, into: store) }).seconds
        }
    }

    static func spread(_ samples: [Double]) -> String {
        String(format: "%.2f–%.2f ms", samples.min() ?? 0, samples.max() ?? 0)
    }

    /// 1,000 group chats of two, the cache's shape in every client figure.
    func thousandChats() -> [ChatInfo] {
        (0..<1000).map { index in
            ChatInfo(id: UUID(), title: "Chat \(index)", isPersonal: false, owner: users[0], allUsers: [users[0], users[1 + index % 49]])
        }
    }
}

/// Server messages as pages of 100 with growing ids and dates.
struct MessageGenerator {
    var nextId = 1

    mutating func page(chat: ChatID) -> [MessageInfo] {
        (0..<100).map { _ in message(chat: chat) }
    }

    mutating func live(chat: ChatID) -> MessageInfo { message(chat: chat) }

    private mutating func message(chat: ChatID) -> MessageInfo {
        defer { nextId += 1 }
        let date = Date(timeIntervalSince1970: 1_795_000_000 + Double(nextId))
        return MessageInfo(id: nextId, localId: "2+\(UUID().uuidString)", chatId: chat, authorId: 2 + nextId % 3,
                           text: "message number \(nextId) with some text in it", createdAt: date, updatedAt: date)
    }
}
