import ChatAPI
import ChatStore
import ChatSync
import Foundation
import Synchronization

/// What `termchat watch` and `termchat rpc` report: the cache's journal from a cursor on, as
/// any engine on the account writes it (this one, a TUI beside it, `termchat send`), and this
/// engine's connection and who is typing (not kept: said as they change).
public final class WatchFeed: Sendable {
    let store: ChatStore
    let chat: ChatID?
    /// The last journal entry said; typing and connection lines carry it.
    private let cursor: Mutex<Int64>
    private let seen = Mutex<(connection: String?, typing: Set<TypingKey>)>((nil, []))
    /// How often the journal is read: other processes' writes wake nothing here.
    static let pollInterval: Duration = .milliseconds(150)

    struct TypingKey: Hashable {
        var chat: ChatID
        var user: UserID
    }

    /// From `since` (nil: from the newest entry now, so only what happens next). A cursor
    /// past the newest entry belongs to a journal this cache no longer has (a damaged cache
    /// replaced): everything in this one is said, from its start.
    public init(store: ChatStore, chat: ChatID?, since: Int64?) throws {
        self.store = store
        self.chat = chat
        let newest = try store.journalCursor()
        startsOver = since.map { $0 > newest } ?? false
        cursor = Mutex(startsOver ? 0 : since ?? newest)
    }

    /// The cursor given was from another journal (see `init`): the feed starts at this one's start.
    public let startsOver: Bool

    public var currentCursor: Int64 { cursor.withLock { $0 } }

    /// Entries a reader resuming at `since` can no longer get (dropped as the journal was
    /// trimmed), if any.
    public func missed(since: Int64) throws -> Bool {
        guard let oldest = try store.journalOldest() else { return false }
        return since < oldest - 1
    }

    public var names: WatchEvent.Names {
        let store = store
        let me = store.me
        return WatchEvent.Names(
            chat: { id in
                (try? store.chat(id))?.flatMap { cached in cached.displayTitle(me: me) { (try? store.users([$0]))?[$0]?.name } }
            },
            person: { id in
                let user = (try? store.user(id)) ?? nil
                return WatchEvent.Person(id: id, username: user?.username, name: user?.name)
            })
    }

    /// Says every journal entry after the cursor, then waits for more, until cancelled.
    public func followJournal(_ emit: @Sendable (WatchEvent) async -> Void) async {
        let names = names
        while !Task.isCancelled {
            let after = currentCursor
            let entries = (try? store.journal(after: after, limit: 500)) ?? []
            for entry in entries {
                cursor.withLock { $0 = max($0, entry.cursor) }
                if let chat, entry.chatId != chat { continue }
                await emit(WatchEvent(entry, names: names))
            }
            if entries.count == 500 { continue }
            try? await Task.sleep(for: Self.pollInterval)
        }
    }

    /// The lines a new engine status makes: the connection when its state changes, and each
    /// person who started or stopped typing.
    public func events(for status: EngineStatus, at now: Date = Date()) -> [WatchEvent] {
        let names = names
        let position = currentCursor
        let connection = Self.name(status.connection)
        var typing: Set<TypingKey> = []
        for (chat, users) in status.typing where self.chat == nil || self.chat == chat {
            for user in users { typing.insert(TypingKey(chat: chat, user: user)) }
        }
        return seen.withLock { seen in
            var events: [WatchEvent] = []
            if seen.connection != connection {
                events.append(WatchEvent(cursor: position, type: .connection, at: now, state: connection))
            }
            for key in typing.subtracting(seen.typing).sorted(by: { ($0.chat.uuidString, $0.user) < ($1.chat.uuidString, $1.user) }) {
                events.append(WatchEvent(cursor: position, type: .typing, at: now, chatId: key.chat, chat: names.chat(key.chat),
                                         user: names.person(key.user), typing: true))
            }
            for key in seen.typing.subtracting(typing).sorted(by: { ($0.chat.uuidString, $0.user) < ($1.chat.uuidString, $1.user) }) {
                events.append(WatchEvent(cursor: position, type: .typing, at: now, chatId: key.chat, chat: names.chat(key.chat),
                                         user: names.person(key.user), typing: false))
            }
            seen = (connection, typing)
            return events
        }
    }

    static func name(_ connection: EngineStatus.Connection) -> String {
        switch connection {
        case .offline: "offline"
        case .connecting: "connecting"
        case .online: "online"
        case .retrying: "retrying"
        case .signedOut: "signed_out"
        }
    }
}
