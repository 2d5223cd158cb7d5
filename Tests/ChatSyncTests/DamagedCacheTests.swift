import ChatAPI
import ChatClient
import ChatStore
import ChatTestSupport
import Foundation
import GRDB
import Testing
@testable import ChatSync

/// A damaged cache never stops the client: it starts, says in one sentence what happened, and
/// every queued message that could be salvaged is delivered exactly once.
@Suite struct DamagedCacheTests {
    enum Damage: String, CaseIterable, Sendable {
        case zeroBytes, halfTruncated, randomHeader, randomMiddle, walGarbage, directory, foreignDatabase, newerSchema
    }

    /// Writes `bytes` random bytes at `offset` of `path`.
    static func scribble(_ path: String, at offset: UInt64, count: Int) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: offset)
        var generator = SystemRandomNumberGenerator()
        handle.write(Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }))
        try handle.close()
    }

    static func damage(_ path: String, _ damage: Damage) throws {
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
        switch damage {
        case .zeroBytes: try FileHandle(forWritingTo: URL(fileURLWithPath: path)).truncate(atOffset: 0)
        case .halfTruncated: try FileHandle(forWritingTo: URL(fileURLWithPath: path)).truncate(atOffset: size / 2)
        case .randomHeader: try scribble(path, at: 0, count: 100)
        case .randomMiddle: try scribble(path, at: size / 2, count: 4096)
        case .walGarbage:
            FileManager.default.createFile(atPath: path + "-wal", contents: Data((0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }))
        case .directory:
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        case .foreignDatabase:
            try FileManager.default.removeItem(atPath: path)
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('not yours')") }
        case .newerSchema:
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999: from the future')") }
        }
    }

    @Test(arguments: Damage.allCases)
    func theClientStartsSaysWhatHappenedAndDeliversWhatWasSalvaged(_ damage: Damage) async throws {
        try await withServer { server in
            let bobAccount = try await SyncTestClient.register("Bob", on: server)
            let alice = try await SyncTestClient.start("Alice", on: server)
            try await alice.online()
            let chat = try await alice.engine.createChat(CreateChatRequest(participants: [bobAccount.user.id]))
            await alice.stop()
            // Three messages queued while the engine is not running (as `termchat send` offline).
            let texts = (1...3).map { "queued \($0) before the \(damage.rawValue)" }
            for text in texts { try alice.store.queueMessage(chat.id, localId: LocalID.make(author: alice.id), text: text) }
            let path = alice.store.path
            // Everything into the main file, so that the damage below hits what was queued.
            try await DatabaseQueue(path: path).writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try Self.damage(path, damage)

            let (store, notice) = try CacheRecovery.open(path: path, me: alice.id)
            print("\(damage.rawValue): \(notice ?? "(no notice)")")
            if damage == .walGarbage {
                #expect(notice == nil)  // SQLite ignores a WAL that does not check out
            } else {
                let sentence = try #require(notice)
                #expect(sentence.contains(".damaged-"), "\(sentence)")
                for hidden in ["SQLITE", "sqlite_master", "CREATE", "error 11", "error 26", "malformed"] {
                    #expect(!sentence.contains(hidden), "\(sentence)")
                }
            }
            let salvaged: Int = switch damage {
            case .walGarbage, .newerSchema: 3
            case .zeroBytes, .directory, .foreignDatabase: 0
            default: notice.flatMap { text in text.components(separatedBy: "the ").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }.first } ?? 0
            }
            if damage == .newerSchema { #expect(notice?.contains("3 queued messages") == true) }

            let restarted = SyncTestClient.start(api: alice.api, user: alice.user, sessionId: alice.sessionId, store: store)
            try await restarted.online()
            try await restarted.eventually("the outbox is empty") { try $0.outboxItems().isEmpty }
            await restarted.stop()
            let onServer = try await bobAccount.api.messages(chat.id, count: 100).compactMap(\.text)
            let delivered = texts.filter { onServer.contains($0) }
            #expect(delivered.count == salvaged, "\(damage): \(onServer)")
            for text in delivered { #expect(onServer.filter { $0 == text }.count == 1, "\(text) twice") }
        }
    }

    /// Queued changes are queued work too: salvaged with the outbox and applied after recovery.
    @Test func queuedChangesAreSalvagedAndApplied() async throws {
        try await withServer { server in
            let bobAccount = try await SyncTestClient.register("Bob", on: server)
            let alice = try await SyncTestClient.start("Alice", on: server)
            try await alice.online()
            let chat = try await alice.engine.createChat(CreateChatRequest(title: "Before", participants: [bobAccount.user.id], isPersonal: false))
            await alice.stop()
            try alice.store.queueIntent(.rename("Renamed before the damage"), chat: chat.id)
            try alice.store.queueIntent(.updateProfile(name: "Alice Salvaged", about: nil), chat: nil)
            let path = alice.store.path
            try await DatabaseQueue(path: path).writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try Self.damage(path, .newerSchema)

            let (store, notice) = try CacheRecovery.open(path: path, me: alice.id)
            #expect(notice != nil)
            let restarted = SyncTestClient.start(api: alice.api, user: alice.user, sessionId: alice.sessionId, store: store)
            try await restarted.online()
            try await restarted.eventually("the salvaged changes are applied") { try $0.intents().isEmpty }
            await restarted.stop()
            #expect(try await bobAccount.api.chat(chat.id).title == "Renamed before the damage")
            #expect(try await alice.api.me().info.name == "Alice Salvaged")
        }
    }
}
