import ChatClient
import Foundation
import Testing

@Suite struct RetryAfterTests {
    @Test func readsSecondsAndDates() {
        #expect(RetryAfter.seconds("4") == 4)
        #expect(RetryAfter.seconds(" 120 ") == 120)
        #expect(RetryAfter.seconds(nil) == RetryAfter.fallback)
        #expect(RetryAfter.seconds("soon") == RetryAfter.fallback)
        #expect(RetryAfter.seconds("99999999") == RetryAfter.cap)
        let now = Date(timeIntervalSince1970: 1_000_000_000)  // Sun, 09 Sep 2001 01:46:40 GMT
        #expect(RetryAfter.seconds("Sun, 09 Sep 2001 01:46:50 GMT", now: now) == 10)
        #expect(RetryAfter.seconds("Sun, 09 Sep 2001 01:46:30 GMT", now: now) == 0)
    }
}
