import ChatAPI
@testable import ChatStore
import Foundation
import Testing

/// The WAL is copied back in the background once per `threshold` frames written, not after
/// every commit once it is long: back-to-back writes never let a passive checkpoint restart it.
@Suite struct BackgroundCheckpointerTests {
    @Test func backToBackWritesAreCheckpointedOncePerThresholdNotOncePerCommit() throws {
        let store = try ChatStore(path: NSTemporaryDirectory() + "checkpoint-\(UUID().uuidString)/cache.sqlite", me: 1)
        let alice = UserInfo(id: 1, name: "Alice", username: "alice"), bob = UserInfo(id: 2, name: "Bob", username: "bob")
        let chat = UUID()
        try store.upsertChat(ChatInfo(id: chat, title: nil, isPersonal: true, owner: alice, allUsers: [alice, bob]))
        let writes = 2_000
        for id in 1...writes {
            let date = Date(timeIntervalSince1970: 1_795_132_800 + Double(id))
            try store.applyLiveMessages([MessageInfo(id: id, localId: "2+\(id)", chatId: chat, authorId: 2,
                                                     text: "message \(id) " + String(repeating: "x", count: 100), createdAt: date, updatedAt: date)])
        }
        store.checkpointer.settle()
        let runs = store.checkpointer.checkpointsRun
        // Each write adds a few frames (the message, its indexes, the chat's row): 2,000 of them
        // pass the threshold of 1,000 frames several times, and never once per write.
        #expect(runs >= 1, "the WAL is checkpointed at all")
        #expect(runs <= writes / 20, "\(runs) checkpoints for \(writes) writes")
    }
}
