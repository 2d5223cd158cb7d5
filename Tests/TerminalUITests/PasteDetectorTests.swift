import Testing
import TerminalUI

/// A paste without bracketed paste sent each line as a message.
@Suite struct PasteDetectorTests {
    let start = ContinuousClock.now

    func keys(_ text: String) -> [Key] { text.map { $0 == "\n" ? .enter : .character($0) } }

    @Test func linesArrivingTogetherAreOnePaste() {
        var detector = PasteDetector()
        #expect(detector.classify(keys("first line\nsecond line\n"), at: start) == [.burst("first line\nsecond line\n")])
    }

    @Test func theRestOfALongPasteInALaterReadIsMoreOfIt() {
        var detector = PasteDetector()
        _ = detector.classify(keys("part one\npart"), at: start)
        #expect(detector.classify(keys("\n"), at: start + .milliseconds(5)) == [.burst("\n")])
        #expect(detector.classify(keys("x"), at: start + .milliseconds(10)) == [.burst("x")])
        // Long after, a key is a key again.
        #expect(detector.classify([.enter], at: start + .seconds(2)) == [.enter])
    }

    @Test func whatAPersonTypesStaysKeys() {
        var detector = PasteDetector()
        #expect(detector.classify([.character("h")], at: start) == [.character("h")])
        #expect(detector.classify([.enter], at: start + .milliseconds(50)) == [.enter])
        // A held key, a held Enter, and keys mixed with others are no paste.
        #expect(detector.classify(keys("jjjjjjjjjjjj"), at: start + .seconds(1)) == keys("jjjjjjjjjjjj"))
        #expect(detector.classify([.enter, .enter, .enter], at: start + .seconds(2)) == [.enter, .enter, .enter])
        #expect(detector.classify([.character("a"), .down, .character("b"), .enter], at: start + .seconds(3)).count == 4)
        // What was typed and its Enter together (a busy machine, a slow link) is still sent.
        #expect(detector.classify(keys("see you\n"), at: start + .seconds(4)) == keys("see you\n"))
    }
}
