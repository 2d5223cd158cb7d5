@testable import ChatStore
import Dispatch
import GRDB
import Synchronization
import Testing

/// How an observation reads after commits: never two reads at once, the commits that land
/// during a read folded into exactly one more, nothing before the observer is registered, and
/// nothing once its consumer is gone.
@Suite struct ObservationDriverTests {
    /// A read that counts itself and can be held open until the test lets it go.
    final class ScriptedRead: Sendable {
        let reads = Atomic<Int>(0)
        let inFlight = Atomic<Int>(0)
        let overlapped = Atomic<Bool>(false)
        let started = DispatchSemaphore(value: 0)
        let proceed = DispatchSemaphore(value: 0)
        let holds = Atomic<Bool>(false)

        func read() -> Int? {
            if inFlight.add(1, ordering: .relaxed).newValue > 1 { overlapped.store(true, ordering: .relaxed) }
            defer { inFlight.subtract(1, ordering: .relaxed) }
            let number = reads.add(1, ordering: .relaxed).newValue
            started.signal()
            if holds.load(ordering: .relaxed) { proceed.wait() }
            return number
        }
    }

    @Test func commitsDuringAReadFoldIntoOneMoreReadAndValuesComeInOrder() async throws {
        let script = ScriptedRead()
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Int.self)
        let driver = ObservationDriver<Int>.streaming(continuation)
        driver.prepare(observer: 0) { done in
            DispatchQueue.global().async { done(.success(script.read())) }
        }
        driver.wake()  // before the observer is registered: its first read covers this
        script.holds.store(true, ordering: .relaxed)
        driver.start()
        script.started.wait()
        for _ in 0..<5 { driver.wake() }  // five commits while the first read is open
        script.holds.store(false, ordering: .relaxed)
        script.proceed.signal()
        var values = stream.makeAsyncIterator()
        #expect(try await values.next() == 1)
        #expect(try await values.next() == 2)
        driver.stop()
        driver.wake()
        let reads = script.reads.load(ordering: .relaxed)
        let overlapped = script.overlapped.load(ordering: .relaxed)
        #expect(reads == 2, "one first read, one for the five commits during it")
        #expect(!overlapped, "two reads at once")
    }

    @Test func aFailedReadEndsTheObservationWithItsError() async throws {
        struct Broken: Error {}
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Int.self)
        let driver = ObservationDriver<Int>.streaming(continuation)
        driver.prepare(observer: 0) { done in done(.failure(Broken())) }
        driver.start()
        var values = stream.makeAsyncIterator()
        await #expect(throws: Broken.self) { _ = try await values.next() }
    }

    @Test func aCommitIsReadOnItsOwnConnectionAtOnceAndNotBeforeTheStart() async throws {
        let script = ScriptedRead()
        let onConnection = Atomic<Int>(0)
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        let driver = ObservationDriver<Int>.streaming(continuation)
        driver.prepare(observer: 0, read: { done in done(.success(script.read())) }, readNow: { _ in
            100 + onConnection.add(1, ordering: .relaxed).newValue
        })
        let connection = try DatabaseQueue()
        try connection.inDatabase { db in driver.committed(db) }  // before the start: its first read covers it
        #expect(onConnection.load(ordering: .relaxed) == 0)
        driver.start()
        var values = stream.makeAsyncIterator()
        #expect(try await values.next() == 1, "the first value comes from a reader")
        for _ in 0..<3 { try connection.inDatabase { db in driver.committed(db) } }
        #expect(onConnection.load(ordering: .relaxed) == 3, "each commit read on its connection, before it returned")
        #expect(try await values.next() == 103, "the newest value kept for a consumer that fell behind (as an observation keeps it)")
        #expect(script.reads.load(ordering: .relaxed) == 1, "no reader for the commits")
    }

    @Test func aCommitDuringTheReadersReadFoldsIntoOneMoreReadAfterIt() async throws {
        let script = ScriptedRead()
        let onConnection = Atomic<Int>(0)
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Int.self)
        let driver = ObservationDriver<Int>.streaming(continuation)
        driver.prepare(observer: 0, read: { done in
            DispatchQueue.global().async { done(.success(script.read())) }
        }, readNow: { _ in 100 + onConnection.add(1, ordering: .relaxed).newValue })
        script.holds.store(true, ordering: .relaxed)
        driver.start()
        script.started.wait()
        let connection = try DatabaseQueue()
        // Read now, these could hand on a newer value before the first read's older one.
        for _ in 0..<4 { try connection.inDatabase { db in driver.committed(db) } }
        script.holds.store(false, ordering: .relaxed)
        script.proceed.signal()
        var values = stream.makeAsyncIterator()
        #expect(try await values.next() == 1)
        #expect(try await values.next() == 2)
        #expect(onConnection.load(ordering: .relaxed) == 0, "no read on the connection while the reader's was open")
        #expect(script.reads.load(ordering: .relaxed) == 2)
        try connection.inDatabase { db in driver.committed(db) }
        #expect(try await values.next() == 101, "with nothing running, the next commit is read on its connection")
        let overlapped = script.overlapped.load(ordering: .relaxed)
        #expect(!overlapped, "two reads at once")
    }
}

extension ObservationDriver where Value == Int {
    /// A driver whose values go to a stream, as `ChatStore.stream` makes one.
    static func streaming(_ continuation: AsyncThrowingStream<Int, any Error>.Continuation) -> ObservationDriver<Int> {
        ObservationDriver { result in
            switch result {
            case .success(let value): continuation.yield(value)
            case .failure(let error): continuation.finish(throwing: error)
            }
        }
    }
}
