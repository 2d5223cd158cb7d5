import ChatAPI
@testable import ChatStore
import Foundation
import Synchronization
import Testing

/// What one write's observations read is handed on together when the write returns: the chat
/// list's new preview and the open chat's new window reach the screen as one change.
@Suite struct CommitDeliveriesTests {
    @Test func heldDeliveriesWaitForTheReleaseAndKeepTheirOrder() {
        let deliveries = CommitDeliveries()
        let log = Mutex<[String]>([])
        deliveries.deliver { log.withLock { $0.append("not held") } }
        #expect(log.withLock { $0 } == ["not held"], "with no write running, at once")
        deliveries.hold()
        deliveries.deliver { log.withLock { $0.append("list") } }
        deliveries.deliver { log.withLock { $0.append("window") } }
        #expect(log.withLock { $0 }.count == 1, "held until the write returns")
        deliveries.release()
        #expect(log.withLock { $0 } == ["not held", "list", "window"])
        deliveries.deliver { log.withLock { $0.append("after") } }
        #expect(log.withLock { $0 }.last == "after", "released: at once again")
    }

    @Test func aWritesObservationsAreAllHandedOnWhenItReturns() async throws {
        let me: UserID = 1
        let chat = UUID()
        let store = try ChatStore(path: NSTemporaryDirectory() + "deliveries-\(UUID().uuidString)/cache.sqlite", me: me)
        try store.upsertChat(ChatInfo(id: chat, title: nil, isPersonal: true, owner: .alice, allUsers: [.alice, .bob]))
        func message(_ id: MessageID) -> MessageInfo {
            let date = Date(timeIntervalSince1970: 1_000_000 + Double(id))
            return MessageInfo(id: id, localId: "2+\(id)", chatId: chat, authorId: 2, text: "message \(id)", createdAt: date, updatedAt: date)
        }
        try store.applyLiveMessages([message(1)])
        let previews = Mutex<[String]>([])
        let windows = Mutex<[String]>([])
        let (firsts, first) = AsyncStream.makeStream(of: Void.self)
        let list = store.watchChatList { result in
            previews.withLock { $0.append((try? result.get())?.first?.lastMessage?.text ?? "-") }
            first.yield()
        }
        let window = store.watchWindow(chat, at: .newest) { result in
            windows.withLock { $0.append((try? result.get())?.messages.last?.text ?? "-") }
            first.yield()
        }
        defer {
            list.cancel()
            window.cancel()
        }
        var arrivals = firsts.makeAsyncIterator()
        await arrivals.next()
        await arrivals.next()
        for id: MessageID in 2...4 {
            try store.applyLiveMessages([message(id)])
            // Read on the writer after the commit and handed on before the write returned.
            #expect(previews.withLock { $0.last } == "message \(id)")
            #expect(windows.withLock { $0.last } == "message \(id)")
        }
        #expect(previews.withLock { $0.count } == 4 && windows.withLock { $0.count } == 4, "one value each per write")
    }

    @Test func anObservationWhoseHandleIsReleasedStops() async throws {
        let chat = UUID()
        let store = try ChatStore(path: NSTemporaryDirectory() + "deliveries-\(UUID().uuidString)/cache.sqlite", me: 1)
        try store.upsertChat(ChatInfo(id: chat, title: nil, isPersonal: true, owner: .alice, allUsers: [.alice, .bob]))
        func message(_ id: MessageID) -> MessageInfo {
            let date = Date(timeIntervalSince1970: 1_000_000 + Double(id))
            return MessageInfo(id: id, localId: "2+\(id)", chatId: chat, authorId: 2, text: "message \(id)", createdAt: date, updatedAt: date)
        }
        let values = Atomic(0)
        let (firsts, first) = AsyncStream.makeStream(of: Void.self)
        var list: StoreObservation? = store.watchChatList { _ in
            values.add(1, ordering: .relaxed)
            first.yield()
        }
        var arrivals = firsts.makeAsyncIterator()
        await arrivals.next()
        try store.applyLiveMessages([message(1)])
        #expect(values.load(ordering: .relaxed) == 2, "alive: a value per write, handed on before the write returns")
        #expect(list != nil)
        list = nil
        try store.applyLiveMessages([message(2)])
        #expect(values.load(ordering: .relaxed) == 2, "released: no value after")
    }
}
