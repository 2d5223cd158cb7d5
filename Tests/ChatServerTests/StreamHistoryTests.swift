@testable import ChatServer
import ChatAPI
import Testing

/// The bookkeeping behind resuming a stream: which positions can continue, and with what.
@Suite struct StreamHistoryTests {
    let t0 = ContinuousClock.now

    func send(_ frame: String, to users: [UserID], in history: inout StreamHistory<String>, at offset: Duration = .zero) -> UInt64 {
        let (seq, _) = history.append(at: t0 + offset) { _ in frame }
        for user in users { history.record(seq, for: user) }
        return seq
    }

    @Test func framesAfterAPositionAreThoseSentToTheUserSinceInOrder() {
        var history = StreamHistory<String>(id: "s")
        history.connected(1, at: t0)
        history.connected(2, at: t0)
        let a = send("a", to: [1, 2], in: &history)
        _ = send("b", to: [2], in: &history)
        _ = send("c", to: [1], in: &history)
        history.disconnected(1, at: t0)
        _ = send("d", to: [1, 2], in: &history)
        #expect(history.frames(after: StreamPosition(stream: "s", seq: a), for: 1) == ["c", "d"])
        #expect(history.frames(after: StreamPosition(stream: "s", seq: 0), for: 1) == ["a", "c", "d"])
        #expect(history.frames(after: StreamPosition(stream: "s", seq: history.seq), for: 1) == [])
    }

    @Test func positionsOfAnotherStreamOrAheadOrBeforeTheUserWasHeldAreRefused() {
        var history = StreamHistory<String>(id: "s")
        _ = send("before", to: [1], in: &history)  // user 1 not connected: not held
        history.connected(1, at: t0)
        let held = send("held", to: [1], in: &history)
        #expect(history.frames(after: StreamPosition(stream: "other", seq: held), for: 1) == nil)
        #expect(history.frames(after: StreamPosition(stream: "s", seq: held + 1), for: 1) == nil)
        #expect(history.frames(after: StreamPosition(stream: "s", seq: 0), for: 1) == nil)
        #expect(history.frames(after: StreamPosition(stream: "s", seq: 1), for: 1) == ["held"])
        #expect(history.frames(after: StreamPosition(stream: "s", seq: 1), for: 2) == nil)
    }

    @Test func overTheLimitTheOldestGoAndPositionsBeforeThemCannotResume() {
        var history = StreamHistory<String>(id: "s", perUserLimit: 3)
        history.connected(1, at: t0)
        let seqs = (0..<5).map { send("f\($0)", to: [1], in: &history) }
        #expect(history.frames(after: StreamPosition(stream: "s", seq: seqs[0]), for: 1) == nil)
        #expect(history.frames(after: StreamPosition(stream: "s", seq: seqs[1]), for: 1) == ["f2", "f3", "f4"])
    }

    @Test func framesOlderThanTheWindowAndUsersGoneLongerAreForgotten() {
        var history = StreamHistory<String>(id: "s", window: .seconds(60))
        history.connected(1, at: t0)
        history.connected(2, at: t0)
        let old = send("old", to: [1, 2], in: &history)
        let recent = send("recent", to: [1, 2], in: &history, at: .seconds(50))
        history.disconnected(2, at: t0 + .seconds(50))
        history.sweepIfDue(at: t0 + .seconds(100))
        // User 1 is still connected: the old frame is gone, the recent one held.
        #expect(history.frames(after: StreamPosition(stream: "s", seq: 0), for: 1) == nil)
        #expect(history.frames(after: StreamPosition(stream: "s", seq: old), for: 1) == ["recent"])
        #expect(history.frames(after: StreamPosition(stream: "s", seq: recent), for: 2) == [])
        history.sweepIfDue(at: t0 + .seconds(200))
        #expect(history.frames(after: StreamPosition(stream: "s", seq: recent), for: 2) == nil)
        #expect(history.userCount == 1)
    }

    @Test func overTheLimitInAllTheOldestGoForEveryone() {
        var history = StreamHistory<String>(id: "s", logLimit: 3)
        history.connected(1, at: t0)
        history.connected(2, at: t0)
        let first = send("f0", to: [1], in: &history)
        let second = send("f1", to: [2], in: &history)
        _ = send("f2", to: [1, 2], in: &history)
        _ = send("f3", to: [2], in: &history)  // f0 leaves the log
        #expect(history.frames(after: StreamPosition(stream: "s", seq: 0), for: 1) == nil)
        #expect(history.frames(after: StreamPosition(stream: "s", seq: first), for: 1) == ["f2"])
        #expect(history.frames(after: StreamPosition(stream: "s", seq: 0), for: 2) == ["f1", "f2", "f3"])
        // Many more: compaction keeps numbers and frames together. f198 went to user 1, f197
        // and f199 to user 2, and only the last three are held.
        var last = second
        for index in 4..<200 { last = send("f\(index)", to: [index % 2 + 1], in: &history) }
        #expect(history.frames(after: StreamPosition(stream: "s", seq: last - 3), for: 1) == ["f198"])
        #expect(history.frames(after: StreamPosition(stream: "s", seq: last - 4), for: 2) == ["f197", "f199"])
        #expect(history.frames(after: StreamPosition(stream: "s", seq: last - 4), for: 1) == nil)
    }
}
