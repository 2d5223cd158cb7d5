import ChatClient
import Foundation
import Testing

@Suite struct BackoffTests {
    @Test func growsExponentiallyWithJitterUpToTheCap() {
        var backoff = Backoff(base: .seconds(1), cap: .seconds(8))
        let delays = [0, 1, 0.5, 1, 1].map { backoff.nextDelay(random: $0) }
        #expect(delays == [.milliseconds(500), .seconds(2), .seconds(3), .seconds(8), .seconds(8)])  // the last two capped
        backoff.reset()
        let afterReset = backoff.nextDelay(random: 1)
        #expect(afterReset == .seconds(1))
    }

    @Test func wallClockJumpsAreNoticed() {
        var detector = WallClockJumpDetector(threshold: 5)
        let start = Date(timeIntervalSince1970: 1_000)
        // The last sample: slept for an hour, so the wall clock moved and the monotonic clock did not.
        let samples: [(TimeInterval, Duration)] = [(0, .seconds(10)), (5, .seconds(15)), (3605, .seconds(20)), (3610, .seconds(25))]
        let jumps = samples.map { detector.observe(wall: start.addingTimeInterval($0.0), monotonic: $0.1) }
        #expect(jumps == [false, false, true, false])
    }

    @Test func serverURLsAreParsedOrRefusedInWords() throws {
        #expect(try ServerURL.parse("127.0.0.1:8080").absoluteString == "http://127.0.0.1:8080")
        #expect(try ServerURL.parse(" https://chat.example/ ").absoluteString == "https://chat.example")
        #expect(throws: ClientError.invalidURL("ftp://x")) { try ServerURL.parse("ftp://x") }
        #expect(throws: ClientError.self) { try ServerURL.parse("http://") }
        #expect(ClientError.invalidURL("::").userMessage.contains("not a server address"))
        #expect(ServerURL.events(base: URL(string: "https://h:1")!, session: UUID(uuidString: "0F0E0D0C-0B0A-0908-0706-050403020100")!)
            == "wss://h:1/0F0E0D0C-0B0A-0908-0706-050403020100")
    }
}
