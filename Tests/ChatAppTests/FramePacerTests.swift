import ChatApp
import Testing

@Suite struct FramePacerTests {
    let start = ContinuousClock.now

    @Test func aChangeAfterAQuietSpellIsDrawnAtOnce() {
        var pacer = FramePacer()
        #expect(pacer.changed(at: start) == .draw)
        pacer.drawn(at: start)
        #expect(pacer.changed(at: start + .milliseconds(40)) == .draw)
    }

    /// The typing line, the chat list and the new message come a few milliseconds apart: each
    /// is drawn as it comes.
    @Test func aFewChangesInQuickSuccessionAreEachDrawnAtOnce() {
        var pacer = FramePacer(interval: .milliseconds(18), burst: 3)
        for step in 0..<3 {
            let now = start + .milliseconds(step)
            #expect(pacer.changed(at: now) == .draw)
            pacer.drawn(at: now)
        }
    }

    @Test func pastTheBudgetChangesShareOneFrameWhenTheWakeUpComes() {
        var pacer = FramePacer(interval: .milliseconds(18), burst: 3)
        for step in 0..<3 {
            _ = pacer.changed(at: start)
            pacer.drawn(at: start + .milliseconds(step))
        }
        // At 4 ms, 4/18 of a frame is earned back since the first: 14 ms to the next.
        guard case .wait(let delay) = pacer.changed(at: start + .milliseconds(4)) else {
            Issue.record("expected a wait")
            return
        }
        #expect(delay > .milliseconds(13) && delay < .milliseconds(15))
        // Further changes before the wake-up ask for nothing more.
        #expect(pacer.changed(at: start + .milliseconds(6)) == .skip)
        #expect(pacer.changed(at: start + .milliseconds(9)) == .skip)
        #expect(pacer.due(at: start + .milliseconds(18)) == .draw)
        pacer.drawn(at: start + .milliseconds(18))
        // The next change waits again: the budget is spent.
        guard case .wait = pacer.changed(at: start + .milliseconds(20)) else {
            Issue.record("expected a wait")
            return
        }
    }

    /// However fast the changes come, no second holds more than `burst + 1 s / interval`
    /// frames: 3 + 55 with the defaults, within the 60 a second the benchmark allows.
    @Test func aLongBurstIsHeldToTheBudgetInEverySecond() {
        var pacer = FramePacer()
        var drawnAt: [Duration] = []
        var wakeUpAt: Duration?
        var now = Duration.zero
        while now < .seconds(5) {
            if let due = wakeUpAt, due <= now {
                wakeUpAt = nil
                switch pacer.due(at: start + now) {
                case .draw:
                    pacer.drawn(at: start + now)
                    drawnAt.append(now)
                case .wait(let delay): wakeUpAt = now + delay
                case .skip: break
                }
            }
            switch pacer.changed(at: start + now, urgent: Int(now / .microseconds(500)) % 3 != 0) {
            case .draw:
                pacer.drawn(at: start + now)
                drawnAt.append(now)
            case .wait(let delay): wakeUpAt = now + delay
            case .skip: break
            }
            now += .microseconds(500)
        }
        let most = drawnAt.indices.map { first in drawnAt[first...].prefix { $0 - drawnAt[first] < .seconds(1) }.count }.max() ?? 0
        #expect(most <= 58)
        #expect(most >= 50)
    }

    @Test func aWakeUpAfterTheChangeWasAlreadyDrawnDrawsNothing() {
        var pacer = FramePacer(interval: .milliseconds(16), burst: 1)
        _ = pacer.changed(at: start)
        pacer.drawn(at: start)
        guard case .wait(let delay) = pacer.changed(at: start + .milliseconds(10)) else {
            Issue.record("expected a wait")
            return
        }
        #expect(delay > .microseconds(5_900) && delay < .microseconds(6_100))
        #expect(pacer.due(at: start + .milliseconds(16)) == .draw)
        pacer.drawn(at: start + .milliseconds(16))
        #expect(pacer.due(at: start + .milliseconds(16)) == .skip)
    }

    /// A change that can wait (the typing line) is drawn at once only with the budget whole,
    /// so that a frame is left for one that cannot (the message typed right after it).
    @Test func aChangeThatCanWaitLeavesAFrameForOneThatCannot() {
        var pacer = FramePacer(interval: .milliseconds(18), burst: 3)
        for _ in 0..<2 {
            _ = pacer.changed(at: start)
            pacer.drawn(at: start)
        }
        guard case .wait(let delay) = pacer.changed(at: start + .milliseconds(1), urgent: false) else {
            Issue.record("expected the typing line to wait")
            return
        }
        #expect(delay > .milliseconds(34) && delay < .milliseconds(36), "until the budget is whole again")
        #expect(pacer.changed(at: start + .milliseconds(2)) == .draw, "the message is drawn at once, with the typing line")
        pacer.drawn(at: start + .milliseconds(2))
        #expect(pacer.due(at: start + .milliseconds(1) + delay) == .skip, "the typing line's wake-up finds it drawn")
    }

    /// Someone types fast: a typing notice 2 ms before each message, a message every 20 ms.
    /// Every message is drawn as it comes, and the frames stay within the budget.
    @Test func messagesAfterTypingNoticesAreDrawnAtOnceWithinTheBudget() {
        var pacer = FramePacer()
        var drawnAt: [Duration] = []
        var wakeUps: [Duration] = []
        var waitedForMessage = 0
        var now = Duration.zero
        func wake(until time: Duration) {
            while let first = wakeUps.min(), first <= time {
                wakeUps.removeAll { $0 == first }
                switch pacer.due(at: start + first) {
                case .draw:
                    pacer.drawn(at: start + first)
                    drawnAt.append(first)
                case .wait(let delay): wakeUps.append(first + delay)
                case .skip: break
                }
            }
        }
        while now < .seconds(5) {
            for (offset, urgent) in [(Duration.zero, false), (.milliseconds(2), true)] {
                wake(until: now + offset)
                switch pacer.changed(at: start + now + offset, urgent: urgent) {
                case .draw:
                    pacer.drawn(at: start + now + offset)
                    drawnAt.append(now + offset)
                case .wait(let delay):
                    wakeUps.append(now + offset + delay)
                    if urgent { waitedForMessage += 1 }
                case .skip:
                    if urgent { waitedForMessage += 1 }
                }
            }
            now += .milliseconds(20)
        }
        #expect(waitedForMessage == 0)
        let most = drawnAt.indices.map { first in drawnAt[first...].prefix { $0 - drawnAt[first] < .seconds(1) }.count }.max() ?? 0
        #expect(most <= 58)
    }

    /// A wake-up replaced by an earlier one still arrives; it draws nothing the budget has not
    /// earned (before, every wake-up drew what had changed, a frame early).
    @Test func aReplacedWakeUpDrawsNothingBeforeTheBudgetAllows() {
        var pacer = FramePacer(interval: .milliseconds(18), burst: 3)
        for _ in 0..<3 {
            _ = pacer.changed(at: start)
            pacer.drawn(at: start)
        }
        guard case .wait(let typingDelay) = pacer.changed(at: start + .milliseconds(1), urgent: false),
              case .wait(let messageDelay) = pacer.changed(at: start + .milliseconds(2)) else {
            Issue.record("expected both to wait")
            return
        }
        #expect(messageDelay < typingDelay, "the message's wake-up comes first")
        #expect(pacer.due(at: start + .milliseconds(18)) == .draw)
        pacer.drawn(at: start + .milliseconds(18))
        guard case .wait = pacer.changed(at: start + .milliseconds(20), urgent: false) else {
            Issue.record("expected the typing line to wait for the budget to be whole")
            return
        }
        #expect(pacer.due(at: start + .milliseconds(1) + typingDelay) == .skip, "the replaced wake-up: the budget has not earned it")
    }
}

