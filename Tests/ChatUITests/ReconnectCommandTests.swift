import ChatUI
import Testing

/// `/reconnect`: the engine drops its connection and connects again, with a chat open or not.
@Suite struct ReconnectCommandTests {
    @Test func reconnectAsksTheEngineToConnectAgainWithOrWithoutAChat() {
        var state = Fixtures.state()
        _ = press(&state, .character("/"))
        _ = type(&state, "reconnect")
        #expect(press(&state, .enter).contains(.reconnect))

        var inChat = Fixtures.state()
        _ = press(&inChat, .enter)
        _ = Reducer.reduce(&inChat, .conversationChanged(Fixtures.personal, Fixtures.conversation))
        _ = type(&inChat, "/reconnect")
        let effects = press(&inChat, .enter)
        #expect(effects.contains(.reconnect))
        #expect(!effects.contains { (effect: Effect) -> Bool in if case .send = effect { true } else { false } })
    }
}
