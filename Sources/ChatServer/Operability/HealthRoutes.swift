import Foundation
import Hummingbird

/// `GET /health`: 200 when the database answers, 503 (with the reason) when it does not.
/// Public, as load balancers ask it without a token.
enum HealthRoutes {
    static func add(to router: Router<ChatRequestContext>, repository: any ChatRepository, metrics: ServerMetrics) {
        router.get("health") { _, _ -> Response in
            let started = ContinuousClock.now
            do {
                try await repository.ping()
                metrics.databaseLatency.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
                return json(.ok, #"{"status":"ok","database":"ok"}"#)
            } catch {
                let reason = "The database does not answer: \(error)".replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                return json(.serviceUnavailable, #"{"error":true,"reason":"\#(reason)"}"#)
            }
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
