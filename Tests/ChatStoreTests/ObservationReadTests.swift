import ChatAPI
@testable import ChatStore
import Dispatch
import Foundation
import GRDB
import Synchronization
import Testing

/// An observation's read must give its connection back without waiting for a task's thread.
/// The store has two readers and Swift's tasks share as many threads as there are cores (two
/// here): two observations holding the readers, their tasks waiting for a thread, and two
/// tasks blocked in synchronous reads waiting for a reader was a deadlock (a sender's upload
/// stuck at 100 % for good, the screen frozen).
@Suite struct ObservationReadTests {
    @Test func anObservationsReadReleasesItsReaderWhileEveryTaskThreadIsBlocked() async throws {
        let store = try ChatStore(path: NSTemporaryDirectory() + "async-read-\(UUID().uuidString)/cache.sqlite", me: 1)
        // One thread for the tasks below: the synchronous read blocks all of them.
        let executor = OneThreadExecutor()
        let holding = AsyncStream.makeStream(of: Void.self)
        let gate = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        for _ in 0..<2 {
            // An observation, read as the app's are: its first read holds a reader until the gate opens.
            let observation = store.observe(["users"]) { db in
                holding.continuation.yield()
                gate.wait()
                return try Int.fetchOne(db, sql: "SELECT 1")
            }
            Task(executorPreference: executor) {
                for try await _ in observation { break }
                finished.signal()
            }
        }
        Task(executorPreference: executor) {
            var held = holding.stream.makeAsyncIterator()
            _ = await held.next()
            _ = await held.next()
            // Both readers are taken; let them finish, and block this (the only) thread on a
            // synchronous read, which needs one of them back.
            gate.signal()
            gate.signal()
            _ = try store.dueJobs(now: Date())  // as the delivery loop asks
            finished.signal()
        }
        // A deadlock never ends: wait on a thread of our own, long enough for any machine.
        let allFinished = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: (0..<3).allSatisfy { _ in finished.wait(timeout: .now() + 60) == .success })
            }
        }
        #expect(allFinished, "the reads ended")
    }
}

/// A task executor with one thread.
final class OneThreadExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "one-thread-executor")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
