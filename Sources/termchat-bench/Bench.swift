import ChatAPI
import ChatStore
import ChatSync
import ChatUI
import Foundation
import TerminalUI

/// Measures the client's hot paths against the budgets of the benchmark issue and prints a
/// table and JSON. Run in release: `swift run -c release termchat-bench`.
@main
struct Bench {
    struct Figure: Codable {
        var name: String
        var value: Double
        var unit: String
        var budget: String
    }

    static func main() async throws {
        var figures: [Figure] = []
        let directory = NSTemporaryDirectory() + "termchat-bench-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let me: UserID = 1
        let store = try ChatStore(path: directory + "/cache.sqlite", me: me)
        let users = (1...50).map { UserInfo(id: $0, name: "User \($0)", username: "user\($0)") }
        let chats = (0..<1000).map { index in
            ChatInfo(id: UUID(), title: "Chat \(index)", isPersonal: false, owner: users[0], allUsers: [users[0], users[1 + index % 49]])
        }
        try store.upsertChats(chats)

        // Ingest: 100,000 messages in server pages of 100, as catch-up applies them.
        var nextId = 1
        let big = chats[0].id
        let clock = ContinuousClock()
        let ingest = try clock.measure {
            for page in 0..<1000 {
                let chat = page < 100 ? big : chats[page % chats.count].id
                let messages = (0..<100).map { _ -> MessageInfo in
                    defer { nextId += 1 }
                    let date = Date(timeIntervalSince1970: 1_795_000_000 + Double(nextId))
                    return MessageInfo(id: nextId, localId: "2+\(nextId)-\(UUID().uuidString)", chatId: chat, authorId: 2,
                                       text: "message number \(nextId) with some text in it", createdAt: date, updatedAt: date)
                }
                try store.applyServerMessages(messages)
            }
        }
        figures.append(Figure(name: "ingest of server pages into the cache", value: 100_000 / ingest.seconds, unit: "messages/s", budget: ">= 100,000"))

        // Cold start to first frame: open the cache, read the list and the newest chat, draw.
        let cold = try clock.measure {
            let reopened = try ChatStore(path: directory + "/cache.sqlite", me: me)
            var state = AppState(me: users[0], server: "bench", rows: 60, columns: 200)
            _ = Reducer.reduce(&state, .chatListChanged(try reopened.chatList()))
            _ = Reducer.reduce(&state, .keyPressed(.enter))
            if let open = state.openChatId { _ = Reducer.reduce(&state, .conversationChanged(open, try reopened.messages(open))) }
            _ = Screen.render(state)
        }
        figures.append(Figure(name: "cold start to first full frame (1,000 chats, 100,000 messages)", value: cold.milliseconds, unit: "ms", budget: "<= 50 ms"))

        // A conversation frame (200x60) of the chat with 10,000 messages (a window of 100 shown).
        var state = AppState(me: users[0], server: "bench", rows: 60, columns: 200)
        state.users = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0) })
        _ = Reducer.reduce(&state, .chatListChanged(try store.chatList()))
        state.selectedChatId = big
        _ = Reducer.reduce(&state, .keyPressed(.enter))
        _ = Reducer.reduce(&state, .conversationChanged(big, try store.messages(big)))
        let frames = (0..<1000).map { _ in clock.measure { _ = Screen.render(state) } }
        figures.append(Figure(name: "render of a conversation frame 200x60, p99", value: percentile(frames, 0.99).milliseconds, unit: "ms", budget: "<= 2 ms"))

        // Keypress to frame while typing in the compose box.
        let keys = (0..<1000).map { index in
            clock.measure {
                _ = Reducer.reduce(&state, .keyPressed(.character(index % 7 == 0 ? " " : "a")))
                _ = Screen.render(state)
            }
        }
        figures.append(Figure(name: "keypress to frame while typing, p99", value: percentile(keys, 0.99).milliseconds, unit: "ms", budget: "<= 2 ms"))

        // One WebSocket event applied to the cache and visible in state.
        var events: [Duration] = []
        for _ in 0..<1000 {
            let date = Date()
            let message = MessageInfo(id: nextId, localId: "2+\(UUID().uuidString)", chatId: big, authorId: 2, text: "live", createdAt: date, updatedAt: date)
            nextId += 1
            events.append(try clock.measure {
                try store.applyServerMessages([message])
                _ = Reducer.reduce(&state, .conversationChanged(big, try store.messages(big)))
            })
        }
        figures.append(Figure(name: "one event applied to the cache and in state, p99", value: percentile(events, 0.99).milliseconds, unit: "ms", budget: "<= 1 ms"))

        figures.append(Figure(name: "client RSS after the above (100,000 cached messages)", value: Double(residentBytes()) / 1_048_576, unit: "MB", budget: "<= 40 MB (at 1,000,000)"))

        print(String(repeating: "-", count: 96))
        for figure in figures {
            let name = figure.name.padding(toLength: 64, withPad: " ", startingAt: 0)
            print("\(name) \(String(format: "%12.3f", figure.value)) \(figure.unit.padding(toLength: 11, withPad: " ", startingAt: 0)) \(figure.budget)")
        }
        print(String(repeating: "-", count: 96))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(figures), as: UTF8.self))
    }

    static func percentile(_ samples: [Duration], _ p: Double) -> Duration {
        let sorted = samples.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kb * 1024
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1000 }
}
