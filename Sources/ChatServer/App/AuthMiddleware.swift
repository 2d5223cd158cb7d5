import Hummingbird

/// Resolves `Authorization: Bearer <token>` to the caller, or answers 401.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ChatRequestContext
    let accounts: AccountService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = Self.bearerToken(request.headers[.authorization]),
              let caller = try await accounts.caller(forToken: token)
        else { throw APIError.unauthorized() }
        var context = context
        context.caller = caller
        return try await next(request, context)
    }

    static func bearerToken(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        // Spaces and tabs around the token, trimmed by hand: this runs on every request.
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        var token = header.dropFirst(7).drop(while: isBlank)
        while let last = token.last, isBlank(last) { token = token.dropLast() }
        return token.isEmpty ? nil : String(token)
    }
}
