import Hummingbird

/// Counts and times every request by its route pattern (`/chats/{id}/messages`, never the
/// ids, so that the number of series stays small) and the status it was answered with.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        func record(_ status: Int) {
            metrics.request(method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: status,
                            nanoseconds: (ContinuousClock.now - started).nanoseconds)
        }
        do {
            let response = try await next(request, context)
            record(Int(response.status.code))
            return response
        } catch let error as any HTTPResponseError {
            record(Int(error.status.code))
            throw error
        } catch {
            record(500)
            throw error
        }
    }
}
