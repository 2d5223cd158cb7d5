import CoreMetrics
import Foundation
import Prometheus

/// The server's figures in the Prometheus text format, through swift-metrics with a
/// swift-prometheus factory of its own (not the process-wide bootstrap: tests run several
/// servers in one process, and each must count only its own).
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    let openSessions: CoreMetrics.Gauge
    let eventsDelivered: CoreMetrics.Counter
    let queueDrops: CoreMetrics.Counter
    let databaseLatency: CoreMetrics.Timer
    /// bcrypt checks of a password at sign-in (one per attempt, known user or not).
    let passwordChecks: CoreMetrics.Counter

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        let buckets: [Duration] = [.microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
                                   .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                   .milliseconds(500), .seconds(1), .seconds(5)]
        factory.defaultDurationHistogramBuckets = buckets
        self.factory = factory
        openSessions = CoreMetrics.Gauge(label: "termchat_websocket_sessions", factory: factory)
        eventsDelivered = CoreMetrics.Counter(label: "termchat_events_delivered_total", factory: factory)
        queueDrops = CoreMetrics.Counter(label: "termchat_outbound_queue_drops_total", factory: factory)
        databaseLatency = CoreMetrics.Timer(label: "termchat_database_latency_seconds", factory: factory)
        passwordChecks = CoreMetrics.Counter(label: "termchat_password_checks_total", factory: factory)
        openSessions.record(0)
    }

    /// One answered request: counted by route (its pattern, not its ids) and status, timed by route.
    func request(method: String, route: String, status: Int, nanoseconds: Int64) {
        CoreMetrics.Counter(label: "termchat_http_requests_total", dimensions: [("method", method), ("route", route), ("status", String(status))], factory: factory).increment()
        CoreMetrics.Timer(label: "termchat_http_request_duration_seconds", dimensions: [("route", route)], factory: factory).recordNanoseconds(nanoseconds)
    }

    /// One request refused by a rate limit, counted by the limit's name.
    func rateLimited(_ limit: String) {
        CoreMetrics.Counter(label: "termchat_rate_limited_total", dimensions: [("limit", limit)], factory: factory).increment()
    }

    func sessionsChanged(to count: Int) { openSessions.record(count) }

    /// The Prometheus text exposition of everything counted so far.
    public func exposition() -> String { registry.emitToString() }
}
