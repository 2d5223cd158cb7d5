import ChatAPI
@testable import ChatApp
import ChatStore
import ChatSync
import Foundation
import Testing

/// The lines `termchat watch` writes: a status change says only what changed, and every type
/// reads as a sentence without `--json`.
@Suite struct WatchEventTests {
    @Test func aStatusSaysTheConnectionOnceAndEachTypistStartingAndStopping() throws {
        let store = try ChatStore(path: NSTemporaryDirectory() + "watch-\(UUID().uuidString)/cache.sqlite", me: 1)
        let feed = try WatchFeed(store: store, chat: nil, since: nil)
        let chat = UUID()
        var status = EngineStatus()
        status.connection = .online
        #expect(feed.events(for: status).map(\.state) == ["online"])
        #expect(feed.events(for: status).isEmpty, "nothing changed")
        status.typing = [chat: [2, 3]]
        let started = feed.events(for: status)
        #expect(started.map(\.type) == [.typing, .typing] && started.map(\.typing) == [true, true])
        #expect(started.map { $0.user?.id } == [2, 3] && started.allSatisfy { $0.chatId == chat })
        status.typing = [chat: [3]]
        status.connection = .retrying(at: Date())
        let changed = feed.events(for: status)
        #expect(changed.map(\.type) == [.connection, .typing])
        #expect(changed.map(\.state) == ["retrying", nil] && changed.last?.typing == false && changed.last?.user?.id == 2)
    }

    @Test func aCursorFromAnotherJournalStartsFromThisOnesStart() throws {
        let store = try ChatStore(path: NSTemporaryDirectory() + "watch-\(UUID().uuidString)/cache.sqlite", me: 1)
        #expect(try WatchFeed(store: store, chat: nil, since: 500).startsOver)
        #expect(try WatchFeed(store: store, chat: nil, since: 500).currentCursor == 0)
        #expect(try !WatchFeed(store: store, chat: nil, since: 0).startsOver)
        #expect(try !WatchFeed(store: store, chat: nil, since: nil).startsOver)
    }

    @Test func everyTypeReadsAsASentence() {
        let bob = WatchEvent.Person(id: 2, username: "bob", name: "Bob")
        let carol = WatchEvent.Person(id: 3, username: "carol", name: nil)
        let at = Date(timeIntervalSince1970: 36_300)  // 10:05 UTC
        func line(_ type: WatchEvent.Kind, text: String? = nil, title: String? = nil, added: [WatchEvent.Person]? = nil,
                  removed: [WatchEvent.Person]? = nil, typing: Bool? = nil, state: String? = nil) -> String {
            WatchEvent(cursor: 1, type: type, at: at, chat: "Team", user: bob, text: text, title: title, added: added, removed: removed,
                       typing: typing, state: state).readable(timeZone: TimeZone(identifier: "UTC")!)
        }
        #expect(line(.message, text: "hi") == "10:05 [Team] Bob: hi")
        #expect(line(.edit, text: "hi!") == "10:05 [Team] Bob edited: hi!")
        #expect(line(.delete) == "10:05 [Team] Bob deleted a message")
        #expect(line(.read) == "10:05 [Team] read by Bob")
        #expect(line(.typing, typing: true) == "10:05 [Team] Bob is typing")
        #expect(line(.chatRenamed, title: "Crew") == "10:05 [Team] renamed to Crew")
        #expect(line(.chatCreated, added: [bob, carol]) == "10:05 [Team] new chat with Bob, carol")
        #expect(line(.chatCreated, title: "Team", added: [bob]) == "10:05 [Team] new chat “Team” with Bob")
        #expect(line(.members, added: [carol], removed: [bob]) == "10:05 [Team] added carol; removed Bob")
        #expect(line(.connection, state: "online") == "10:05 [Team] connection: online")
        let json = WatchEvent(cursor: 7, type: .message, at: at, chatId: nil, user: bob, text: "a \"b\"").json
        #expect(json == #"{"at":"1970-01-01T10:05:00Z","cursor":7,"text":"a \"b\"","type":"message","user":{"id":2,"name":"Bob","username":"bob"}}"#)
    }
}
