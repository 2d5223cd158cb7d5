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
        #expect(pacer.due() == .draw)
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
                if pacer.due() == .draw {
                    pacer.drawn(at: start + now)
                    drawnAt.append(now)
                }
            }
            switch pacer.changed(at: start + now) {
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
        #expect(pacer.due() == .draw)
        pacer.drawn(at: start + .milliseconds(16))
        #expect(pacer.due() == .skip)
    }
}
