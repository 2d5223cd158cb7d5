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

    @Test func aWriteMadeWhileAValueIsHandedOnIsHandedOnBeforeItReturns() async throws {
        let chat = UUID()
        let store = try ChatStore(path: NSTemporaryDirectory() + "deliveries-\(UUID().uuidString)/cache.sqlite", me: 1)
        try store.upsertChat(ChatInfo(id: chat, title: nil, isPersonal: true, owner: .alice, allUsers: [.alice, .bob]))
        let date = Date(timeIntervalSince1970: 1_000_000)
        let message = MessageInfo(id: 1, localId: "2+1", chatId: chat, authorId: 2, text: "written meanwhile", createdAt: date, updatedAt: date)
        let previews = Mutex<[String]>([])
        let seenAfterTheWrite = Mutex<[String]?>(nil)
        let (checked, check) = AsyncStream.makeStream(of: Void.self)
        // The first value's handler writes (as a consumer may, on whatever thread it is called):
        // the write's value is read on the writer and handed on before the write returns, not
        // left to a read that starts after the handler.
        let list = store.watchChatList { result in
            let first = previews.withLock { previews in
                previews.append((try? result.get())?.first?.lastMessage?.text ?? "-")
                return previews.count == 1
            }
            guard first else { return }
            try? store.applyLiveMessages([message])
            seenAfterTheWrite.withLock { $0 = previews.withLock { $0 } }
            check.yield()
        }
        defer { list.cancel() }
        var iterator = checked.makeAsyncIterator()
        await iterator.next()
        #expect(seenAfterTheWrite.withLock { $0 } == ["-", "written meanwhile"])
    }
}

