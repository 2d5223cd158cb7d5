import Foundation
import Hummingbird

/// `GET /health`: 200 when the database answers, 503 (with the reason) when it does not, or
/// when an instance sharing PostgreSQL cannot hear the others (its sessions would miss their
/// events: a load balancer should send no one there). Public, as load balancers ask it
/// without a token.
enum HealthRoutes {
    static func add(to router: Router<ChatRequestContext>, repository: any ChatRepository, metrics: ServerMetrics, bus: (any ClusterBus)?) {
        router.get("health") { _, _ -> Response in
            let started = ContinuousClock.now
            do {
                try await repository.ping()
                metrics.databaseLatency.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
            } catch {
                return unavailable("The database does not answer: \(PostgresSchema.reason(error))")
            }
            guard bus?.hearsOtherInstances ?? true else {
                return unavailable("Not yet hearing the other instances' events (reconnecting to PostgreSQL's LISTEN).")
            }
            return json(.ok, bus == nil ? #"{"status":"ok","database":"ok"}"# : #"{"status":"ok","database":"ok","events":"ok"}"#)
        }
    }

    private static func unavailable(_ reason: String) -> Response {
        let escaped = reason.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return json(.serviceUnavailable, #"{"error":true,"reason":"\#(escaped)"}"#)
    }

    private static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
