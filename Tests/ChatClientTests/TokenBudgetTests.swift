import ChatClient
import Testing

/// The pacers' shared arithmetic: full at first, one token per interval, never above the
/// capacity nor below none.
@Suite struct TokenBudgetTests {
    @Test func spendsRefillsAndSaysHowLongToWait() {
        let start = ContinuousClock.now
        var budget = TokenBudget<ContinuousClock.Instant>(capacity: 2, interval: .milliseconds(20))
        #expect(budget.tokens == 2)
        budget.spend(at: start)
        budget.spend(at: start)
        budget.spend(at: start)
        #expect(budget.tokens == 0, "spent, and no debt")
        #expect(budget.wait() == .milliseconds(20))
        budget.accrue(to: start + .milliseconds(10))
        #expect(budget.tokens == 0.5)
        #expect(budget.wait() == .milliseconds(10))
        #expect(budget.wait(toHave: 2) == .milliseconds(30))
        budget.accrue(to: start + .milliseconds(5))
        #expect(budget.tokens == 0.5, "an earlier time earns nothing")
        budget.accrue(to: start + .seconds(1))
        #expect(budget.tokens == 2, "capped at the capacity")
        #expect(budget.wait() == .zero)
    }
}
