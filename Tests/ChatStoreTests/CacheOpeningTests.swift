import ChatAPI
import ChatStore
import Foundation
import GRDB
import Testing

/// Opening a cache tells damage from a file that is merely in use, and a cache too big to
/// check before the first frame is checked beside the client.
@Suite struct CacheOpeningTests {
    func filledCache() throws -> String {
        let path = NSTemporaryDirectory() + "opening-\(UUID().uuidString)/cache.sqlite"
        let store = try ChatStore(path: path, me: 1)
        let alice = UserInfo(id: 1, name: "Alice", username: "alice1")
        let chat = ChatInfo(id: UUID(), title: "t", isPersonal: false, owner: alice, allUsers: [alice])
        try store.upsertChats([chat])
        let now = Date()
        try store.applyServerMessages((1...2000).map {
            MessageInfo(id: $0, localId: "1+\(UUID().uuidString)", chatId: chat.id, authorId: 1, text: "message \($0) " + String(repeating: "x", count: 200),
                        createdAt: now, updatedAt: now)
        })
        return path
    }

    @Test func aLockedCacheIsInUseNotDamagedAndNothingIsMoved() throws {
        let path = try filledCache()
        // Another program holds the database exclusively.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // the lock stays held between accesses
        let holder = try DatabaseQueue(path: path, configuration: configuration)
        try holder.inDatabase { db in try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE") }
        #expect(throws: CacheRecovery.Unavailable.self) { try CacheRecovery.diagnose(path) }
        try holder.inDatabase { db in try db.execute(sql: "COMMIT") }
        try holder.close()
        let folder = (path as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.contains("damaged") })
        #expect(try CacheRecovery.diagnose(path) == nil)
    }

    @Test func aBigCacheIsCheckedBesideTheClientAndRecoveredAtTheNextStart() throws {
        let path = try filledCache()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64)
        // Damage in the middle: only a full check sees it.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: size / 2)
        handle.write(Data((0..<8192).map { _ in UInt8.random(in: 0...255) }))
        try handle.close()
        // Over the size checked at start, the file opens at once…
        #expect(try CacheRecovery.diagnose(path, checkedUpTo: size / 4) == nil)
        // …the check beside the client finds the damage and says what to do…
        let sentence = try #require(CacheRecovery.checkInBackground(path, checkedUpTo: size / 4))
        #expect(sentence.contains("The cache is damaged. Quit and start termchat again"))
        // …and the next start sets it aside, as for damage seen at start.
        let (store, notice) = try CacheRecovery.open(path: path, me: 1, checkedAtStartUpTo: size / 4)
        #expect(notice?.hasPrefix("The cache was damaged, so it was moved to") == true)
        #expect(try store.chatList().isEmpty)
        #expect(CacheRecovery.checkInBackground(path, checkedUpTo: 0) == nil)
    }

    @Test func aSoundBigCachePassesItsBackgroundCheck() throws {
        let path = try filledCache()
        #expect(try CacheRecovery.diagnose(path, checkedUpTo: 0) == nil)
        #expect(CacheRecovery.checkInBackground(path, checkedUpTo: 0) == nil)
    }
}
