import Hummingbird

/// Limits the authenticated writes by account and by address: posting a message, uploading,
/// and every other change. Reads are not limited here.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = ChatRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let kind = Self.kind(method: request.method, path: request.uri.path) {
            let account = context.caller.map { String($0.userId) }
            switch kind {
            case .message:
                try limiter.take(.messageAccount, account)
                try limiter.take(.messageAddress, context.remoteAddress)
            case .upload:
                try limiter.take(.uploadAccount, account)
                try limiter.take(.uploadAddress, context.remoteAddress)
            case .write:
                try limiter.take(.writeAccount, account)
                try limiter.take(.writeAddress, context.remoteAddress)
            }
        }
        return try await next(request, context)
    }

    enum Kind: Equatable { case message, upload, write }

    /// What a request counts as; nil for reads.
    static func kind(method: HTTPRequest.Method, path: String) -> Kind? {
        switch method {
        case .get, .head, .options: return nil
        case .post where path.hasSuffix("/messages") && path.hasPrefix("/chats/"): return .message
        case .post where path == "/uploads": return .upload
        default: return .write
        }
    }
}
