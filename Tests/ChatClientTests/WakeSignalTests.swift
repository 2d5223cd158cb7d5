@testable import ChatClient
import Testing

/// The worker loops' sleep: a wait that ended by a wake must leave nothing behind.
@Suite struct WakeSignalTests {
    /// A wait with a time limit ended by `wake()`: its timer is cancelled, and a cancelled
    /// timer must not wake the next wait (the sender loop then spun, waking itself for ever).
    @Test func aWaitEndedByAWakeLeavesNoWakeBehind() async {
        let signal = WakeSignal()
        let waiting = Task { await signal.wait(upTo: .seconds(600)) }
        while !signal.hasWaiter { await Task.yield() }
        signal.wake()
        await waiting.value
        #expect(!signal.isPending)
    }

    /// A wake with nobody waiting is kept for the next wait.
    @Test func aWakeWithNobodyWaitingIsKept() async {
        let signal = WakeSignal()
        signal.wake()
        #expect(signal.isPending)
        await signal.wait(upTo: .seconds(600))
        #expect(!signal.isPending)
    }
}
