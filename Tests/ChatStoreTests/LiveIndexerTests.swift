@testable import ChatStore
import Synchronization
import Testing

/// Live writes in a row are indexed in one run, after they pause; `settle` waits for it.
@Suite struct LiveIndexerTests {
    @Test func writesInARowAreIndexedInOneRunAfterThePause() {
        let batches = Atomic<Int>(0)
        let indexer = LiveIndexer(quiet: .milliseconds(200)) {
            // Three batches' worth waits: the run takes them all.
            batches.add(1, ordering: .relaxed).newValue % 3 != 0
        }
        for _ in 0..<50 { indexer.messagesWait() }
        indexer.settle()
        #expect(batches.load(ordering: .relaxed) == 3, "one run of three batches for fifty writes")
        indexer.messagesWait()
        indexer.settle()
        #expect(batches.load(ordering: .relaxed) == 6, "a later write, a later run")
    }
}
