import Hummingbird

/// The router ignores empty path segments, so `DELETE /chats/<id>/messages/` (an empty message
/// id) would reach "clear the chat". A path with an empty segment names no resource: 404.
struct EmptyPathSegmentMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path.count > 1 && (path.hasSuffix("/") || path.contains("//")) {
            throw APIError.notFound("No such route or resource (the path has an empty part).")
        }
        return try await next(request, context)
    }
}
