import ServiceLifecycle

/// Event-stream sessions live in their channels' handlers, not in tasks the server waits for:
/// on shutdown this ends each with a close frame (1001), so that clients reconnect elsewhere.
struct EventSessionsShutdown: Service {
    let hub: RealtimeHub

    func run() async throws {
        try? await gracefulShutdown()
        hub.disconnectAll(code: .goingAway)
    }
}
