import Synchronization
import Terminal

/// One terminal, several screens in turn (sign-in, the chat client, sign-in again after
/// signing out). The terminal's stream is iterated once, here: a screen that stopped iterating
/// by cancellation would end the stream for the next one. Each screen routes the events to
/// itself while it runs; the last size is replayed so a new screen starts at the right size.
final class TerminalEventRouter: Sendable {
    private struct Routing {
        var target: (@Sendable (TerminalEvent) -> Void)?
        var lastSize: TerminalEvent?
        var quitRequested = false
    }

    private let routing = Mutex(Routing())

    /// Forwards the terminal's events until it stops.
    func pump(_ terminal: Terminal) async {
        for await event in terminal.events {
            let target = routing.withLock { routing -> (@Sendable (TerminalEvent) -> Void)? in
                if case .resized = event { routing.lastSize = event }
                if event == .quitRequested { routing.quitRequested = true }
                return routing.target
            }
            target?(event)
        }
    }

    /// Sends the events to `target` from now on, starting with the terminal's size (and a
    /// quit request that arrived between screens).
    func route(to target: @escaping @Sendable (TerminalEvent) -> Void) {
        let (size, quit) = routing.withLock { routing in
            routing.target = target
            return (routing.lastSize, routing.quitRequested)
        }
        if let size { target(size) }
        if quit { target(.quitRequested) }
    }
}
