@testable import ChatSync
import Testing

/// Live messages are stored as they come while the budget lasts; a burst is stored once per
/// interval.
@Suite struct StorePacerTests {
    let start = ContinuousClock.now

    @Test func messagesTypedOneAfterAnotherAreStoredAtOnce() {
        var pacer = StorePacer(interval: .milliseconds(20), burst: 2)
        var now = start
        for _ in 0..<50 {
            #expect(pacer.wait(at: now) == .zero)
            pacer.stored(at: now)
            now += .milliseconds(17)  // faster than one per interval: the budget bridges it
            if pacer.wait(at: now) > .zero { break }
        }
        // 17 ms apart, the budget of 2 lasts a while, then each waits at most the 3 ms short.
        #expect(pacer.wait(at: now) <= .milliseconds(3))
    }

    @Test func aBurstIsStoredOncePerInterval() {
        var pacer = StorePacer(interval: .milliseconds(20), burst: 2)
        var now = start
        var stores: [ContinuousClock.Instant] = []
        while now < start + .seconds(1) {
            let wait = pacer.wait(at: now)
            now += wait
            pacer.stored(at: now)
            stores.append(now)
            now += .milliseconds(1)  // the next message is already waiting
        }
        #expect(stores.count <= 2 + 50)
        #expect(stores.count >= 48)
    }

    @Test func afterAQuietSpellTheBudgetIsWholeAgain() {
        var pacer = StorePacer(interval: .milliseconds(20), burst: 2)
        pacer.stored(at: start)
        pacer.stored(at: start)
        #expect(pacer.wait(at: start + .milliseconds(5)) > .zero)
        #expect(pacer.wait(at: start + .milliseconds(40)) == .zero)
        pacer.stored(at: start + .milliseconds(40))
        #expect(pacer.wait(at: start + .milliseconds(40)) == .zero, "two in a row after the quiet spell")
    }
}
