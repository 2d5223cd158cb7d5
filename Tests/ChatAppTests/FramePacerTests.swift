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

    @Test func changesWithinTheIntervalShareOneFrameWhenTheWakeUpComes() {
        var pacer = FramePacer()
        _ = pacer.changed(at: start)
        pacer.drawn(at: start)
        #expect(pacer.changed(at: start + .milliseconds(4)) == .wait(.milliseconds(12)))
        // Further changes before the wake-up ask for nothing more.
        #expect(pacer.changed(at: start + .milliseconds(6)) == .skip)
        #expect(pacer.changed(at: start + .milliseconds(9)) == .skip)
        #expect(pacer.due() == .draw)
        pacer.drawn(at: start + .milliseconds(16))
        // The next change within the interval waits again.
        #expect(pacer.changed(at: start + .milliseconds(20)) == .wait(.milliseconds(12)))
    }

    @Test func aWakeUpAfterTheChangeWasAlreadyDrawnDrawsNothing() {
        var pacer = FramePacer()
        _ = pacer.changed(at: start)
        pacer.drawn(at: start)
        #expect(pacer.changed(at: start + .milliseconds(10)) == .wait(.milliseconds(6)))
        // The timer is late; a change past the interval is drawn at once, with the one before.
        #expect(pacer.changed(at: start + .milliseconds(30)) == .draw)
        pacer.drawn(at: start + .milliseconds(30))
        #expect(pacer.due() == .skip)
    }
}
