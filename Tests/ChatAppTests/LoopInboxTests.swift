import ChatApp
import Foundation
import Testing

/// The drawing loop takes everything that arrived since its last turn at once, holds one value
/// per observation when it falls behind, and ends after the last input once finished.
@Suite struct LoopInboxTests {
    @Test func inputsPutBetweenTurnsAreTakenTogetherInOrder() async {
        let inbox = LoopInbox<String>()
        inbox.put("chat list")
        inbox.put("window")
        inbox.put("key")
        #expect(await inbox.next() == ["chat list", "window", "key"])
        inbox.put("later")
        #expect(await inbox.next() == ["later"])
    }

    @Test func aTurnWaitsForTheNextInput() async {
        let inbox = LoopInbox<Int>()
        async let taken = inbox.next()
        inbox.put(1)
        #expect(await taken == [1])
    }

    @Test func aNewerValueSupersedesThePendingOneOfTheSameObservation() async {
        let inbox = LoopInbox<String>()
        let isList: (String) -> Bool = { $0.hasPrefix("list") }
        inbox.put("list 1", supersedes: isList)
        inbox.put("key a")
        inbox.put("list 2", supersedes: isList)
        inbox.put("list 3", supersedes: isList)
        #expect(await inbox.next() == ["key a", "list 3"])
    }

    @Test func finishingHandsOnWhatIsPendingThenEnds() async {
        let inbox = LoopInbox<Int>()
        inbox.put(1)
        inbox.finish()
        inbox.put(2)
        #expect(await inbox.next() == [1])
        #expect(await inbox.next() == nil)
    }

    /// A write's observations are handed on inside `together`: the loop, already waiting,
    /// takes all of them in one turn, not the first alone.
    @Test func whatIsPutTogetherIsTakenInOneTurn() async {
        let inbox = LoopInbox<String>()
        let firstPut = DispatchSemaphore(value: 0)
        let loopHadItsChance = DispatchSemaphore(value: 0)
        let turn = Task { await inbox.next() }
        let putting = Thread {
            inbox.together {
                inbox.put("chat list")
                firstPut.signal()
                // Without `together`, the waiting loop wakes here and takes the list alone.
                loopHadItsChance.wait()
                inbox.put("window")
            }
        }
        putting.start()
        firstPut.wait()
        try? await Task.sleep(for: .milliseconds(50))  // room for a wrong wake-up, not a synchronisation
        loopHadItsChance.signal()
        #expect(await turn.value == ["chat list", "window"])
    }
}
