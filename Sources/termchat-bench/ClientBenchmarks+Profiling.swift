import ChatAPI
import ChatStore
import ChatSync
import ChatUI
import Foundation
import TerminalUI

/// The profiling modes: no figures, a steady load for a profiler to watch.
extension ClientBenchmarks {
    /// A benchmark context and an empty cache in a new temporary directory (the caller
    /// removes it), for the profiling modes.
    static func scratch() throws -> (ClientBenchmarks, ChatStore, directory: String) {
        let directory = NSTemporaryDirectory() + "termchat-bench-profile-\(UUID().uuidString)"
        let bench = ClientBenchmarks(cachePath: directory + "/cache.sqlite")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return (bench, try ChatStore(path: bench.cachePath, me: bench.me.id), directory)
    }

    /// A chat of 10,000 messages on screen, rendered and typed into for `seconds`.
    static func profileFrames(seconds: Double) throws {
        let (bench, store, directory) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let chat = ChatInfo(id: UUID(), title: "Profile", isPersonal: false, owner: bench.users[0], allUsers: Array(bench.users.prefix(4)))
        try store.upsertChats([chat])
        var generator = MessageGenerator()
        for _ in 0..<100 { try store.applyServerMessages(generator.page(chat: chat.id)) }
        var state = AppState(me: bench.me, server: "bench", rows: 60, columns: 200)
        state.users = Dictionary(uniqueKeysWithValues: bench.users.map { ($0.id, $0) })
        _ = Reducer.reduce(&state, .chatListChanged(try store.chatList()))
        _ = Reducer.reduce(&state, .keyPressed(.enter))
        _ = Reducer.reduce(&state, .windowChanged(chat.id, try store.window(chat.id, at: .newest)))
        let end = monotonicSeconds() + seconds
        var index = 0
        while monotonicSeconds() < end {
            _ = Reducer.reduce(&state, .keyPressed(index % 120 == 119 ? .control("u") : .character("a")))
            _ = Screen.render(state)
            index += 1
        }
        print("\(index) frames")
    }

    /// Server pages of 100 into 1,000 chats, `messages` in all.
    static func profileIngest(messages: Int) throws {
        let (bench, store, directory) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let chats = bench.thousandChats()
        try store.upsertChats(chats)
        var generator = MessageGenerator()
        let start = monotonicSeconds()
        for page in 0..<(messages / 100) { try store.applyServerMessages(generator.page(chat: chats[page % 1000].id)) }
        print("\(Int(Double(messages) / (monotonicSeconds() - start))) messages/s")
    }

    /// The 100,000-message cache, then cold-start reads and single events for `seconds`.
    static func profileStore(seconds: Double) throws {
        let (bench, store, directory) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let chats = bench.thousandChats()
        try store.upsertChats(chats)
        var generator = MessageGenerator()
        for page in 0..<1000 { try store.applyServerMessages(generator.page(chat: chats[page < 100 ? 0 : 1 + page % 999].id)) }
        let end = monotonicSeconds() + seconds
        var rounds = 0
        let follower = WindowFollower(store: store, chat: chats[0].id, at: .newest)
        follower.startNow()
        while monotonicSeconds() < end {
            if rounds % 20 == 0 { _ = try store.chatList() }
            for _ in 0..<20 {
                try store.applyLiveMessages([generator.live(chat: chats[0].id)])
                _ = try follower.updateNow()
            }
            rounds += 1
        }
        print("\(rounds) rounds")
    }
}
